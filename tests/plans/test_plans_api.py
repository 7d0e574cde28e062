"""POST/GET plans, GET plans/{id}, POST plans/{id}/assign."""

from datetime import UTC, datetime, timedelta

import pytest
from rest_framework.test import APIClient

from organizations.services import api_key_create
from plans.models import PlanInstance, TrainingPlan
from tests.conftest import bearer_client
from tests.factories import (
    CoachFactory,
    MembershipFactory,
    OrganizationFactory,
    TrainingPlanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PLAN = {
    "name": "Marathon Block A",
    "total_weeks": 16,
    "description": "Sub-3:10 build",
    "workouts": [
        {"week": 1, "day": 2, "type": "interval", "distance": 10000, "description": "6 × 800 m"},
        {"week": 1, "day": 7, "type": "long", "distance": 24000},
        {"week": 16, "day": 7, "type": "race", "distance": 42195},
    ],
}


@pytest.fixture
def club():
    org = OrganizationFactory()
    coach, admin, other_coach = CoachFactory(), CoachFactory(), CoachFactory()
    athlete, outsider_athlete = UserFactory(timezone="UTC"), UserFactory()
    MembershipFactory(user=coach, organization=org, role="coach")
    MembershipFactory(user=admin, organization=org, role="admin")
    MembershipFactory(user=athlete, organization=org)
    other_org = OrganizationFactory()
    MembershipFactory(user=other_coach, organization=other_org, role="coach")
    MembershipFactory(user=outsider_athlete, organization=other_org)
    return {
        "org": org,
        "coach": coach,
        "admin": admin,
        "athlete": athlete,
        "other_coach": other_coach,
        "outsider": outsider_athlete,
        "other_org": other_org,
    }


def test_coach_creates_a_plan_in_their_org(club):
    response = bearer_client(club["coach"]).post("/api/v1/plans", PLAN, format="json")

    assert response.status_code == 201
    data = response.json()["data"]
    plan = TrainingPlan.objects.get()
    assert data["plan_id"] == plan.public_id
    assert data["plan_id"].startswith("pln_")
    assert data["org_id"] == club["org"].public_id
    assert data["workout_count"] == 3
    assert [(w["week"], w["day"], w["type"]) for w in data["workouts"]] == [
        (1, 2, "interval"),
        (1, 7, "long"),
        (16, 7, "race"),
    ]
    assert plan.created_by == club["coach"]
    assert plan.workouts.get(week=1, day=2).description == "6 × 800 m"


def test_explicit_org_id_must_be_coached(club):
    response = bearer_client(club["coach"]).post(
        "/api/v1/plans", {**PLAN, "org_id": club["other_org"].public_id}, format="json"
    )
    assert response.status_code == 403
    assert not TrainingPlan.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"total_weeks": 0}, "total_weeks", "MIN_VALUE"),
        ({"name": ""}, "name", "BLANK"),
        ({"workouts": [{"week": 17, "day": 1, "type": "easy"}]}, "workouts.0.week", "MAX_VALUE"),
        ({"workouts": [{"week": 1, "day": 8, "type": "easy"}]}, "workouts.0.day", "MAX_VALUE"),
        (
            {"workouts": [{"week": 1, "day": 1, "type": "easy"}, {"week": 1, "day": 2, "type": "jog"}]},
            "workouts.1.type",
            "INVALID_CHOICE",
        ),
        ({"workouts": [{"week": 1, "day": 1, "type": "easy", "distance": -5}]}, "workouts.0.distance", "MIN_VALUE"),
        ({"org_id": "org_nope"}, None, "ORGANIZATION_NOT_FOUND"),
    ],
)
def test_bad_plans_are_rejected_and_nothing_stored(club, change, field, code):
    response = bearer_client(club["coach"]).post("/api/v1/plans", {**PLAN, **change}, format="json")
    assert response.status_code in (400, 404)
    details = response.json()["details"]
    assert details["code"] == code
    assert details.get("field") == field
    assert not TrainingPlan.objects.exists()


def test_athletes_and_api_keys_cannot_manage_plans(club, api):
    athlete = bearer_client(club["athlete"])
    assert athlete.post("/api/v1/plans", PLAN, format="json").status_code == 403
    assert athlete.get("/api/v1/plans").status_code == 403
    secret, _ = api_key_create(organization=club["org"], name="k", created_by=None)
    api.credentials(HTTP_X_API_KEY=secret)
    assert api.get("/api/v1/plans").status_code == 403
    assert APIClient().get("/api/v1/plans").status_code == 401


def test_list_shows_only_plans_of_coached_orgs(club):
    mine = TrainingPlanFactory(organization=club["org"], name="B plan")
    TrainingPlanFactory(organization=club["other_org"], name="Theirs")
    data = bearer_client(club["coach"]).get("/api/v1/plans").json()["data"]
    assert [row["plan_id"] for row in data] == [mine.public_id]
    assert bearer_client(club["other_coach"]).get(f"/api/v1/plans/{mine.public_id}").status_code == 403
    assert bearer_client(club["coach"]).get("/api/v1/plans/pln_missing").status_code == 404


def today():
    return datetime.now(UTC).date()


@pytest.mark.parametrize(
    ("days_ago", "status", "week"),
    [
        (0, "active", 1),
        (6, "active", 1),
        (7, "active", 2),
        (35, "active", 6),
        (-3, "scheduled", 0),
        (16 * 7 - 1, "active", 16),
        (16 * 7, "completed", 16),
    ],
)
def test_assign_status_and_current_week(club, days_ago, status, week):
    plan = TrainingPlanFactory(organization=club["org"], total_weeks=16, name="Marathon Block A")
    start = today() - timedelta(days=days_ago)

    response = bearer_client(club["coach"]).post(
        f"/api/v1/plans/{plan.public_id}/assign",
        {"user_id": club["athlete"].public_id, "start_date": start.isoformat()},
        format="json",
    )

    assert response.status_code == 201
    data = response.json()["data"]
    instance = PlanInstance.objects.get()
    assert data == {
        "plan_instance_id": instance.public_id,
        "plan_id": plan.public_id,
        "user_id": club["athlete"].public_id,
        "name": "Marathon Block A",
        "status": status,
        "start_date": start.isoformat(),
        "current_week": week,
        "total_weeks": 16,
    }
    assert data["plan_instance_id"].startswith("pi_")


def test_assign_bumps_the_athletes_data_version(club):
    plan = TrainingPlanFactory(organization=club["org"])
    before = club["athlete"].data_version
    bearer_client(club["admin"]).post(
        f"/api/v1/plans/{plan.public_id}/assign",
        {"user_id": club["athlete"].public_id, "start_date": today().isoformat()},
        format="json",
    )
    club["athlete"].refresh_from_db()
    assert club["athlete"].data_version == before + 1


def test_assign_refusals(club):
    plan = TrainingPlanFactory(organization=club["org"])
    url = f"/api/v1/plans/{plan.public_id}/assign"
    body = {"user_id": club["athlete"].public_id, "start_date": today().isoformat()}

    outsider = bearer_client(club["coach"]).post(url, {**body, "user_id": club["outsider"].public_id}, format="json")
    assert outsider.status_code == 403
    assert bearer_client(club["other_coach"]).post(url, body, format="json").status_code == 403
    assert bearer_client(club["athlete"]).post(url, body, format="json").status_code == 403
    unknown_user = bearer_client(club["coach"]).post(url, {**body, "user_id": "usr_nobody"}, format="json")
    assert unknown_user.status_code == 404
    assert bearer_client(club["coach"]).post("/api/v1/plans/pln_nope/assign", body, format="json").status_code == 404
    bad_date = bearer_client(club["coach"]).post(url, {**body, "start_date": "2026-02-30"}, format="json")
    assert bad_date.json()["details"] == {"code": "INVALID", "field": "start_date"}
    assert not PlanInstance.objects.exists()
