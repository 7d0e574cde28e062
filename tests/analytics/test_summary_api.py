"""GET analytics/user_metrics_summary: dashboard tiles in the athlete's own zone, their rounding
and nulls, access, caching and a constant number of queries.

The endpoint uses the real clock: the scenario is placed relative to this ISO week in the
athlete's zone, and the expected numbers are written out by hand."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics.models import Activity
from tests.access import athlete_club
from tests.conftest import bearer_client
from tests.factories import (
    ActivityFactory,
    CoachFactory,
    DailyWellnessFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)

URL = "/api/v1/analytics/user_metrics_summary"
NEW_YORK = ZoneInfo("America/New_York")

pytestmark = pytest.mark.django_db


def today_in(zone) -> date:
    return datetime.now(zone).date()


def at(zone, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def activity(user, start: datetime, distance: float = 0, load: float = 0, sport: str = "run"):
    return ActivityFactory(user=user, start_time=start, distance=distance, training_load=load, sport=sport)


def summary(client, **params) -> dict:
    response = client.get(URL, params)
    assert response.status_code == 200, response.json()
    return response.json()


def test_tiles_in_the_athletes_zone():
    athlete = UserFactory(timezone="America/New_York")
    t = today_in(NEW_YORK)
    monday = t - timedelta(days=t.weekday())
    # This week: Monday 00:30 local (04:30Z or 05:30Z Monday).
    activity(athlete, at(NEW_YORK, monday, 0, 30), distance=4000, load=60)
    # Last week: Sunday 23:30 local (Monday in UTC!) and the Monday before at 00:30.
    activity(athlete, at(NEW_YORK, monday - timedelta(days=1), 23, 30), distance=6000, load=100)
    activity(athlete, at(NEW_YORK, monday - timedelta(days=7), 0, 30), distance=2000, load=20)
    # The Sunday before last week: in neither week, its load is in the 4-week average.
    activity(athlete, at(NEW_YORK, monday - timedelta(days=8), 23, 30), distance=9000, load=0)
    activity(athlete, at(NEW_YORK, monday - timedelta(days=21), 12), load=80, sport="ride")  # load only
    activity(athlete, at(NEW_YORK, monday - timedelta(days=3), 12), distance=50000, sport="ride")  # not a run
    # Wellness: RHR 48 on t−3 and 52 on t−10 (the 30-day mean), 60 on t−40 (outside it).
    DailyWellnessFactory(
        user=athlete, date=t - timedelta(days=3), resting_heart_rate=48, hrv=60, vo2_max=50.5, recovery_score=70
    )
    DailyWellnessFactory(
        user=athlete, date=t - timedelta(days=10), resting_heart_rate=52, hrv=80, vo2_max=49.0, recovery_score=85
    )
    DailyWellnessFactory(
        user=athlete, date=t - timedelta(days=40), resting_heart_rate=60, hrv=None, vo2_max=None, recovery_score=None
    )

    body = summary(bearer_client(athlete))
    sunday = t.weekday() == 6
    assert body["meta"] == {"timezone": "America/New_York", "as_of": t.isoformat(), "week_start": monday.isoformat()}
    assert body["data"] == {
        "week_distance_km": 4.0,
        "last_week_distance_km": 8.0,  # 6000 + 2000 m
        # Like with like: last week's Monday … today's weekday — the Monday's 2000 m, and the
        # Sunday's 6000 m only when today is a Sunday: (4000 − 2000)/2000, or (4000 − 8000)/8000.
        "last_week_same_days_distance_km": 8.0 if sunday else 2.0,
        "week_distance_change_pct": -50.0 if sunday else 100.0,
        "week_load": 60.0,
        "four_week_avg_load": 50.0,  # (100 + 20 + 0 + 80)/4 over the 4 weeks before this one
        # The same weekdays of those 4 weeks: the Mondays' 20 and 80 (the ride 3 weeks back), the
        # Sundays' 100 and 0 only on a Sunday: (20 + 80)/4 = 25, or 200/4 = 50.
        "same_days_avg_load": 50.0 if sunday else 25.0,
        "load_vs_avg_pct": 20.0 if sunday else 140.0,  # (60 − 50)/50 or (60 − 25)/25
        "resting_heart_rate": 48,
        "resting_heart_rate_date": (t - timedelta(days=3)).isoformat(),
        "resting_heart_rate_30d_avg": 50.0,  # (48 + 52)/2
        "vo2_max": 50.5,
        "vo2_max_prev": 49.0,  # latest on or before t−7: t−10
        "hrv_avg": 60.0,  # t−6 … t: only t−3
        "hrv_avg_prev": 80.0,  # t−13 … t−7: only t−10
        "recovery_score": 70,
        "recovery_score_prev": 85,
        # Runs on Monday, the Sunday before, the Monday and Sunday before that: today Monday → Monday
        # and Sunday = 2; Tuesday → yesterday Monday and Sunday = 2; later → yesterday has none = 0.
        "current_streak": 2 if (t - monday).days <= 1 else 0,
    }


def test_a_new_athlete_gets_zeros_and_nulls():
    data = summary(bearer_client(UserFactory()))["data"]
    assert data == {
        "week_distance_km": 0.0,
        "last_week_distance_km": 0.0,
        "last_week_same_days_distance_km": 0.0,
        "week_distance_change_pct": None,  # no change from 0
        "week_load": 0.0,
        "four_week_avg_load": 0.0,
        "same_days_avg_load": 0.0,
        "load_vs_avg_pct": None,
        "resting_heart_rate": None,
        "resting_heart_rate_date": None,
        "resting_heart_rate_30d_avg": None,
        "vo2_max": None,
        "vo2_max_prev": None,
        "hrv_avg": None,
        "hrv_avg_prev": None,
        "recovery_score": None,
        "recovery_score_prev": None,
        "current_streak": 0,
    }


def test_rounding_and_an_old_resting_heart_rate():
    athlete = UserFactory(timezone="")
    t = today_in(UTC)
    monday = t - timedelta(days=t.weekday())
    activity(athlete, at(UTC, monday - timedelta(days=7), 0, 1), distance=3333, load=33.33)
    activity(athlete, at(UTC, monday, 0, 1), distance=1234, load=12.34)
    DailyWellnessFactory(user=athlete, date=t - timedelta(days=45), resting_heart_rate=55)

    data = summary(bearer_client(athlete))["data"]
    assert (data["week_distance_km"], data["last_week_distance_km"]) == (1.2, 3.3)  # 1.234 km, 3.333 km
    assert data["week_distance_change_pct"] == -63.0  # (1234 − 3333)/3333 = −62.98 %: a Monday is always a same day
    assert (data["week_load"], data["four_week_avg_load"], data["same_days_avg_load"]) == (12.3, 8.3, 8.3)  # 33.33/4
    assert data["load_vs_avg_pct"] == 48.2  # (12.3 − 8.3)/8.3 from the shown loads = 48.19 %
    # The latest RHR is 45 days old: shown with its date; no value in the last 30 days → no mean.
    assert (data["resting_heart_rate"], data["resting_heart_rate_date"]) == (55, (t - timedelta(days=45)).isoformat())
    assert data["resting_heart_rate_30d_avg"] is None


def test_a_long_streak_counts_past_the_two_weeks():
    athlete = UserFactory(timezone="")
    t = today_in(UTC)
    for n in range(1, 21):  # t−20 … t−1: 20 days in a row, none today yet
        activity(athlete, at(UTC, t - timedelta(days=n), 6), distance=3000)
    assert summary(bearer_client(athlete))["data"]["current_streak"] == 20


# --- access ---------------------------------------------------------------------------------


@pytest.fixture
def club():
    return athlete_club()


def test_access_matrix(club, api):
    params = {"user_id": club["athlete"].public_id}
    anonymous = api.get(URL, params)
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"].startswith("Bearer")
    assert bearer_client(club["athlete"]).get(URL).status_code == 200
    assert bearer_client(club["coach"]).get(URL, params).status_code == 200
    for outsider in (club["teammate"], club["other_coach"]):
        response = bearer_client(outsider).get(URL, params)
        assert (response.status_code, response.json()["details"]["code"]) == (403, "FORBIDDEN")
    api.credentials(HTTP_X_API_KEY=club["own_key"])
    assert api.get(URL, params).status_code == 200
    missing = api.get(URL)
    assert (missing.status_code, missing.json()["details"]) == (400, {"code": "REQUIRED", "field": "user_id"})
    api.credentials(HTTP_X_API_KEY=club["other_key"])
    assert api.get(URL, params).status_code == 403
    unknown = bearer_client(club["coach"]).get(URL, {"user_id": "usr_ffffffffffffffff"})
    assert (unknown.status_code, unknown.json()["details"]) == (404, {"code": "USER_NOT_FOUND", "field": "user_id"})


def test_bad_refresh(club):
    response = bearer_client(club["athlete"]).get(URL, {"refresh": "sometimes"})
    assert (response.status_code, response.json()["details"]) == (400, {"code": "INVALID", "field": "refresh"})


# --- cache ----------------------------------------------------------------------------------


def test_cache_miss_hit_write_miss(club):
    athlete_client = bearer_client(club["athlete"])
    coach_client = bearer_client(club["coach"])
    params = {"user_id": club["athlete"].public_id}
    first, second = coach_client.get(URL, params), coach_client.get(URL, params)
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert first.json()["data"]["week_distance_km"] == 0.0

    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    created = athlete_client.post(
        "/api/v1/activities",
        {"start_time": start.isoformat(), "sport": "run", "distance": 7500, "duration": 2400},
        format="json",
    )
    assert created.status_code == 201
    third = coach_client.get(URL, params)
    assert third["X-Cache"] == "MISS"  # the coach sees the run at once
    assert third.json()["data"]["week_distance_km"] == 7.5
    assert third.json()["data"]["current_streak"] == 1
    assert coach_client.get(URL, params)["X-Cache"] == "HIT"
    assert coach_client.get(URL, {**params, "refresh": "1"})["X-Cache"] == "MISS"


# --- queries --------------------------------------------------------------------------------


def queries_for(coach_client, athlete) -> int:
    coach_client.get(URL, {"user_id": athlete.public_id})  # token's last_used_at, and the snapshot
    with CaptureQueriesContext(connection) as queries:
        response = coach_client.get(URL, {"user_id": athlete.public_id, "refresh": "true"})
    assert response.status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_activities():
    org, coach = OrganizationFactory(), CoachFactory()
    MembershipFactory(user=coach, organization=org, role="coach")
    few, many = UserFactory(), UserFactory()
    for athlete in (few, many):
        MembershipFactory(user=athlete, organization=org)
    now = datetime.now(UTC)
    activity(few, now - timedelta(days=3), distance=5000, load=50)
    # 200 activities on t−2 … t−101, two a day: no run today or yesterday in either case.
    Activity.objects.bulk_create(
        ActivityFactory.build(user=many, start_time=now - timedelta(days=2 + n // 2, hours=n % 2), training_load=30)
        for n in range(200)
    )
    coach_client = bearer_client(coach)
    one, two_hundred = queries_for(coach_client, few), queries_for(coach_client, many)
    assert one == two_hundred, (one, two_hundred)
    # token, athlete, coach membership, snapshot, runs GROUP BY, latest RHR, RHR mean
    assert one == 7, one
