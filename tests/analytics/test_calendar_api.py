"""GET analytics/calendar: planned workouts and activities per local day of the athlete, each
workout paired with at most one activity, compliance by TrainingPeaks' colours — values by hand."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics.selectors.dashboard_plans import group_dashboard_plans
from plans.models import PlannedWorkout
from tests.access import ATHLETE_READ_MATRIX, athlete_access_clients
from tests.conftest import bearer_client
from tests.factories import (
    ActivityFactory,
    CoachFactory,
    MembershipFactory,
    OrganizationFactory,
    PlanInstanceFactory,
    TrainingPlanFactory,
    UserFactory,
)

URL = "/api/v1/analytics/calendar"
NEW_YORK = ZoneInfo("America/New_York")
START = date(2026, 11, 2)  # a Monday; New York is on EST (UTC−5) from 1 November
TODAY = date(2026, 11, 12)  # week 2, day 4
NOW = datetime(2026, 11, 12, 17, 0, tzinfo=UTC)  # 12:00 in New York

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch):
    monkeypatch.setattr("analytics.api.calendar_views.calendar_now", lambda: NOW)


def ny(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=NEW_YORK).astimezone(UTC)


def workout(plan, week, day, kind, distance=None, duration=None):
    return PlannedWorkout.objects.create(plan=plan, week=week, day=day, type=kind, distance=distance, duration=duration)


def run(user, day, hour, duration, distance=10000, sport="run", minute=0):
    return ActivityFactory(
        user=user, sport=sport, start_time=ny(day, hour, minute), duration=duration, distance=distance
    )


@pytest.fixture
def athlete():
    return UserFactory(timezone="America/New_York")


@pytest.fixture
def season(athlete):
    """A 10K plan from Monday 2 November with one activity of each compliance case."""
    org = OrganizationFactory()
    MembershipFactory(user=athlete, organization=org)
    plan = TrainingPlanFactory(organization=org, name="10K Builder", total_weeks=4)
    workout(plan, 1, 1, "easy", duration=3600)  # Mon 2: 1800 s → 0.50 partial, yellow
    workout(plan, 1, 2, "tempo", distance=8000, duration=3000)  # Tue 3: 2550 s → 0.85 (duration wins)
    workout(plan, 1, 3, "rest")  # Wed 4: left out; that day's run is unplanned
    workout(plan, 1, 4, "interval", distance=10000)  # Thu 5: 13 km → 1.30 (distance only), yellow
    workout(plan, 1, 5, "cross", duration=2700)  # Fri 6: a 4320 s ride → 1.60, red
    workout(plan, 1, 6, "long", duration=7200)  # Sat 7: nothing → missed, red
    workout(plan, 2, 1, "easy", duration=3600)  # Mon 9: the 23:30 run → 1.00, green
    workout(plan, 2, 3, "easy", duration=2400)  # Wed 11: two runs, best match
    workout(plan, 2, 3, "interval", duration=4800)
    workout(plan, 2, 4, "easy", duration=3600)  # Thu 12 = today, not run yet → upcoming
    workout(plan, 2, 6, "long", duration=7200)  # Sat 14 → upcoming
    instance = PlanInstanceFactory(plan=plan, athlete=athlete, start_date=START)
    acts = {
        "mon": run(athlete, date(2026, 11, 2), 7, 1800),
        "tue": run(athlete, date(2026, 11, 3), 7, 2550, distance=9000, sport="treadmill"),
        "wed": run(athlete, date(2026, 11, 4), 7, 1500, distance=5000),
        "thu": run(athlete, date(2026, 11, 5), 18, 3900, distance=13000, sport="trail_run"),
        "fri": run(athlete, date(2026, 11, 6), 12, 4320, distance=30000, sport="ride"),
        # 23:30 on Monday 9 in New York is 04:30Z on Tuesday 10: Monday's run.
        "late": run(athlete, date(2026, 11, 9), 23, 3600, minute=30),
        # Wednesday 11: the long one first; plan order would give it to the easy workout (2.00).
        "wed_long": run(athlete, date(2026, 11, 11), 6, 4800, distance=16000),
        "wed_short": run(athlete, date(2026, 11, 11), 18, 2400, distance=8000),
    }
    return {"org": org, "plan": plan, "instance": instance, "acts": acts}


def calendar(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.json()
    return response.json()


def by_date(body) -> dict[str, dict]:
    return {day["date"]: day for day in body["data"]["days"]}


def verdict(status, ratio, colour):
    return {"status": status, "ratio": ratio, "colour": colour}


def test_every_compliance_case_by_hand(athlete, season):
    acts = season["acts"]
    body = calendar(bearer_client(athlete), **{"from": "2026-11-02", "to": "2026-11-15"})
    assert body["meta"] == {
        "user_id": athlete.public_id,
        "timezone": "America/New_York",
        "today": "2026-11-12",
        "from": "2026-11-02",
        "to": "2026-11-15",
    }
    days = by_date(body)
    assert list(days) == [(START + timedelta(days=n)).isoformat() for n in range(14)]

    def planned(day):
        return [(p["type"], p["activity_id"], p["compliance"]) for p in days[day]["planned"]]

    def done(day):
        return [(a["activity_id"], a["sport"], a["compliance"]) for a in days[day]["activities"]]

    mon = acts["mon"].public_id
    assert planned("2026-11-02") == [("easy", mon, verdict("partial", 0.5, "yellow"))]
    assert done("2026-11-02") == [(mon, "run", verdict("partial", 0.5, "yellow"))]
    assert planned("2026-11-03") == [("tempo", acts["tue"].public_id, verdict("completed", 0.85, "green"))]
    assert days["2026-11-03"]["planned"][0]["distance"] == 8000
    assert days["2026-11-03"]["planned"][0]["duration"] == 3000
    assert planned("2026-11-04") == []  # a rest day is not planned work
    assert done("2026-11-04") == [(acts["wed"].public_id, "run", verdict("unplanned", None, "grey"))]
    assert planned("2026-11-05") == [("interval", acts["thu"].public_id, verdict("completed", 1.3, "yellow"))]
    assert planned("2026-11-06") == [("cross", acts["fri"].public_id, verdict("completed", 1.6, "red"))]
    assert done("2026-11-06") == [(acts["fri"].public_id, "ride", verdict("completed", 1.6, "red"))]
    assert planned("2026-11-07") == [("long", None, verdict("missed", None, "red"))]
    assert planned("2026-11-09") == [("easy", acts["late"].public_id, verdict("completed", 1.0, "green"))]
    assert done("2026-11-10") == []  # 04:30Z on the 10th is still the 9th in New York
    assert planned("2026-11-11") == [
        ("easy", acts["wed_short"].public_id, verdict("completed", 1.0, "green")),
        ("interval", acts["wed_long"].public_id, verdict("completed", 1.0, "green")),
    ]
    assert [a["activity_id"] for a in days["2026-11-11"]["activities"]] == [
        acts["wed_long"].public_id,
        acts["wed_short"].public_id,
    ]  # by start time
    assert planned("2026-11-12") == [("easy", None, verdict("upcoming", None, None))]
    assert planned("2026-11-14") == [("long", None, verdict("upcoming", None, None))]
    assert days["2026-11-02"]["activities"][0]["distance"] == 10000
    assert days["2026-11-02"]["activities"][0]["duration"] == 1800


def test_today_done_is_paired_and_the_plans_tab_agrees(athlete, season):
    run(athlete, TODAY, 7, 2700)  # today's easy 3600 s: 0.75 → partial, yellow
    days = by_date(calendar(bearer_client(athlete), **{"from": "2026-11-02", "to": "2026-11-15"}))
    assert days["2026-11-12"]["planned"][0]["compliance"] == verdict("partial", 0.75, "yellow")

    statuses = [p["compliance"]["status"] for day in days.values() for p in day["planned"]]
    # On or before today: partial ×2 (2nd, 12th) + completed ×6 done, 1 missed (7th) → 8 ÷ 9.
    assert sorted(statuses) == sorted(["partial"] * 2 + ["completed"] * 6 + ["missed"] + ["upcoming"])
    [row] = group_dashboard_plans(organization=season["org"], groups=[], now=NOW)["athletes"]
    assert (row["completed"], row["planned"], row["compliance"]) == (8, 9, 0.889)


def test_plans_tab_leaves_todays_undone_workout_out(athlete, season):
    [row] = group_dashboard_plans(organization=season["org"], groups=[], now=NOW)["athletes"]
    # Done 2, 3, 5, 6, 9, 11 ×2 = 7 (partial on the 2nd counts); missed the 7th; today upcoming.
    assert (row["completed"], row["planned"], row["compliance"]) == (7, 8, 0.875)


def test_defaults_to_this_month_of_the_athletes_zone(athlete, season, monkeypatch):
    # 03:00Z on 1 December is still 30 November in New York.
    monkeypatch.setattr("analytics.api.calendar_views.calendar_now", lambda: datetime(2026, 12, 1, 3, tzinfo=UTC))
    body = calendar(bearer_client(athlete))
    assert (body["meta"]["from"], body["meta"]["to"], body["meta"]["today"]) == (
        "2026-11-01",
        "2026-11-30",
        "2026-11-30",
    )
    assert len(body["data"]["days"]) == 30
    only_from = calendar(bearer_client(athlete), **{"from": "2026-11-20"})["meta"]
    assert (only_from["from"], only_from["to"]) == ("2026-11-20", "2026-11-30")
    only_to = calendar(bearer_client(athlete), to="2026-12-03")["meta"]
    assert (only_to["from"], only_to["to"]) == ("2026-12-01", "2026-12-03")


def test_cancelled_instances_are_left_out(athlete, season):
    season["instance"].cancelled = True
    season["instance"].save()
    days = by_date(calendar(bearer_client(athlete), **{"from": "2026-11-02", "to": "2026-11-08"}))
    assert all(day["planned"] == [] for day in days.values())
    assert days["2026-11-02"]["activities"][0]["compliance"] == verdict("unplanned", None, "grey")


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"from": "2026-11-10", "to": "2026-11-09"}, "to", "INVALID"),
        ({"from": "2026-01-01", "to": "2026-04-11"}, "to", "RANGE_TOO_LONG"),  # 101 days
        ({"from": "2026-02-30", "to": "2026-03-01"}, "from", "INVALID"),
        ({"from": "2026-11-01", "to": "yesterday"}, "to", "INVALID"),
        ({"from": "2026-11-01\x00", "to": "2026-11-02"}, "from", "INVALID_CHARACTERS"),
        ({"from": "2026-11-01", "to": "2026-11-02", "user_id": "usr_\x00"}, "user_id", "INVALID_CHARACTERS"),
        ({"from": "2026-12-31", "to": "2026-12-31'; DROP TABLE x"}, "to", "INVALID"),
        ({"from": "9999-12-31", "to": "9999-12-31"}, "from", "OUT_OF_RANGE"),  # no day after it
        ({"from": "0001-01-01", "to": "0001-01-01"}, "from", "OUT_OF_RANGE"),
        ({"to": "1899-12-31"}, "to", "OUT_OF_RANGE"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(athlete, params, field, code):
    response = bearer_client(athlete).get(URL, params)
    assert response.status_code == 400
    assert response.json()["details"] == {"code": code, "field": field}


def test_one_hundred_days_is_the_limit(athlete):
    body = calendar(bearer_client(athlete), **{"from": "2026-01-01", "to": "2026-04-10"})
    assert len(body["data"]["days"]) == 100


@pytest.mark.parametrize(("first", "last"), [("1900-01-01", "1900-01-31"), ("9998-12-01", "9998-12-31")])
def test_the_extreme_dates_answer(first, last):
    athlete = UserFactory(timezone="Pacific/Kiritimati")  # UTC+14: the last local day ends early in UTC
    PlanInstanceFactory(athlete=athlete, start_date=date(1900, 1, 1))
    body = calendar(bearer_client(athlete), **{"from": first, "to": last})
    assert (body["meta"]["from"], len(body["data"]["days"])) == (first, 31)


def test_malformed_and_unknown_user_ids_are_404(athlete):
    client = bearer_client(CoachFactory())
    for user_id in ("usr_nothex", "usr_0000000000000000"):
        response = client.get(URL, {"user_id": user_id})
        assert (response.status_code, response.json()["details"]["code"]) == (404, "USER_NOT_FOUND")


class TestAccess:
    @pytest.fixture
    def club(self, athlete, season):
        return athlete_access_clients(athlete)

    @pytest.mark.parametrize(("who", "status"), ATHLETE_READ_MATRIX)
    def test_matrix(self, athlete, season, club, who, status):
        response = club[who].get(URL, {"user_id": athlete.public_id, "from": "2026-11-02", "to": "2026-11-02"})
        assert response.status_code == status
        if status == 200:
            assert response.json()["data"]["days"][0]["planned"][0]["compliance"]["ratio"] == 0.5

    def test_an_api_key_must_name_the_athlete(self, club):
        response = club["their organization's key"].get(URL)
        assert (response.status_code, response.json()["details"]) == (400, {"code": "REQUIRED", "field": "user_id"})


def test_query_count_is_constant_for_days_activities_and_plans(athlete):
    client = bearer_client(athlete)
    client.get(URL)  # the first request of a token writes last_used_at

    def measure(**params) -> int:
        with CaptureQueriesContext(connection) as queries:
            calendar(client, **params)
        return len(queries.captured_queries)

    one_day = {"from": "2026-11-02", "to": "2026-11-02"}
    hundred_days = {"from": "2026-09-01", "to": "2026-12-09"}
    plan = TrainingPlanFactory(total_weeks=1)
    workout(plan, 1, 1, "easy", duration=3600)
    PlanInstanceFactory(plan=plan, athlete=athlete, start_date=START)
    run(athlete, START, 7, 3600)
    baseline = measure(**one_day)
    for index in range(12):
        plan = TrainingPlanFactory(total_weeks=15)
        for week in range(1, 16):
            workout(plan, week, 1 + index % 7, "easy", duration=3600)
        PlanInstanceFactory(plan=plan, athlete=athlete, start_date=date(2026, 9, 7) + timedelta(days=index))
    for n in range(150):
        run(athlete, date(2026, 9, 1) + timedelta(days=n % 100), 5 + n % 12, 3000 + n, minute=1)
    assert measure(**one_day) == baseline
    assert measure(**hundred_days) == baseline
