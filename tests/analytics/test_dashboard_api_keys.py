"""An organization's API key reads its own Group Dashboard (SPEC §2: read access to that
organization's analytics), with the values a coach gets; another organization's key gets 403.

Keys have no profile zone: without `timezone` the local days are UTC.
"""

from datetime import UTC, datetime, timedelta

import pytest

from organizations.services import api_key_create
from tests.access import key_client
from tests.analytics.test_dashboard_overview import activity, athlete_in, data_of, error_of, get, staff
from tests.conftest import bearer_client
from tests.factories import (
    GroupFactory,
    OrganizationFactory,
    PlanInstanceFactory,
    PlannedWorkoutFactory,
    TrainingPlanFactory,
)

pytestmark = pytest.mark.django_db

WEEK = "2025-03-12"  # ISO week Monday 2025-03-10 … Sunday 2025-03-16


@pytest.fixture
def clubs():
    org = OrganizationFactory(name="Tempo Club")
    milers = GroupFactory(organization=org, name="Milers")
    coach = staff(org)
    rita = athlete_in(org, "Rita", milers)
    sam = athlete_in(org, "Sam", milers)
    tom = athlete_in(org, "Tom")  # in the organization, in no group
    activity(rita, datetime(2025, 3, 10, 8, tzinfo=UTC), 10000, duration=3000)
    activity(sam, datetime(2025, 3, 11, 8, tzinfo=UTC), 8000, duration=2400)
    activity(rita, datetime(2025, 3, 12, 8, tzinfo=UTC), 5000, duration=1500)
    activity(tom, datetime(2025, 3, 13, 8, tzinfo=UTC), 12000, duration=3600)
    activity(rita, datetime(2025, 3, 17, 8, tzinfo=UTC), 9000, duration=2700)  # the next week

    # Rita's plan started two days ago: W1D1 is done; W1D3 is today, not done yet: upcoming, not due.
    plan = TrainingPlanFactory(organization=org, name="Spring 10K", total_weeks=4)
    PlannedWorkoutFactory(plan=plan, week=1, day=1, type="easy")
    PlannedWorkoutFactory(plan=plan, week=1, day=3, type="easy")
    start = datetime.now(UTC).date() - timedelta(days=2)
    instance = PlanInstanceFactory(plan=plan, athlete=rita, start_date=start)
    activity(rita, datetime(start.year, start.month, start.day, 12, tzinfo=UTC), 6000, duration=1800)

    other = OrganizationFactory(name="Other Club")
    GroupFactory(organization=other, name="Trail Crew")
    olga = athlete_in(other, "Olga")
    activity(olga, datetime(2025, 3, 11, 8, tzinfo=UTC), 20000, duration=6000)

    own_key, _ = api_key_create(organization=org, name="sync", created_by=None)
    other_key, _ = api_key_create(organization=other, name="sync", created_by=None)
    return {
        "org": org,
        "milers": milers,
        "coach": coach,
        "rita": rita,
        "sam": sam,
        "plan": plan,
        "instance": instance,
        "other": other,
        "own": key_client(own_key),
        "foreign": key_client(other_key),
    }


def test_overview_of_a_group_and_of_the_organization(clubs):
    key, org_id = clubs["own"], clubs["org"].public_id
    group = data_of(get(key, "overview", org_id=org_id, group_id=clubs["milers"].public_id, week=WEEK))
    assert group["timezone"] == "UTC"
    assert (group["week_start"], group["week_end"]) == ("2025-03-10", "2025-03-16")
    assert (group["total_distance"], group["total_activities"]) == (23000.0, 3)
    assert (group["active_athletes"], group["total_athletes"], group["engagement_rate"]) == (2, 2, 1.0)
    assert [(row["display_name"], row["days"], row["total_distance"]) for row in group["member_matrix"]] == [
        ("Rita", [10000.0, 0, 5000.0, 0, 0, 0, 0], 15000.0),
        ("Sam", [0, 8000.0, 0, 0, 0, 0, 0], 8000.0),
    ]
    # Without group_id the organization's athletes (Tom too); the key's own organization by default.
    whole = data_of(get(key, "overview", week=WEEK))
    assert whole["org_id"] == org_id
    assert (whole["total_distance"], whole["total_activities"], whole["total_athletes"]) == (35000.0, 4, 3)


def test_groups_comparison_and_drill_down(clubs):
    key = clubs["own"]
    window = {"from": "2025-03-10", "to": "2025-03-16"}
    groups = data_of(get(key, "groups", **window))
    assert groups["org_id"] == clubs["org"].public_id
    assert groups["groups"] == [
        {
            "group_id": clubs["milers"].public_id,
            "name": "Milers",
            "member_count": 2,
            "total_distance": 23000.0,
            "total_activities": 3,
            "active_athletes": 2,
            "engagement_rate": 1.0,
        }
    ]
    detail = data_of(get(key, f"groups/{clubs['milers'].public_id}", **window))
    assert detail["totals"]["distance"] == 23000.0
    assert detail["totals"]["activities"] == 3
    assert detail["totals"]["duration"] == 6900.0
    assert [(day["date"], day["distance"]) for day in detail["daily"]] == [
        ("2025-03-10", 10000.0),
        ("2025-03-11", 8000.0),
        ("2025-03-12", 5000.0),
        ("2025-03-13", 0),
        ("2025-03-14", 0),
        ("2025-03-15", 0),
        ("2025-03-16", 0),
    ]
    assert [(m["display_name"], m["distance"], m["last_activity_date"]) for m in detail["members"]] == [
        ("Rita", 15000.0, "2025-03-12"),
        ("Sam", 8000.0, "2025-03-11"),
    ]


def test_plans(clubs):
    data = data_of(get(clubs["own"], "plans"))
    assert data["org_id"] == clubs["org"].public_id
    [athlete] = data["athletes"]
    assert athlete["display_name"] == "Rita"
    assert athlete["plan_instance_id"] == clubs["instance"].public_id
    assert (athlete["current_week"], athlete["total_weeks"], athlete["progress"]) == (1, 4, 0.25)
    assert (athlete["completed"], athlete["planned"], athlete["compliance"]) == (1, 1, 1.0)
    [plan] = data["plans"]
    assert (plan["plan_id"], plan["athletes"], plan["avg_compliance"]) == (clubs["plan"].public_id, 1, 1.0)


@pytest.mark.parametrize("endpoint", ["overview", "groups", "groups/{group}", "plans"])
def test_the_key_answers_like_the_organizations_coach(clubs, endpoint):
    path = endpoint.format(group=clubs["milers"].public_id)
    params = {"week": WEEK} if endpoint == "overview" else {}
    keyed = get(clubs["own"], path, timezone="UTC", **params)
    assert keyed["X-Cache"] == "MISS"
    assert get(clubs["own"], path, timezone="UTC", **params)["X-Cache"] == "HIT"
    coach = get(bearer_client(clubs["coach"]), path, timezone="UTC", **params)
    assert coach["X-Cache"] == "MISS"  # each caller has their own entry
    assert data_of(keyed) == data_of(coach)


@pytest.mark.parametrize("endpoint", ["overview", "groups", "groups/{group}", "plans"])
def test_another_organizations_key_is_refused(clubs, endpoint):
    path = endpoint.format(group=clubs["milers"].public_id)
    error_of(get(clubs["foreign"], path, org_id=clubs["org"].public_id), 403, "FORBIDDEN")


def test_a_key_without_org_id_reads_only_its_own_organization(clubs):
    data = data_of(get(clubs["foreign"], "groups", **{"from": "2025-03-10", "to": "2025-03-16"}))
    assert data["org_id"] == clubs["other"].public_id
    assert [(g["name"], g["member_count"], g["total_distance"]) for g in data["groups"]] == [("Trail Crew", 0, 0)]
    # The other organization's group is not one of its groups.
    error_of(get(clubs["foreign"], f"groups/{clubs['milers'].public_id}"), 404, "GROUP_NOT_FOUND", "group_id")
