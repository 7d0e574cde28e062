"""GET analytics/user_metrics_charts: zero-filled series with trailing means, ISO weeks labelled by
Monday, CTL/ATL/TSB, validation, access, caching and a constant number of queries.

The endpoint uses the real clock: scenarios are placed relative to today in the zone asked for,
and the expected values are written out by hand (arithmetic in the comments)."""

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics.models import Activity
from analytics.selectors.chart_series import metrics_charts_payload
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

URL = "/api/v1/analytics/user_metrics_charts"
TOKYO = ZoneInfo("Asia/Tokyo")
BERLIN = ZoneInfo("Europe/Berlin")

pytestmark = pytest.mark.django_db


def today_in(zone) -> date:
    return datetime.now(zone).date()


def at(zone, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def activity(user, start: datetime, distance: float = 0, load: float = 0, sport: str = "run"):
    return ActivityFactory(user=user, start_time=start, distance=distance, training_load=load, sport=sport)


def charts(client, **params) -> dict:
    response = client.get(URL, params)
    assert response.status_code == 200, response.json()
    return response.json()["data"]


def days_back(t: date, count: int) -> list[str]:
    return [(t - timedelta(days=n)).isoformat() for n in range(count - 1, -1, -1)]


def point(series: list[dict], day: date) -> dict:
    return next(p for p in series if p["date"] == day.isoformat())


@pytest.fixture
def athlete():
    return UserFactory(timezone="")


@pytest.fixture
def client(athlete):
    return bearer_client(athlete)


def test_daily_distance_with_its_trailing_seven_day_mean_in_tokyo(athlete, client):
    t = today_in(TOKYO)
    d = lambda n: t - timedelta(days=n)  # noqa: E731
    activity(athlete, at(TOKYO, d(32), 8), distance=7000)  # before the 30 days: only in the first trends
    activity(athlete, at(TOKYO, d(29), 8), distance=1400)  # the first shown day
    activity(athlete, at(TOKYO, d(1), 23, 30), distance=2100)  # 14:30Z on t−1
    activity(athlete, at(TOKYO, d(0), 0, 30), distance=700)  # 15:30Z on t−1, but today in Tokyo
    activity(athlete, at(TOKYO, d(2), 8), distance=40000, load=90, sport="ride")  # not a run: no distance

    series = charts(client, timezone="Asia/Tokyo")["daily_distance"]
    assert [p["date"] for p in series] == days_back(t, 30)
    values = {p["date"]: p["value"] for p in series}
    assert values == {
        **dict.fromkeys(days_back(t, 30), 0.0),
        **{d(29).isoformat(): 1400.0, d(1).isoformat(): 2100.0, d(0).isoformat(): 700.0},
    }
    trends = [p["trend"] for p in series]
    # t−29: (7000 + 1400)/7 = 1200 over t−35 … t−29; the 7000 stays in the window through t−26.
    assert trends[:4] == [1200.0, 1200.0, 1200.0, 1200.0]
    # t−25 … t−23: only the 1400 → 200; t−22: the window t−28 … t−22 is empty → 0.
    assert trends[4:8] == [200.0, 200.0, 200.0, 0.0]
    # t−1: 2100/7 = 300; today: (2100 + 700)/7 = 400.
    assert trends[-2:] == [300.0, 400.0]
    assert trends[8:-2] == [0.0] * 20


def test_weekly_training_load_twelve_iso_weeks_by_monday(athlete, client):
    t = today_in(BERLIN)
    monday = t - timedelta(days=t.weekday())
    week = lambda n: monday - timedelta(weeks=n)  # noqa: E731
    activity(athlete, at(BERLIN, week(14), 9), load=80)  # before the 12 weeks: trend only
    activity(athlete, at(BERLIN, week(11) + timedelta(days=2), 9), load=40, sport="ride")  # every sport counts
    activity(athlete, at(BERLIN, monday - timedelta(days=1), 23, 30), load=100)  # Sunday night: last week
    activity(athlete, at(BERLIN, monday, 0, 30), load=30)  # Monday 00:30 (Sunday in UTC): this week

    series = charts(client, timezone="Europe/Berlin")["weekly_training_load"]
    assert [p["date"] for p in series] == [week(n).isoformat() for n in range(11, -1, -1)]
    assert all(date.fromisoformat(p["date"]).weekday() == 0 for p in series)
    assert [p["value"] for p in series] == [40.0] + [0.0] * 9 + [100.0, 30.0]
    # 4-week trailing mean: week−11: (80 + 0 + 0 + 40)/4 = 30; week−10 … −8: 40/4 = 10; then 0 until
    # week−1: 100/4 = 25; this week: (100 + 30)/4 = 32.5.
    assert [p["trend"] for p in series] == [30.0, 10.0, 10.0, 10.0] + [0.0] * 6 + [25.0, 32.5]


def test_weekly_load_across_a_year_boundary():
    """The payload for a fixed "today" (Wednesday 2027-01-06): ISO week 2026-W53 runs Monday
    2026-12-28 … Sunday 2027-01-03 and is one bucket across the new year."""
    athlete = UserFactory()
    activity(athlete, at(BERLIN, date(2026, 12, 31), 23, 30), load=50)
    activity(athlete, at(BERLIN, date(2027, 1, 1), 0, 30), load=70)
    activity(athlete, at(BERLIN, date(2027, 1, 3), 23, 30), load=20)
    activity(athlete, at(BERLIN, date(2027, 1, 4), 0, 30), load=10)  # 2027-01-03T23:30Z

    berlin = metrics_charts_payload(athlete, BERLIN, date(2027, 1, 6))["weekly_training_load"]
    assert berlin[0]["date"] == "2026-10-19"  # 11 weeks before 2027-01-04
    assert [(p["date"], p["value"], p["trend"]) for p in berlin[-3:]] == [
        ("2026-12-21", 0.0, 0.0),
        ("2026-12-28", 140.0, 35.0),  # 50 + 70 + 20; trend 140/4
        ("2027-01-04", 10.0, 37.5),  # trend (0 + 0 + 140 + 10)/4
    ]
    utc = metrics_charts_payload(athlete, UTC, date(2027, 1, 6))["weekly_training_load"]
    assert [(p["date"], p["value"]) for p in utc[-2:]] == [("2026-12-28", 150.0), ("2027-01-04", 0.0)]


def test_resting_heart_rate_nulls_and_thirty_day_trend(athlete, client):
    t = today_in(UTC)
    d = lambda n: t - timedelta(days=n)  # noqa: E731
    for n, bpm in ((100, 40), (89, 50), (60, 56), (0, 47)):
        DailyWellnessFactory(user=athlete, date=d(n), resting_heart_rate=bpm)
    DailyWellnessFactory(user=athlete, date=d(5), resting_heart_rate=None, hrv=70)  # a day without RHR
    DailyWellnessFactory(user=athlete, date=t + timedelta(days=1), resting_heart_rate=99)  # tomorrow: not shown
    DailyWellnessFactory(user=UserFactory(), date=d(3), resting_heart_rate=70)  # someone else

    series = charts(client)["resting_heart_rate"]
    assert [p["date"] for p in series] == days_back(t, 90)
    assert {p["date"]: p["value"] for p in series if p["value"] is not None} == {
        d(89).isoformat(): 50,
        d(60).isoformat(): 56,
        d(0).isoformat(): 47,
    }
    # Trailing 30 days over the days with data (the 40 of t−100 counts for t−89 … t−71):
    assert point(series, d(89))["trend"] == 45.0  # (40 + 50)/2
    assert point(series, d(71))["trend"] == 45.0
    assert point(series, d(70))["trend"] == 50.0  # t−99 … t−70: 50 only
    assert point(series, d(60))["trend"] == 53.0  # (50 + 56)/2
    assert point(series, d(59))["trend"] == 56.0
    assert point(series, d(31))["trend"] == 56.0  # t−60 … t−31
    assert point(series, d(30))["trend"] is None  # t−59 … t−30: no data
    assert point(series, d(1))["trend"] is None
    assert point(series, t)["trend"] == 47.0


def test_fitness_load_from_daily_loads(athlete, client):
    t = today_in(UTC)
    activity(athlete, at(UTC, t - timedelta(days=2), 6), load=100, sport="ride")
    series = charts(client, timezone="UTC")["fitness_load"]
    assert [p["date"] for p in series] == days_back(t, 90)
    assert all((p["ctl"], p["atl"], p["tsb"]) == (0.0, 0.0, 0.0) for p in series[:-3])
    # k42 = 1 − e^(−1/42), k7 = 1 − e^(−1/7); day 1 = 100·k: CTL 2.353, ATL 13.312, then ·e^(−1/τ) per day.
    assert [(p["ctl"], p["atl"], p["tsb"]) for p in series[-3:]] == [
        (2.4, 13.3, -10.9),
        (2.3, 11.5, -9.2),  # 2.353·e^(−1/42) = 2.297; 13.312·e^(−1/7) = 11.540
        (2.2, 10.0, -7.8),  # 2.353·e^(−2/42) = 2.243; 13.312·e^(−2/7) = 10.004
    ]
    # The last point is the snapshot's (athlete_profile) CTL/ATL/TSB.
    profile = client.get("/api/v1/analytics/athlete_profile", {"user_id": athlete.public_id}).json()["data"]
    training = profile["metrics"]["training"]
    assert (training["ctl"], training["atl"], training["tsb"]) == (2.2, 10.0, -7.8)


def test_fitness_load_counts_loads_before_the_ninety_days(athlete, client):
    t = today_in(UTC)
    activity(athlete, at(UTC, t - timedelta(days=200), 6), load=1000)
    series = charts(client, timezone="UTC")["fitness_load"]
    # t−89 is 111 days after the load: CTL = 1000·k42·e^(−111/42) = 23.53·0.0712 = 1.67 → 1.7;
    # ATL = 133.1·e^(−111/7) ≈ 0.0000; today (200 days on): CTL = 23.53·e^(−200/42) = 0.20.
    assert (series[0]["ctl"], series[0]["atl"], series[0]["tsb"]) == (1.7, 0.0, 1.7)
    assert (series[-1]["ctl"], series[-1]["atl"]) == (0.2, 0.0)


def test_a_new_athlete_gets_every_bucket(client):
    data = charts(client)
    assert (len(data["daily_distance"]), len(data["weekly_training_load"])) == (30, 12)
    assert (len(data["resting_heart_rate"]), len(data["fitness_load"])) == (90, 90)
    assert {(p["value"], p["trend"]) for p in data["daily_distance"]} == {(0.0, 0.0)}
    assert {(p["value"], p["trend"]) for p in data["weekly_training_load"]} == {(0.0, 0.0)}
    assert {(p["value"], p["trend"]) for p in data["resting_heart_rate"]} == {(None, None)}


def test_meta_names_the_zone(athlete, client):
    meta = client.get(URL, {"timezone_offset_minutes": "-300"}).json()["meta"]
    five_west = timezone(timedelta(minutes=-300))
    assert meta == {"timezone": "UTC-05:00", "as_of": today_in(five_west).isoformat()}
    athlete.timezone = "Asia/Tokyo"
    athlete.save(update_fields=["timezone"])
    assert client.get(URL).json()["meta"] == {"timezone": "Asia/Tokyo", "as_of": today_in(TOKYO).isoformat()}


# --- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "status", "details"),
    [
        ({"timezone": "Nowhere/Else"}, 400, {"code": "INVALID_TIMEZONE", "field": "timezone"}),
        ({"timezone_offset_minutes": "x"}, 400, {"code": "INVALID", "field": "timezone_offset_minutes"}),
        ({"timezone_offset_minutes": "-900"}, 400, {"code": "OUT_OF_RANGE", "field": "timezone_offset_minutes"}),
        ({"refresh": "perhaps"}, 400, {"code": "INVALID", "field": "refresh"}),
        ({"user_id": "usr_0000000000000000"}, 404, {"code": "USER_NOT_FOUND", "field": "user_id"}),
    ],
)
def test_bad_parameters(client, params, status, details):
    response = client.get(URL, params)
    assert response.status_code == status
    assert response.json()["details"] == details


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
    assert bearer_client(club["athlete"]).get(URL, params).status_code == 200
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
    assert (unknown.status_code, unknown.json()["details"]["code"]) == (404, "USER_NOT_FOUND")


# --- cache ----------------------------------------------------------------------------------


def test_cache_miss_hit_write_miss(client):
    first, second = client.get(URL, {"timezone": "UTC"}), client.get(URL, {"timezone": "UTC"})
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert first.json()["data"]["daily_distance"][-1]["value"] == 0.0

    now = datetime.now(UTC).replace(microsecond=0)
    start = max(now - timedelta(minutes=1), now.replace(hour=0, minute=0, second=0))  # today, also at 00:00
    created = client.post(
        "/api/v1/activities",
        {"start_time": start.isoformat(), "sport": "run", "distance": 4200, "duration": 1500},
        format="json",
    )
    assert created.status_code == 201
    third = client.get(URL, {"timezone": "UTC"})
    assert third["X-Cache"] == "MISS"
    assert third.json()["data"]["daily_distance"][-1]["value"] == 4200.0
    assert client.get(URL, {"timezone": "UTC"})["X-Cache"] == "HIT"
    assert client.get(URL, {"timezone": "UTC", "refresh": "true"})["X-Cache"] == "MISS"
    assert client.get(URL, {"timezone": "Asia/Tokyo"})["X-Cache"] == "MISS"  # another zone, another answer


# --- queries --------------------------------------------------------------------------------


def queries_for(coach_client, athlete) -> int:
    coach_client.get(URL, {"user_id": athlete.public_id})  # writes the token's last_used_at
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
    DailyWellnessFactory(user=few, date=now.date() - timedelta(days=1))
    Activity.objects.bulk_create(
        ActivityFactory.build(user=many, start_time=now - timedelta(days=n), training_load=40) for n in range(200)
    )
    for n in range(60):
        DailyWellnessFactory(user=many, date=now.date() - timedelta(days=n))
    coach_client = bearer_client(coach)
    one, two_hundred = queries_for(coach_client, few), queries_for(coach_client, many)
    assert one == two_hundred, (one, two_hundred)
    assert one == 5, one  # token, athlete by user_id, coach membership, activities GROUP BY, wellness
