"""Hostile input (issue 9): a malformed public id is the endpoint's usual answer to an unknown id,
given without a query. Runs in both passes."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from astral.ids import is_public_id
from tests.conftest import bearer_client
from tests.hostile import club_ids, hostile_club, row_counts

pytestmark = pytest.mark.django_db

HEX16 = "0123456789abcdef"


@pytest.fixture
def club():
    return hostile_club()


USER_NOT_FOUND = (404, "USER_NOT_FOUND", "user_id", "User '{id}' not found.")
ORG_NOT_FOUND = (404, "ORGANIZATION_NOT_FOUND", None, "Organization '{id}' not found.")
INVITATION_NOT_FOUND = (404, "INVITATION_NOT_FOUND", None, "Invitation '{id}' not found.")
GROUP_NOT_FOUND = (404, "GROUP_NOT_FOUND", None, "Group '{id}' not found in this organization.")

# (method, url, body, prefix the endpoint expects, (status, code, field, message), table searched)
ID_CASES = [
    ("get", "/api/v1/activities?user_id={id}", None, "usr", USER_NOT_FOUND, "accounts_user"),
    ("get", "/api/v1/analytics/running_stats?user_id={id}", None, "usr", USER_NOT_FOUND, "accounts_user"),
    ("get", "/api/v1/analytics/fitness_stats?days=7&user_id={id}", None, "usr", USER_NOT_FOUND, "accounts_user"),
    ("get", "/api/v1/analytics/athlete_profile?user_id={id}", None, "usr", USER_NOT_FOUND, "accounts_user"),
    ("post", "/api/v1/analytics/running_streaks", {"user_id": "{id}"}, "usr", USER_NOT_FOUND, "accounts_user"),
    ("get", "/api/v1/goals/races?user_id={id}", None, "usr", USER_NOT_FOUND, "accounts_user"),
    (
        "post",
        "/api/v1/plans/{pln}/assign",
        {"user_id": "{id}", "start_date": "2026-03-02"},
        "usr",
        USER_NOT_FOUND,
        "accounts_user",
    ),
    (
        "post",
        "/api/v1/organizations/{org}/groups/{grp}/members",
        {"user_id": "{id}"},
        "usr",
        USER_NOT_FOUND,
        "accounts_user",
    ),
    ("delete", "/api/v1/organizations/{org}/groups/{grp}/members/{id}", None, "usr", USER_NOT_FOUND, "accounts_user"),
    (
        "patch",
        "/api/v1/organizations/{org}/members/{id}",
        {"role": "athlete"},
        "usr",
        (404, "MEMBER_NOT_FOUND", None, "User '{id}' is not a member of this organization."),
        "accounts_user",
    ),
    (
        "patch",
        "/api/v1/organizations/{org}/members/{usr}",
        {"assigned_coach_id": "{id}"},
        "usr",
        (400, "INVALID_COACH", "assigned_coach_id", "The assigned coach must be a coach of this organization."),
        None,
    ),
    (
        "get",
        "/api/v1/analytics/coach_athletes_metrics?org_id={org}&coach_id={id}",
        None,
        "usr",
        (400, "INVALID_COACH", "coach_id", "coach_id is not a coach of this organization."),
        None,
    ),
    (
        "get",
        "/api/v1/analytics/coach_athletes_metrics?org_id={id}",
        None,
        "org",
        ORG_NOT_FOUND,
        "organizations_organization",
    ),
    (
        "get",
        "/api/v1/analytics/group_dashboard/overview?org_id={id}",
        None,
        "org",
        ORG_NOT_FOUND,
        "organizations_organization",
    ),
    ("get", "/api/v1/organizations/{id}/members", None, "org", ORG_NOT_FOUND, "organizations_organization"),
    ("post", "/api/v1/invitations/{id}/accept", {}, "inv", INVITATION_NOT_FOUND, "organizations_invitation"),
    ("post", "/api/v1/invitations/{id}/decline", {}, "inv", INVITATION_NOT_FOUND, "organizations_invitation"),
    (
        "delete",
        "/api/v1/organizations/{org}/invitations/{id}",
        None,
        "inv",
        INVITATION_NOT_FOUND,
        "organizations_invitation",
    ),
    ("post", "/api/v1/organizations/{id}/leave", None, "org", ORG_NOT_FOUND, "organizations_organization"),
    (
        "get",
        "/api/v1/analytics/coach_athletes_metrics?org_id={org}&group_id={id}",
        None,
        "grp",
        (404, "GROUP_NOT_FOUND", "group_id", "Group '{id}' not found in this organization."),
        "organizations_group",
    ),
    (
        "post",
        "/api/v1/organizations/{org}/groups/{id}/members",
        {"user_id": "{usr}"},
        "grp",
        GROUP_NOT_FOUND,
        "organizations_group",
    ),
    (
        "delete",
        "/api/v1/organizations/{org}/api_keys/{id}",
        None,
        "key",
        (404, "API_KEY_NOT_FOUND", None, "API key '{id}' not found."),
        "organizations_apikey",
    ),
    (
        "get",
        "/api/v1/activities/{id}",
        None,
        "act",
        (404, "ACTIVITY_NOT_FOUND", None, "Activity '{id}' not found."),
        "analytics_activity",
    ),
    (
        "get",
        "/api/v1/activities/{id}/comments",
        None,
        "act",
        (404, "ACTIVITY_NOT_FOUND", None, "Activity '{id}' not found."),
        "analytics_activity",
    ),
    (
        "post",
        "/api/v1/activities/{id}/comments",
        {"text": "Strong finish"},
        "act",
        (404, "ACTIVITY_NOT_FOUND", None, "Activity '{id}' not found."),
        "analytics_activity",
    ),
    (
        "get",
        "/api/v1/plans/{id}",
        None,
        "pln",
        (404, "PLAN_NOT_FOUND", None, "Plan '{id}' not found."),
        "plans_trainingplan",
    ),
    (
        "patch",
        "/api/v1/goals/races/{id}",
        {"race_name": "Half"},
        "race",
        (404, "GOAL_NOT_FOUND", None, "Race goal '{id}' not found."),
        "plans_racegoal",
    ),
]


def malformed_ids(prefix: str) -> dict[str, str]:
    wrong = "org" if prefix != "org" else "usr"
    return {
        "not hex": f"{prefix}_zz",
        "15 hex": f"{prefix}_{HEX16[:15]}",
        "17 hex": f"{prefix}_{HEX16}0",
        "upper-case hex": f"{prefix}_{HEX16.upper()}",
        "another prefix": f"{wrong}_{HEX16}",
        "no prefix": HEX16,
        "10 000 characters": f"{prefix}_" + "a" * 9_996,
    }


# Body fields with a max_length: their serializer refuses a 10 000-character id first, as a field.
TOO_LONG = (400, "MAX_LENGTH", "{field}", "{field}: Ensure this field has no more than 32 characters.")
LENGTH_CHECKED = {"/api/v1/plans/{pln}/assign", "/api/v1/organizations/{org}/groups/{grp}/members"}
LENGTH_CHECKED |= {"/api/v1/organizations/{org}/members/{usr}"}


def malformed_case(case: tuple, label: str, bad_id: str):
    method, url, body, prefix, expected, table = case
    if label == "10 000 characters" and url in LENGTH_CHECKED:
        field = next(key for key, value in body.items() if value == "{id}")
        expected = tuple(part.format(field=field) if isinstance(part, str) else part for part in TOO_LONG)
    return pytest.param(method, url, body, prefix, expected, table, bad_id, id=f"{method} {url} {label}")


MALFORMED_CASES = [
    malformed_case(case, label, bad_id) for case in ID_CASES for label, bad_id in malformed_ids(case[3]).items()
]


def send(club: dict, method: str, url: str, body: dict | None, public_id: str):
    values = club_ids(club) | {"id": public_id}
    payload = {key: value.format(**values) for key, value in (body or {}).items()} if body else None
    client = bearer_client(club["admin"])
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url.format(**values), payload, format="json")
    return response, [query["sql"] for query in queries]


def searched(table: str, sql: list[str]) -> bool:
    """Whether a query filtered `table` by its public id (not merely selected the column)."""
    return any(re.search(rf'"{table}"\."public_id" (=|IN)', statement) for statement in sql)


@pytest.mark.parametrize(("method", "url", "body", "prefix", "expected", "table", "bad_id"), MALFORMED_CASES)
def test_malformed_id_answers_like_an_unknown_one_without_a_query(
    club, method, url, body, prefix, expected, table, bad_id
):
    status, code, field, message = expected
    before = row_counts()
    response, sql = send(club, method, url, body, bad_id)
    assert response.status_code == status
    details = {"code": code} | ({"field": field} if field else {})
    assert response.json() == {"error": message.format(id=bad_id), "details": details}
    assert not any(bad_id in statement for statement in sql)
    assert not (table and searched(table, sql))
    assert row_counts() == before


@pytest.mark.parametrize(("method", "url", "body", "prefix", "expected", "table"), ID_CASES)
def test_a_well_formed_unknown_id_is_looked_up(club, method, url, body, prefix, expected, table):
    """The control of the test above: the same answer, but this id did reach the database."""
    status, code, field, message = expected
    unknown = f"{prefix}_{HEX16}"
    response, sql = send(club, method, url, body, unknown)
    assert response.status_code == status
    details = {"code": code} | ({"field": field} if field else {})
    assert response.json() == {"error": message.format(id=unknown), "details": details}
    assert any(unknown in statement for statement in sql)
    assert not table or searched(table, sql)


@pytest.mark.parametrize(("url", "status"), [("/athletes/usr_zz/", 404), ("/athletes/?org_id=org_zz", 404)])
def test_pages_refuse_malformed_ids_without_a_query(club, url, status):
    client = Client()
    client.force_login(club["admin"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == status
    assert not any("_zz" in query["sql"] for query in queries)


def test_every_generated_id_has_the_checked_shape(club):
    rows = [club[name] for name in ("org", "admin", "athlete", "group", "key", "activity", "plan", "goal")]
    assert all(is_public_id(row.public_id, type(row)) for row in rows)
    assert not is_public_id(club["athlete"].public_id + "\n", User)  # fullmatch: no `$` newline leeway
