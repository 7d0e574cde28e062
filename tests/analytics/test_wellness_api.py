"""PUT wellness/{date} (upsert) and GET wellness."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics.models import DailyWellness
from tests.conftest import bearer_client
from tests.factories import CoachFactory, DailyWellnessFactory, MembershipFactory, OrganizationFactory, UserFactory

URL = "/api/v1/wellness"

pytestmark = pytest.mark.django_db


def test_create_then_update_one_measure(athlete, athlete_client):
    created = athlete_client.put(f"{URL}/2026-11-18", {"resting_heart_rate": 48, "hrv": 72.5}, format="json")
    assert created.status_code == 201
    assert created.json()["data"] == {
        "date": "2026-11-18",
        "resting_heart_rate": 48,
        "hrv": 72.5,
        "hrv_sdnn": None,
        "vo2_max": None,
        "recovery_score": None,
        "sleep_hours": None,
    }
    updated = athlete_client.put(f"{URL}/2026-11-18/", {"recovery_score": 81, "hrv": None}, format="json")
    assert updated.status_code == 200
    row = DailyWellness.objects.get(user=athlete, date=date(2026, 11, 18))
    assert (row.resting_heart_rate, row.hrv, row.recovery_score) == (48, None, 81)
    assert DailyWellness.objects.count() == 1


def test_sdnn_is_its_own_measure_never_the_rmssd_field(athlete, athlete_client):
    athlete_client.put(f"{URL}/2026-11-18", {"hrv": 72.5}, format="json")
    answer = athlete_client.put(f"{URL}/2026-11-18", {"hrv_sdnn": 48.2}, format="json").json()["data"]
    assert (answer["hrv"], answer["hrv_sdnn"]) == (72.5, 48.2)
    refused = athlete_client.put(f"{URL}/2026-11-18", {"hrv_sdnn": 0.5}, format="json")
    assert refused.json()["details"] == {"code": "MIN_VALUE", "field": "hrv_sdnn"}


def test_write_bumps_data_version(athlete, athlete_client):
    before = athlete.data_version
    athlete_client.put(f"{URL}/2026-11-18", {"sleep_hours": 7.5}, format="json")
    athlete.refresh_from_db()
    assert athlete.data_version == before + 1


@pytest.mark.parametrize(
    ("day", "body", "field", "code"),
    [
        ("2026-02-30", {"hrv": 50}, "date", "INVALID"),
        ("18-11-2026", {"hrv": 50}, "date", "INVALID"),
        ("2026-11-18", {"resting_heart_rate": 24}, "resting_heart_rate", "MIN_VALUE"),
        ("2026-11-18", {"resting_heart_rate": 121}, "resting_heart_rate", "MAX_VALUE"),
        ("2026-11-18", {"hrv": 0.5}, "hrv", "MIN_VALUE"),
        ("2026-11-18", {"hrv": 301}, "hrv", "MAX_VALUE"),
        ("2026-11-18", {"vo2_max": 9}, "vo2_max", "MIN_VALUE"),
        ("2026-11-18", {"vo2_max": 96}, "vo2_max", "MAX_VALUE"),
        ("2026-11-18", {"recovery_score": 101}, "recovery_score", "MAX_VALUE"),
        ("2026-11-18", {"recovery_score": -1}, "recovery_score", "MIN_VALUE"),
        ("2026-11-18", {"sleep_hours": 25}, "sleep_hours", "MAX_VALUE"),
        ("2026-11-18", {"sleep_hours": "long"}, "sleep_hours", "INVALID"),
        ("2026-11-18", {}, "resting_heart_rate", "REQUIRED"),
    ],
)
def test_bad_input_is_400_and_stores_nothing(athlete_client, day, body, field, code):
    response = athlete_client.put(f"{URL}/{day}", body, format="json")
    assert response.status_code == 400
    assert response.json()["details"] == {"code": code, "field": field}
    assert not DailyWellness.objects.exists()


def test_future_date_is_refused(athlete_client):
    future = (datetime.now(UTC).date() + timedelta(days=3)).isoformat()
    response = athlete_client.put(f"{URL}/{future}", {"hrv": 50}, format="json")
    assert response.json()["details"] == {"code": "IN_FUTURE", "field": "date"}


def test_list_range_and_order(athlete, athlete_client):
    for day in (3, 1, 2, 9):
        DailyWellnessFactory(user=athlete, date=date(2026, 11, day), hrv=60 + day)
    data = athlete_client.get(URL, {"from": "2026-11-01", "to": "2026-11-03"}).json()["data"]
    assert [(row["date"], row["hrv"]) for row in data] == [("2026-11-01", 61), ("2026-11-02", 62), ("2026-11-03", 63)]


def test_list_default_is_the_last_30_days(athlete, athlete_client):
    today = datetime.now(UTC).date()
    DailyWellnessFactory(user=athlete, date=today - timedelta(days=29))
    DailyWellnessFactory(user=athlete, date=today - timedelta(days=30))
    data = athlete_client.get(URL).json()["data"]
    assert [row["date"] for row in data] == [(today - timedelta(days=29)).isoformat()]


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"from": "2026-11-10", "to": "2026-11-01"}, "to", "INVALID"),
        ({"from": "2025-01-01", "to": "2026-11-01"}, "to", "RANGE_TOO_LONG"),
        ({"from": "yesterday"}, "from", "INVALID"),
    ],
)
def test_list_bad_params(athlete_client, params, field, code):
    response = athlete_client.get(URL, params)
    assert response.status_code == 400
    assert response.json()["details"] == {"code": code, "field": field}


def test_list_default_window_stops_at_the_first_date(athlete_client):
    """Found by the fuzz test: the default 30 days before year 1's 5 January overflowed (500)."""
    response = athlete_client.get(URL, {"to": "0001-01-05"})
    assert response.status_code == 200
    assert response.json()["data"] == []


def test_access(athlete):
    org = OrganizationFactory()
    coach, other_coach = CoachFactory(), CoachFactory()
    MembershipFactory(user=athlete, organization=org)
    MembershipFactory(user=coach, organization=org, role="coach")
    MembershipFactory(user=other_coach, organization=OrganizationFactory(), role="coach")
    DailyWellnessFactory(user=athlete, date=datetime.now(UTC).date(), hrv=70)

    coach_data = bearer_client(coach).get(URL, {"user_id": athlete.public_id}).json()["data"]
    assert [row["hrv"] for row in coach_data] == [70]
    for outsider in (other_coach, UserFactory()):
        assert bearer_client(outsider).get(URL, {"user_id": athlete.public_id}).status_code == 403
    # PUT always writes the caller's own day: a coach cannot write into the athlete.
    bearer_client(coach).put(f"{URL}/2026-11-18", {"hrv": 10}, format="json")
    assert not DailyWellness.objects.filter(user=athlete, date=date(2026, 11, 18)).exists()


def test_anonymous(api):
    assert api.get(URL).status_code == 401
    assert api.put(f"{URL}/2026-11-18", {"hrv": 50}, format="json").status_code == 401


def test_list_query_count_is_constant(athlete, athlete_client):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            athlete_client.get(URL, {"from": "2026-01-01", "to": "2026-12-31"})
        return len(ctx.captured_queries)

    DailyWellnessFactory(user=athlete, date=date(2026, 1, 1))
    count()
    one = count()
    DailyWellness.objects.bulk_create(
        [DailyWellness(user=athlete, date=date(2026, 1, 2) + timedelta(days=i), hrv=50) for i in range(199)]
    )
    assert count() == one
