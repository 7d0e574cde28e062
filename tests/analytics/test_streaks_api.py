"""POST analytics/running_streaks: local days, current and longest streak, calendar, validation,
access, caching and a constant number of queries.

The endpoint uses the real clock, so every scenario is built relative to "today" in the zone it
asks about (`today_in`), and the expectations are the same dates written out by hand."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics.models import Activity
from tests.access import athlete_club
from tests.conftest import bearer_client
from tests.factories import ActivityFactory, CoachFactory, MembershipFactory, OrganizationFactory, UserFactory

URL = "/api/v1/analytics/running_streaks"
TOKYO = ZoneInfo("Asia/Tokyo")
NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")

pytestmark = pytest.mark.django_db


def today_in(zone) -> date:
    return datetime.now(zone).date()


def at(zone, day: date, hour: int, minute: int = 0) -> datetime:
    """The instant of a local wall time (zoneinfo resolves DST)."""
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def run(user, start: datetime, distance: float = 5000, sport: str = "run"):
    return ActivityFactory(user=user, start_time=start, distance=distance, duration=distance * 0.3, sport=sport)


def streaks(client, **body):
    response = client.post(URL, body, format="json")
    assert response.status_code == 200, response.json()
    return response.json()["data"]


def by_date(calendar: list[dict]) -> dict[str, dict]:
    return {entry["date"]: entry for entry in calendar}


def iso(day: date) -> str:
    return day.isoformat()


@pytest.fixture
def athlete():
    return UserFactory(timezone="")


@pytest.fixture
def client(athlete):
    return bearer_client(athlete)


def test_runs_either_side_of_tokyo_midnight_are_two_days(athlete, client):
    t = today_in(TOKYO)
    # 23:30 JST on t−2 = 14:30Z on t−2; 00:30 JST on t−1 = 15:30Z on t−2: an hour apart, same UTC day.
    run(athlete, at(TOKYO, t - timedelta(days=2), 23, 30), distance=3000)
    run(athlete, at(TOKYO, t - timedelta(days=1), 0, 30), distance=4000)

    data = streaks(client, timezone="Asia/Tokyo", days=7)
    # Tokyo: t−2 and t−1 active, today not yet → the streak ends yesterday: 2 days.
    assert data["current_streak"] == 2
    assert data["longest_streak"] == {
        "length": 2,
        "start": iso(t - timedelta(days=2)),
        "end": iso(t - timedelta(days=1)),
    }
    assert [entry["date"] for entry in data["calendar"]] == [iso(t - timedelta(days=n)) for n in range(6, -1, -1)]
    days = by_date(data["calendar"])
    assert days[iso(t - timedelta(days=2))] == {
        "date": iso(t - timedelta(days=2)),
        "active": True,
        "runs": 1,
        "distance": 3000.0,
    }
    assert days[iso(t - timedelta(days=1))] == {
        "date": iso(t - timedelta(days=1)),
        "active": True,
        "runs": 1,
        "distance": 4000.0,
    }
    assert sum(entry["runs"] for entry in data["calendar"]) == 2

    # In UTC both runs fall on the UTC date t−2 (14:30Z and 15:30Z).
    utc = streaks(client, timezone="UTC", days=7)
    u = today_in(UTC)  # t − 1 or t: Tokyo is 9 hours ahead
    assert by_date(utc["calendar"])[iso(t - timedelta(days=2))] == {
        "date": iso(t - timedelta(days=2)),
        "active": True,
        "runs": 2,
        "distance": 7000.0,
    }
    # UTC today t−1: t−2 is yesterday → 1; UTC today t: t−2 is two days ago → 0.
    assert utc["current_streak"] == (1 if u == t - timedelta(days=1) else 0)
    assert utc["longest_streak"]["length"] == 1


def test_zone_from_the_offset_or_the_profile(athlete, client):
    t = today_in(TOKYO)
    run(athlete, at(TOKYO, t - timedelta(days=2), 23, 30))
    run(athlete, at(TOKYO, t - timedelta(days=1), 0, 30))
    expected = streaks(client, timezone="Asia/Tokyo", days=5)

    response = client.post(URL, {"timezone_offset_minutes": 540, "days": 5}, format="json")
    assert response.json()["data"] == expected
    assert response.json()["meta"]["timezone"] == "UTC+09:00"

    athlete.timezone = "Asia/Tokyo"
    athlete.save(update_fields=["timezone"])
    response = client.post(URL, {"days": 5}, format="json")
    assert response.json()["data"] == expected
    assert response.json()["meta"] == {
        "timezone": "Asia/Tokyo",
        "as_of": iso(t),
        "days": 5,
        "first_date": iso(t - timedelta(days=4)),
    }


def test_today_without_a_run_counts_to_yesterday_then_today_extends_it(athlete, client):
    t = today_in(NEW_YORK)
    for n in (1, 2, 3, 5):  # t−1, t−2, t−3 in a row; t−4 missing
        run(athlete, at(NEW_YORK, t - timedelta(days=n), 7))
    assert streaks(client, timezone="America/New_York")["current_streak"] == 3

    run(athlete, at(NEW_YORK, t, 0, 1))  # 00:01 today: always in the past
    data = streaks(client, timezone="America/New_York", refresh=True)
    assert data["current_streak"] == 4  # t, t−1, t−2, t−3
    assert data["longest_streak"] == {"length": 4, "start": iso(t - timedelta(days=3)), "end": iso(t)}


def test_only_runs_count(athlete, client):
    t = today_in(UTC)
    yesterday, before = t - timedelta(days=1), t - timedelta(days=2)
    run(athlete, at(UTC, yesterday, 6), distance=8000, sport="trail_run")
    run(athlete, at(UTC, yesterday, 18), distance=6000, sport="treadmill")
    run(athlete, at(UTC, yesterday, 12), distance=30000, sport="ride")
    run(athlete, at(UTC, before, 12), distance=3000, sport="walk")

    data = streaks(client, timezone="UTC", days=3)
    days = by_date(data["calendar"])
    assert days[iso(yesterday)] == {"date": iso(yesterday), "active": True, "runs": 2, "distance": 14000.0}
    assert days[iso(before)] == {"date": iso(before), "active": False, "runs": 0, "distance": 0.0}
    assert data["current_streak"] == 1


def test_longest_streak_ties_and_window_edges(athlete, client):
    t = today_in(UTC)
    # Window of 10 days: t−9 … t. Runs on t−11 … t−8 (4 days, only t−9 and t−8 inside),
    # t−5 and t−4 (2 days), t−2 (1 day). Two streaks of 2 inside → the earliest: t−9 … t−8.
    for n in (11, 10, 9, 8, 5, 4, 2):
        run(athlete, at(UTC, t - timedelta(days=n), 9))
    data = streaks(client, timezone="UTC", days=10)
    assert data["longest_streak"] == {
        "length": 2,
        "start": iso(t - timedelta(days=9)),
        "end": iso(t - timedelta(days=8)),
    }
    assert data["current_streak"] == 0  # neither today nor yesterday
    assert len(data["calendar"]) == 10
    assert data["calendar"][0]["date"] == iso(t - timedelta(days=9))
    assert data["calendar"][-1]["date"] == iso(t)
    assert [e["date"] for e in data["calendar"] if e["active"]] == [iso(t - timedelta(days=n)) for n in (9, 8, 5, 4, 2)]


def test_the_current_streak_reaches_back_before_the_window(athlete, client):
    t = today_in(UTC)
    for n in range(7):  # t−6 … t: 7 days in a row
        run(athlete, at(UTC, t - timedelta(days=n), 0, 1))
    data = streaks(client, timezone="UTC", days=3)
    assert data["current_streak"] == 7
    assert data["longest_streak"] == {
        "length": 3,
        "start": iso(t - timedelta(days=2)),
        "end": iso(t),
    }  # cut at the edge


def test_one_day_window_without_a_run_today(athlete, client):
    t = today_in(UTC)
    for n in (1, 2):  # yesterday and the day before, nothing today
        run(athlete, at(UTC, t - timedelta(days=n), 10))
    data = streaks(client, timezone="UTC", days=1)
    assert data["calendar"] == [{"date": iso(t), "active": False, "runs": 0, "distance": 0.0}]
    assert data["longest_streak"] == {"length": 0, "start": None, "end": None}
    assert data["current_streak"] == 2  # yesterday's streak is still alive


def last_dst_change_before(today: date) -> date:
    """The most recent last Sunday of March or October (EU DST changes) before `today`."""
    candidates = []
    for year in (today.year - 1, today.year):
        for month in (3, 10):
            last = date(year, month, 31)
            candidates.append(last - timedelta(days=(last.weekday() + 1) % 7))
    return max(day for day in candidates if day < today)


def test_calendar_across_a_dst_change_in_berlin(athlete, client):
    t = today_in(BERLIN)
    change = last_dst_change_before(t)  # at most ~7 months ago: inside a 400-day window
    # 00:30 on the change day is before the 02:00/03:00 switch, 23:30 after it; in UTC the 00:30 run
    # is still the day before (22:30Z or 23:30Z), the 23:30 run is 21:30Z or 22:30Z of the same day.
    run(athlete, at(BERLIN, change - timedelta(days=1), 23, 30), distance=1000)
    run(athlete, at(BERLIN, change, 0, 30), distance=2000)
    run(athlete, at(BERLIN, change, 23, 30), distance=4000)
    run(athlete, at(BERLIN, change + timedelta(days=1), 0, 30), distance=8000)

    data = streaks(client, timezone="Europe/Berlin", days=400)
    calendar = data["calendar"]
    assert len(calendar) == 400
    dates = [date.fromisoformat(entry["date"]) for entry in calendar]
    assert dates[0] == t - timedelta(days=399)
    assert dates[-1] == t
    assert all(later - earlier == timedelta(days=1) for earlier, later in zip(dates, dates[1:], strict=False))
    days = by_date(calendar)
    assert (days[iso(change - timedelta(days=1))]["runs"], days[iso(change - timedelta(days=1))]["distance"]) == (
        1,
        1000.0,
    )
    assert (days[iso(change)]["runs"], days[iso(change)]["distance"]) == (2, 6000.0)
    assert (days[iso(change + timedelta(days=1))]["runs"], days[iso(change + timedelta(days=1))]["distance"]) == (
        1,
        8000.0,
    )
    assert sum(entry["runs"] for entry in calendar) == 4
    assert data["longest_streak"] == {
        "length": 3,
        "start": iso(change - timedelta(days=1)),
        "end": iso(change + timedelta(days=1)),
    }
    # The streak is current only while change+1 is today or yesterday.
    assert data["current_streak"] == (3 if (t - (change + timedelta(days=1))).days <= 1 else 0)


def test_default_and_maximum_window(athlete, client):
    t = today_in(UTC)
    data = streaks(client, timezone="UTC")
    assert len(data["calendar"]) == 90
    assert data["calendar"][0]["date"] == iso(t - timedelta(days=89))
    assert data["longest_streak"] == {"length": 0, "start": None, "end": None}
    assert len(streaks(client, timezone="UTC", days=3650)["calendar"]) == 3650


# --- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "query", "details"),
    [
        ({"days": 0}, "", {"code": "MIN_VALUE", "field": "days"}),
        ({"days": 3651}, "", {"code": "MAX_VALUE", "field": "days"}),
        ({"days": "x"}, "", {"code": "INVALID", "field": "days"}),
        ({"days": 1.5}, "", {"code": "INVALID", "field": "days"}),
        ({"timezone": "Mars/Olympus_Mons"}, "", {"code": "INVALID_TIMEZONE", "field": "timezone"}),
        ({"timezone_offset_minutes": 900}, "", {"code": "OUT_OF_RANGE", "field": "timezone_offset_minutes"}),
        ({"timezone_offset_minutes": "east"}, "", {"code": "INVALID", "field": "timezone_offset_minutes"}),
        ({"refresh": "maybe"}, "", {"code": "INVALID", "field": "refresh"}),
        ({}, "?refresh=maybe", {"code": "INVALID", "field": "refresh"}),
        ({"user_id": "usr_0000000000000000"}, "", {"code": "USER_NOT_FOUND", "field": "user_id"}),
    ],
)
def test_bad_input(client, body, query, details):
    response = client.post(URL + query, body, format="json")
    assert response.status_code == (404 if details["code"] == "USER_NOT_FOUND" else 400)
    assert response.json()["details"] == details


def test_a_body_that_is_not_an_object(client):
    response = client.post(URL, [1, 2], format="json")
    assert response.status_code == 400
    assert response.json()["details"]["code"] == "INVALID"


# --- access ---------------------------------------------------------------------------------


@pytest.fixture
def club():
    return athlete_club()


def key_client(api, key):
    api.credentials(HTTP_X_API_KEY=key)
    return api


def test_access_matrix(club, api):
    athlete = club["athlete"]
    body = {"user_id": athlete.public_id}

    anonymous = api.post(URL, body, format="json")
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"].startswith("Bearer")
    assert bearer_client(athlete).post(URL, body, format="json").status_code == 200
    assert bearer_client(athlete).post(URL, {}, format="json").status_code == 200  # self without user_id
    assert bearer_client(club["coach"]).post(URL, body, format="json").status_code == 200
    for outsider in (club["teammate"], club["other_coach"]):
        response = bearer_client(outsider).post(URL, body, format="json")
        assert response.status_code == 403
        assert response.json()["details"]["code"] == "FORBIDDEN"
    assert key_client(api, club["own_key"]).post(URL, body, format="json").status_code == 200
    missing = key_client(api, club["own_key"]).post(URL, {}, format="json")
    assert (missing.status_code, missing.json()["details"]) == (400, {"code": "REQUIRED", "field": "user_id"})
    assert key_client(api, club["other_key"]).post(URL, body, format="json").status_code == 403
    unknown = bearer_client(club["coach"]).post(URL, {"user_id": "usr_ffffffffffffffff"}, format="json")
    assert (unknown.status_code, unknown.json()["details"]["code"]) == (404, "USER_NOT_FOUND")


# --- cache ----------------------------------------------------------------------------------


def test_cache_miss_hit_write_miss(athlete, client):
    body = {"timezone": "UTC", "days": 7}
    first = client.post(URL, body, format="json")
    second = client.post(URL, body, format="json")
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert second.json()["data"] == first.json()["data"]
    assert first.json()["data"]["current_streak"] == 0

    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    created = client.post(
        "/api/v1/activities",
        {"start_time": start.isoformat(), "sport": "run", "distance": 5000, "duration": 1500},
        format="json",
    )
    assert created.status_code == 201
    third = client.post(URL, body, format="json")
    assert third["X-Cache"] == "MISS"
    assert third.json()["data"]["current_streak"] == 1
    assert client.post(URL, body, format="json")["X-Cache"] == "HIT"
    assert client.post(URL + "?refresh=true", body, format="json")["X-Cache"] == "MISS"
    assert client.post(URL, {**body, "refresh": True}, format="json")["X-Cache"] == "MISS"
    # Another window or zone is another answer.
    assert client.post(URL, {**body, "days": 8}, format="json")["X-Cache"] == "MISS"
    assert client.post(URL, {**body, "timezone": "Asia/Tokyo"}, format="json")["X-Cache"] == "MISS"


# --- queries --------------------------------------------------------------------------------


def queries_for(coach_client, athlete) -> int:
    coach_client.post(URL, {"user_id": athlete.public_id, "days": 30}, format="json")  # token's last_used_at
    with CaptureQueriesContext(connection) as queries:
        response = coach_client.post(URL, {"user_id": athlete.public_id, "days": 90}, format="json")
    assert response.status_code == 200
    assert response["X-Cache"] == "MISS"
    return len(queries)


def test_query_count_does_not_grow_with_activities():
    org, coach = OrganizationFactory(), CoachFactory()
    MembershipFactory(user=coach, organization=org, role="coach")
    few, many = UserFactory(), UserFactory()
    for athlete in (few, many):
        MembershipFactory(user=athlete, organization=org)
    now = datetime.now(UTC)
    run(few, now - timedelta(days=3))
    Activity.objects.bulk_create(
        ActivityFactory.build(user=many, start_time=now - timedelta(days=2 + n // 2, hours=n % 2)) for n in range(200)
    )
    coach_client = bearer_client(coach)
    one, two_hundred = queries_for(coach_client, few), queries_for(coach_client, many)
    assert one == two_hundred, (one, two_hundred)
    assert one == 4, one  # token, athlete by user_id, coach membership, the GROUP BY
