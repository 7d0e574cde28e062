"""Hostile input (issue 9): control characters never reach a view or the database.

Runs in both passes; on PostgreSQL a NUL that reached a query was a `DataError`, i.e. a 500.
"""

from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from organizations.models import Group
from tests.conftest import bearer_client
from tests.hostile import club_ids, hostile_club, row_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def club():
    return hostile_club()


def fill(template: str, club: dict) -> str:
    return template.format(**club_ids(club))


def invalid_characters(message: str, field: str | None = None) -> dict:
    details = {"code": "INVALID_CHARACTERS"} | ({"field": field} if field else {})
    return {"error": message, "details": details}


# --- control characters in the path or the query: refused before any view ----------------------

NUL_IN_QUERY = [
    ("get", "/api/v1/activities?user_id=%00", "user_id", "U+0000"),
    ("get", "/api/v1/analytics/running_stats?user_id=%00", "user_id", "U+0000"),
    ("get", "/api/v1/analytics/fitness_stats?user_id=%00&days=7", "user_id", "U+0000"),
    ("get", "/api/v1/analytics/athlete_profile?user_id=usr_%00", "user_id", "U+0000"),
    ("get", "/api/v1/analytics/coach_athletes_metrics?org_id=%00", "org_id", "U+0000"),
    ("get", "/api/v1/analytics/coach_athletes_metrics?search=ri%1Bta", "search", "U+001B"),
    ("get", "/api/v1/analytics/group_dashboard/overview?org_id={org}%00", "org_id", "U+0000"),
    ("get", "/api/v1/analytics/group_dashboard/groups?org_id={org}&period=7%0A", "period", "U+000A"),
    ("get", "/api/v1/wellness?from=2026-01-01%09", "from", "U+0009"),
    ("get", "/api/v1/activities?sport=run%7F", "sport", "U+007F"),
    ("get", "/api/v1/activities?sport=run%C2%85", "sport", "U+0085"),
    ("get", "/api/v1/activities?user%00id=1", "user\\x00id", "U+0000"),
    ("post", "/api/v1/organizations/{org}/groups?x=%00", "x", "U+0000"),
]


@pytest.mark.parametrize(("method", "url", "field", "code_point"), NUL_IN_QUERY)
def test_control_character_in_a_query_parameter_is_a_400_naming_it(club, method, url, field, code_point):
    before, client = row_counts(), bearer_client(club["admin"])
    with CaptureQueriesContext(connection) as queries:
        response = client.generic(method.upper(), fill(url, club), '{"name": "G"}', "application/json")
    assert response.status_code == 400
    assert response.json() == invalid_characters(f"{field} contains a control character ({code_point}).", field)
    assert len(queries) == 0  # refused before authentication: not even the token was looked up
    assert row_counts() == before


NUL_IN_PATH = [
    ("get", "/api/v1/organizations/%00/members"),
    ("get", "/api/v1/organizations/{org}%00/groups"),
    ("delete", "/api/v1/organizations/{org}/members/%00"),
    ("post", "/api/v1/organizations/{org}/groups/{grp}%00/members"),
    ("delete", "/api/v1/organizations/{org}/api_keys/key_%00"),
    ("get", "/api/v1/activities/act_%00"),
    ("patch", "/api/v1/goals/races/race_%01"),
    ("get", "/api/v1/plans/pln_%00"),
    ("put", "/api/v1/wellness/2026-01-0%00"),
    ("get", "/api/v1/no_such%00endpoint"),
]


@pytest.mark.parametrize(("method", "url"), NUL_IN_PATH)
def test_control_character_in_the_path_is_a_400(club, method, url):
    before = row_counts()
    client = bearer_client(club["admin"])
    response = client.generic(method.upper(), fill(url, club), '{"user_id": "x"}', "application/json")
    assert response.status_code == 400
    code_point = "U+0001" if "%01" in url else "U+0000"
    assert response.json() == invalid_characters(f"The path contains a control character ({code_point}).")
    assert row_counts() == before


def test_the_guard_runs_before_authentication():
    response = APIClient().get("/api/v1/activities?user_id=%00")
    assert (response.status_code, response.json()["details"]) == (
        400,
        {"code": "INVALID_CHARACTERS", "field": "user_id"},
    )


@pytest.mark.parametrize("url", ["/athletes/%00/", "/athletes/?org_id=%00", "/analytics/groups/grp_%00/"])
def test_pages_answer_a_400_page(club, url):
    client = Client()
    client.force_login(club["admin"])
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert b"characters that are not allowed" in response.content


NUL_SESSION_COOKIE = r'sessionid="\000aaaaaaaaaaaaaaaa"'  # a quoted cookie may spell a NUL as \000


def test_a_session_cookie_with_a_nul_is_a_400_page(club):
    response = Client().get("/athletes/", HTTP_COOKIE=NUL_SESSION_COOKIE)
    assert response.status_code == 400
    assert b"characters that are not allowed" in response.content


def test_a_cookie_with_a_nul_is_a_400_under_the_api_too(club):
    response = bearer_client(club["admin"]).get("/api/v1/auth/me", HTTP_COOKIE=NUL_SESSION_COOKIE)
    assert response.status_code == 400
    assert response.json() == invalid_characters("The cookie sessionid contains a control character (U+0000).")


# --- control characters in request bodies: refused by the API's parsers --------------------------

BODY_CASES = [
    (
        "post",
        "/api/v1/activities",
        {
            "start_time": "2026-03-02T07:00:00Z",
            "sport": "run",
            "distance": 5000,
            "duration": 1500,
            "external_id": "run\u0000",
        },
        "external_id",
        "U+0000",
    ),
    (
        "post",
        "/api/v1/activities",
        {"start_time": "2026-03-02T07:00\u0000Z", "sport": "run", "distance": 5000, "duration": 1500},
        "start_time",
        "U+0000",
    ),
    ("patch", "/api/v1/users/me", {"display_name": "Ri\u0000ta"}, "display_name", "U+0000"),
    ("patch", "/api/v1/users/me", {"timezone": "Europe/Paris\u0008"}, "timezone", "U+0008"),
    ("patch", "/api/v1/users/me", {"hr_zones": [120, 140, "1\u00005"]}, "hr_zones.2", "U+0000"),
    ("patch", "/api/v1/users/me", {"pace_zones": {"z1\u0000": 1}}, "pace_zones.z1\\x00", "U+0000"),
    ("put", "/api/v1/wellness/2026-03-02", {"resting_heart_rate": "4\u00008"}, "resting_heart_rate", "U+0000"),
    ("put", "/api/v1/wellness/2026-03-02", {"hrv": 70, "x\u001f": 1}, "x\\x1f", "U+001F"),
]


@pytest.mark.parametrize(("method", "url", "body", "field", "code_point"), BODY_CASES)
def test_control_character_in_a_json_string_is_a_400_naming_the_field(club, method, url, body, field, code_point):
    athlete = club["athlete"]
    before, profile = row_counts(), (athlete.display_name, athlete.timezone, athlete.hr_zones, athlete.pace_zones)
    response = getattr(bearer_client(athlete), method)(url, body, format="json")
    assert response.status_code == 400
    assert response.json() == invalid_characters(f"{field} contains a control character ({code_point}).", field)
    athlete.refresh_from_db()
    assert (athlete.display_name, athlete.timezone, athlete.hr_zones, athlete.pace_zones) == profile
    assert row_counts() == before


def test_tab_and_newlines_stay_allowed_in_body_text(club):
    description = "Tuesdays:\n\tintervals\r\nThursdays: hills"
    response = bearer_client(club["admin"]).post(
        fill("/api/v1/organizations/{org}/groups", club), {"name": "Evening", "description": description}, format="json"
    )
    assert response.status_code == 201
    assert Group.objects.get(organization=club["org"], name="Evening").description == description


def test_form_encoded_body_with_a_nul_is_a_400(club):
    athlete = club["athlete"]
    response = bearer_client(athlete).patch(
        "/api/v1/users/me", urlencode({"display_name": "Ri\x00ta"}), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert response.json() == invalid_characters("display_name contains a control character (U+0000).", "display_name")
    athlete.refresh_from_db()
    assert athlete.display_name == "Rita"


def test_multipart_text_field_with_a_nul_is_a_400(club):
    before = row_counts()
    upload = SimpleUploadedFile("run.gpx", b"<gpx></gpx>", content_type="application/gpx+xml")
    response = bearer_client(club["athlete"]).post(
        "/api/v1/activities/import", {"file": upload, "timezone": "UTC\x00"}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json() == invalid_characters("timezone contains a control character (U+0000).", "timezone")
    assert row_counts() == before
