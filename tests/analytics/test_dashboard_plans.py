"""GET analytics/group_dashboard/plans: active plans with progress and compliance per plan, per
group and per athlete — by hand, on each athlete's own local dates."""

import zoneinfo
from datetime import UTC, datetime, time, timedelta

import pytest

from astral.local_time import today_in
from plans.models import MAX_PLAN_WEEKS, PlanInstance, PlannedWorkout
from tests.analytics.test_dashboard_overview import (
    activity,
    athlete_in,
    bulk_athletes,
    bulk_runs,
    data_of,
    get,
    query_count,
    staff,
    warm,
)
from tests.conftest import bearer_client
from tests.factories import (
    TWELVE_ZONES,
    GroupFactory,
    OrganizationFactory,
    PlanInstanceFactory,
    PlannedWorkoutFactory,
    TrainingPlanFactory,
)

pytestmark = pytest.mark.django_db

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def local(day, hour, minute, zone) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def workouts(plan, *rows):
    for week, day, kind in rows:
        PlannedWorkoutFactory(plan=plan, week=week, day=day, type=kind)


@pytest.fixture
def club():
    org = OrganizationFactory(name="Tempo Club")
    speed = GroupFactory(organization=org, name="Speed")
    long = GroupFactory(organization=org, name="Long")
    GroupFactory(organization=org, name="Nobody")
    coach = staff(org)
    builder = TrainingPlanFactory(organization=org, name="10K Builder", total_weeks=4)
    workouts(
        builder,
        (1, 1, "easy"),
        (1, 2, "rest"),
        (1, 3, "tempo"),
        (1, 5, "cross"),
        (1, 6, "long"),
        (2, 1, "interval"),
        (2, 3, "easy"),
        (2, 5, "long"),
    )
    base = TrainingPlanFactory(organization=org, name="Marathon Base", total_weeks=12)
    workouts(base, (1, 1, "rest"), (2, 1, "long"))

    # Ana (Tokyo) started 9 local days ago: today is week 2 day 3.
    ana = athlete_in(org, "Ana", speed, timezone="Asia/Tokyo")
    start = today_in(TOKYO) - timedelta(days=9)
    PlanInstanceFactory(plan=builder, athlete=ana, start_date=start)
    activity(ana, local(start, 7, 0, TOKYO), 8000)  # W1D1 easy: done
    activity(
        ana, local(start + timedelta(days=1), 7, 0, TOKYO), 5000
    )  # W1D2 rest: a run on a rest day counts for nothing
    activity(ana, local(start + timedelta(days=2), 7, 0, TOKYO), 30000, sport="ride")  # W1D3 tempo: wrong family
    activity(ana, local(start + timedelta(days=4), 18, 0, TOKYO), 1500, sport="swim")  # W1D5 cross: done
    # W1D6 long, run at 00:30 in Tokyo = 15:30 UTC the day before: done on Ana's local day.
    activity(ana, local(start + timedelta(days=5), 0, 30, TOKYO), 21000)
    # W2D1 interval (7 days in): nothing. W2D3 easy is today, not done yet: upcoming, not yet due
    # (the calendar's rule). W2D5 is ahead.

    # Ben (no zone set: UTC) started 2 days ago: week 1 day 3; both due workouts done.
    ben = athlete_in(org, "Ben", speed)
    ben_start = today_in(UTC) - timedelta(days=2)
    PlanInstanceFactory(plan=builder, athlete=ben, start_date=ben_start)
    activity(ben, local(ben_start, 6, 0, UTC), 8000, sport="treadmill")
    activity(ben, local(ben_start + timedelta(days=2), 0, 5, UTC), 10000, sport="trail_run")

    # Dan starts Marathon Base today: week 1, whose only workout is a rest day.
    dan = athlete_in(org, "Dan", long, timezone="America/New_York")
    PlanInstanceFactory(plan=base, athlete=dan, start_date=today_in(NEW_YORK))
    activity(dan, local(today_in(NEW_YORK), 6, 0, NEW_YORK), 12000)

    # Cat has no active plan: one scheduled, one completed, one cancelled.
    cat = athlete_in(org, "Cat", long)
    PlanInstanceFactory(plan=base, athlete=cat, start_date=today_in(UTC) + timedelta(days=3))
    PlanInstanceFactory(plan=builder, athlete=cat, start_date=today_in(UTC) - timedelta(days=40))
    PlanInstanceFactory(plan=builder, athlete=cat, start_date=today_in(UTC) - timedelta(days=1), cancelled=True)
    return {"org": org, "coach": coach, "ana": ana, "ben": ben, "dan": dan}


def test_plans_by_hand(club):
    data = data_of(get(bearer_client(club["coach"]), "plans"))

    athletes = {row["display_name"]: row for row in data["athletes"]}
    assert [row["display_name"] for row in data["athletes"]] == ["Ana", "Ben", "Dan"]
    # Ana: due (before today, rest excluded; today's undone W2D3 is upcoming) W1D1, W1D3, W1D5,
    # W1D6, W2D1 = 5; done W1D1 (run), W1D5 (swim for cross), W1D6 (the 00:30 run) = 3; the ride on
    # the tempo day is the wrong family, the run on the rest day counts for nothing → 3 ÷ 5 = 0.6.
    ana = athletes["Ana"]
    assert (ana["completed"], ana["planned"], ana["compliance"]) == (3, 5, 0.6)
    assert (ana["current_week"], ana["total_weeks"], ana["progress"]) == (2, 4, 0.5)
    assert ana["plan_name"] == "10K Builder"
    assert ana["start_date"] == (today_in(TOKYO) - timedelta(days=9)).isoformat()
    assert ana["user_id"] == club["ana"].public_id
    assert ana["plan_instance_id"].startswith("pi_")
    # Ben: W1D1 (treadmill) and W1D3 today (trail run) done; the rest day between is not due.
    ben = athletes["Ben"]
    assert (ben["completed"], ben["planned"], ben["compliance"]) == (2, 2, 1.0)
    assert (ben["current_week"], ben["progress"]) == (1, 0.25)
    # Dan: only a rest day so far → nothing due, compliance undefined.
    dan = athletes["Dan"]
    assert (dan["completed"], dan["planned"], dan["compliance"]) == (0, 0, None)
    assert (dan["current_week"], dan["total_weeks"], dan["progress"]) == (1, 12, 0.083)  # 1 ÷ 12

    plans = {row["name"]: row for row in data["plans"]}
    assert [row["name"] for row in data["plans"]] == ["10K Builder", "Marathon Base"]
    assert plans["10K Builder"]["athletes"] == 2
    assert plans["10K Builder"]["total_weeks"] == 4
    assert plans["10K Builder"]["avg_current_week"] == 1.5  # (2 + 1) ÷ 2
    assert plans["10K Builder"]["avg_compliance"] == 0.8  # (0.6 + 1.0) ÷ 2
    assert plans["Marathon Base"]["athletes"] == 1
    assert plans["Marathon Base"]["avg_current_week"] == 1.0
    assert plans["Marathon Base"]["avg_compliance"] is None

    groups = {row["name"]: row for row in data["groups"]}
    assert [row["name"] for row in data["groups"]] == ["Long", "Nobody", "Speed"]
    assert groups["Speed"]["athletes_on_plans"] == 2
    assert groups["Speed"]["avg_progress"] == 0.375  # (0.5 + 0.25) ÷ 2
    assert groups["Speed"]["avg_compliance"] == 0.8
    assert groups["Long"]["athletes_on_plans"] == 1  # Dan; Cat has no active plan
    assert groups["Long"]["avg_progress"] == 0.083
    assert groups["Long"]["avg_compliance"] is None
    assert groups["Nobody"] == {
        "group_id": groups["Nobody"]["group_id"],
        "name": "Nobody",
        "athletes_on_plans": 0,
        "avg_progress": None,
        "avg_compliance": None,
    }


def test_status_and_days_follow_each_athletes_own_date():
    org = OrganizationFactory()
    coach = staff(org)
    plan = TrainingPlanFactory(organization=org, name="Island Plan", total_weeks=2)
    workouts(plan, (1, 1, "easy"))
    kiritimati, pago = zoneinfo.ZoneInfo("Pacific/Kiritimati"), zoneinfo.ZoneInfo("Pacific/Pago_Pago")
    first_day = today_in(kiritimati)  # UTC+14: always a day or two ahead of Pago Pago (UTC−11)
    early = athlete_in(org, "Early", timezone="Pacific/Kiritimati")
    late = athlete_in(org, "Late", timezone="Pacific/Pago_Pago")
    PlanInstanceFactory(plan=plan, athlete=early, start_date=first_day)
    PlanInstanceFactory(plan=plan, athlete=late, start_date=first_day)  # not yet started in Pago Pago
    # 00:15 on the first day in Kiritimati is 10:15 UTC the day before: still done on the day.
    activity(early, local(first_day, 0, 15, kiritimati), 6000)
    assert today_in(pago) < first_day

    data = data_of(get(bearer_client(coach), "plans"))

    assert [row["display_name"] for row in data["athletes"]] == ["Early"]
    assert data["athletes"][0]["compliance"] == 1.0  # 1 ÷ 1


def test_an_organization_without_plans_or_groups():
    org = OrganizationFactory()
    athlete_in(org, "Alex")
    data = data_of(get(bearer_client(staff(org)), "plans"))
    assert data == {"org_id": org.public_id, "plans": [], "groups": [], "athletes": []}


@pytest.mark.parametrize("overlapping", [False, True], ids=["one plan each", "two overlapping plans each"])
def test_plans_queries_do_not_grow_with_athletes_groups_or_time_zones(overlapping):
    def world(count, groups, prefix, zones):
        org = OrganizationFactory()
        coach = staff(org)
        plan = TrainingPlanFactory(organization=org, total_weeks=8)
        PlannedWorkout.objects.bulk_create(
            [PlannedWorkout(plan=plan, week=w, day=d, type="easy") for w in (1, 2) for d in (1, 3, 5)]
        )
        start = today_in(UTC) - timedelta(days=10)
        for index in range(groups):
            group = GroupFactory(organization=org, name=f"{prefix} {index}")
            users = bulk_athletes(org, group, count // groups, f"{prefix}{index}x", zones)
            PlanInstance.objects.bulk_create([PlanInstance(plan=plan, athlete=u, start_date=start) for u in users])
            if overlapping:  # a second, two-day plan on the same days: its runs are paired one by one
                short = TrainingPlanFactory(organization=org, total_weeks=1, name=f"{prefix} short {index}")
                PlannedWorkout.objects.create(plan=short, week=1, day=1, type="easy")
                PlanInstance.objects.bulk_create(
                    [PlanInstance(plan=short, athlete=u, start_date=start + timedelta(days=2)) for u in users]
                )
            # 10:30 UTC is the same calendar day from UTC−10:30 to UTC+13:29: every zone's run
            # falls on the planned day.
            bulk_runs(users, [local(start + timedelta(days=d), 10, 30, UTC) for d in (0, 2, 4)])
        # Athletes in several zones: still one query for their local days.
        for name in ("Asia/Tokyo", "America/New_York"):
            athlete = athlete_in(org, name, timezone=name)
            PlanInstanceFactory(plan=plan, athlete=athlete, start_date=start)
            activity(athlete, local(start, 7, 0, zoneinfo.ZoneInfo(name)), 5000)
        client = bearer_client(coach)
        warm(client, "plans")
        return client

    small, large = world(1, 1, "solo", ("Europe/Berlin",)), world(200, 20, "crowd", TWELVE_ZONES)
    assert query_count(small, "plans") == query_count(large, "plans")
    rows = [row for row in data_of(get(large, "plans"))["athletes"] if "short" not in row["plan_name"]]
    assert len(rows) == 202
    # Days 0, 2, 4 are W1D1, W1D3, W1D5; W2D1 (day 7) and W2D3 (day 9) are missed: 3 ÷ 5 — where the
    # athlete's today is UTC's (further east, late in the UTC day, W2D5 is today: upcoming, not due).
    utc_today = today_in(UTC)
    same_today = {
        row["compliance"]
        for row in rows
        if "/" not in row["display_name"]
        and today_in(zoneinfo.ZoneInfo(TWELVE_ZONES[int(row["display_name"].split()[-1]) % 12])) == utc_today
    }
    assert same_today == {0.6}


def test_a_two_year_plan_in_its_last_week_is_active_and_counts_runs_from_its_first():
    org = OrganizationFactory()
    coach = staff(org)
    plan = TrainingPlanFactory(organization=org, name="Two Years", total_weeks=MAX_PLAN_WEEKS)
    workouts(plan, (1, 1, "easy"), (MAX_PLAN_WEEKS, 7, "long"))
    athlete = athlete_in(org, "Patient", timezone="UTC")
    today = today_in(UTC)
    start = today - timedelta(weeks=MAX_PLAN_WEEKS - 1, days=today.weekday())  # week 104 is this week
    PlanInstanceFactory(plan=plan, athlete=athlete, start_date=start)
    activity(athlete, local(start, 7, 0, UTC), 8000)  # W1D1, two years ago: done
    bystander = athlete_in(org, "No Plan", timezone="UTC")
    activity(bystander, local(start, 8, 0, UTC), 5000)

    [row] = data_of(get(bearer_client(coach), "plans"))["athletes"]

    assert (row["display_name"], row["current_week"], row["total_weeks"]) == ("Patient", MAX_PLAN_WEEKS, 104)
    # W104D7 is today or later (the plan ends after it): upcoming, not yet due.
    assert (row["completed"], row["planned"]) == (1, 1)


def test_a_plan_longer_than_two_years_is_refused_by_the_database():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingPlanFactory(total_weeks=MAX_PLAN_WEEKS + 1)


def test_overlapping_plans_count_each_run_once_as_the_calendar_pairs_it():
    org = OrganizationFactory()
    coach = staff(org)
    base = TrainingPlanFactory(organization=org, name="Base", total_weeks=4)
    speed = TrainingPlanFactory(organization=org, name="Speed", total_weeks=4)
    PlannedWorkoutFactory(plan=base, week=2, day=1, type="easy", duration=3000.0)
    PlannedWorkoutFactory(plan=speed, week=1, day=1, type="tempo", duration=1800.0)
    athlete = athlete_in(org, "Double", timezone="Asia/Tokyo")
    day = today_in(TOKYO) - timedelta(days=3)
    PlanInstanceFactory(plan=base, athlete=athlete, start_date=day - timedelta(days=7))  # W2D1 is `day`
    PlanInstanceFactory(plan=speed, athlete=athlete, start_date=day)  # W1D1 is `day`
    run = activity(athlete, local(day, 7, 0, TOKYO), 6000, duration=1800.0)

    client = bearer_client(coach)
    rows = {row["plan_name"]: row for row in data_of(get(client, "plans"))["athletes"]}
    calendar = client.get(
        "/api/v1/analytics/calendar", {"user_id": athlete.public_id, "from": day.isoformat(), "to": day.isoformat()}
    )
    [entry] = calendar.json()["data"]["days"]

    # One run, two planned workouts: the calendar pairs it with the tempo (ratio 1800/1800 = 1.00
    # beats 1800/3000 = 0.60), so Speed has it done and Base's easy run is missed — not both done.
    assert [(p["type"], p["activity_id"]) for p in entry["planned"]] == [("easy", None), ("tempo", run.public_id)]
    assert (rows["Speed"]["completed"], rows["Speed"]["planned"], rows["Speed"]["compliance"]) == (1, 1, 1.0)
    assert (rows["Base"]["completed"], rows["Base"]["planned"], rows["Base"]["compliance"]) == (0, 1, 0.0)
