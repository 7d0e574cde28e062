"""GET analytics/athlete_profile: shape, freshness after a write, access."""

from datetime import UTC, datetime, timedelta

import pytest

from organizations.services import api_key_create
from tests.conftest import bearer_client
from tests.factories import (
    ActivityFactory,
    CoachFactory,
    MembershipFactory,
    OrganizationFactory,
    PlanInstanceFactory,
    RaceGoalFactory,
    TrainingPlanFactory,
    UserFactory,
)

URL = "/api/v1/analytics/athlete_profile"

pytestmark = pytest.mark.django_db


@pytest.fixture
def club():
    org, other_org = OrganizationFactory(), OrganizationFactory()
    athlete = UserFactory(display_name="Alex", profile_image_url="https://img.example.com/alex.jpg", timezone="UTC")
    coach, other_coach, teammate = CoachFactory(), CoachFactory(), UserFactory()
    MembershipFactory(user=athlete, organization=org)
    MembershipFactory(user=teammate, organization=org)
    MembershipFactory(user=coach, organization=org, role="coach")
    MembershipFactory(user=other_coach, organization=other_org, role="coach")
    return {
        "org": org,
        "other_org": other_org,
        "athlete": athlete,
        "coach": coach,
        "other_coach": other_coach,
        "teammate": teammate,
    }


def today():
    return datetime.now(UTC).date()


def test_shape_for_the_coach(club):
    athlete = club["athlete"]
    plan = TrainingPlanFactory(organization=club["org"], name="Marathon Block A", total_weeks=16)
    PlanInstanceFactory(plan=plan, athlete=athlete, start_date=today() - timedelta(days=35))
    PlanInstanceFactory(plan=plan, athlete=athlete, start_date=today() - timedelta(days=200))  # completed: hidden
    RaceGoalFactory(
        athlete=athlete, race_name="Boston Marathon", race_date=today() + timedelta(days=60), goal_time=11100
    )
    RaceGoalFactory(athlete=athlete, race_name="Last year", race_date=today() - timedelta(days=300))
    for days_ago in range(7):
        ActivityFactory(user=athlete, start_time=datetime.now(UTC) - timedelta(days=days_ago, hours=1))

    response = bearer_client(club["coach"]).get(URL, {"user_id": athlete.public_id})

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["user_id"] == athlete.public_id
    assert data["display_name"] == "Alex"
    assert data["profile_image_url"] == "https://img.example.com/alex.jpg"
    assert set(data["metrics"]) >= {"running_analytics", "fitness", "training", "attention_signals", "last_updated"}
    assert set(data["metrics"]["fitness"]) == {"current", "vo2_max_history", "hrv_history", "recovery_history"}
    assert data["current_plans"] == [
        {
            "plan_instance_id": data["current_plans"][0]["plan_instance_id"],
            "plan_id": plan.public_id,
            "user_id": athlete.public_id,
            "name": "Marathon Block A",
            "status": "active",
            "start_date": (today() - timedelta(days=35)).isoformat(),
            "current_week": 6,
            "total_weeks": 16,
        }
    ]
    races = data["current_goals"]["races"]
    assert [(r["race_name"], r["goal_time"], r["days_until"]) for r in races] == [("Boston Marathon", "3:05:00", 60)]
    assert set(data["integrations"]) == {"strava", "garmin", "apple_health"}
    assert len(data["recent_activities"]) == 5
    assert data["recent_activities"][0]["activity_id"] == data["last_activity"]["activity_id"]
    kinds = [insight["kind"] for insight in data["insights"]]
    assert kinds[0] == "weekly_summary"
    assert kinds.count("activity") == 5
    assert data["data_quality"]["score"] == 10  # only the time zone is set
    assert data["attention_signals"] == data["metrics"]["attention_signals"]


def test_a_new_run_shows_without_refresh(club):
    athlete = club["athlete"]
    client = bearer_client(athlete)
    before = client.get(URL, {"user_id": athlete.public_id}).json()["data"]
    assert before["metrics"]["running_analytics"]["weekly_distance_km"] == 0.0

    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30)
    client.post(
        "/api/v1/activities",
        {"start_time": start.isoformat(), "sport": "run", "distance": 12345, "duration": 3600},
        format="json",
    )
    after = bearer_client(club["coach"]).get(URL, {"user_id": athlete.public_id}).json()["data"]
    assert after["metrics"]["running_analytics"]["weekly_distance_km"] == 12.3
    assert after["last_activity"]["distance"] == 12345


def test_refresh_true_recomputes(club):
    client = bearer_client(club["athlete"])
    first = client.get(URL, {"user_id": club["athlete"].public_id}).json()["data"]["metrics"]["last_updated"]
    same = client.get(URL, {"user_id": club["athlete"].public_id}).json()["data"]["metrics"]["last_updated"]
    forced = client.get(URL, {"user_id": club["athlete"].public_id, "refresh": "true"}).json()["data"]
    assert same == first
    assert forced["metrics"]["last_updated"] >= first


def test_access_matrix(club, api):
    athlete_id = club["athlete"].public_id
    assert api.get(URL, {"user_id": athlete_id}).status_code == 401
    assert bearer_client(club["athlete"]).get(URL, {"user_id": athlete_id}).status_code == 200
    for outsider in (club["teammate"], club["other_coach"]):
        response = bearer_client(outsider).get(URL, {"user_id": athlete_id})
        assert response.status_code == 403
        assert response.json()["details"]["code"] == "FORBIDDEN"
    own_key, _ = api_key_create(organization=club["org"], name="own", created_by=None)
    other_key, _ = api_key_create(organization=club["other_org"], name="other", created_by=None)
    api.credentials(HTTP_X_API_KEY=own_key)
    assert api.get(URL, {"user_id": athlete_id}).status_code == 200
    api.credentials(HTTP_X_API_KEY=other_key)
    assert api.get(URL, {"user_id": athlete_id}).status_code == 403


@pytest.mark.parametrize(
    ("params", "status", "details"),
    [
        ({}, 400, {"code": "REQUIRED", "field": "user_id"}),
        ({"user_id": "usr_unknown"}, 404, {"code": "USER_NOT_FOUND", "field": "user_id"}),
        ({"refresh": "maybe"}, 400, {"code": "INVALID", "field": "refresh"}),
    ],
)
def test_bad_parameters(club, params, status, details):
    client = bearer_client(club["athlete"])
    if params.get("refresh"):
        params = {**params, "user_id": club["athlete"].public_id}
    response = client.get(URL, params)
    assert response.status_code == status
    assert response.json()["details"] == details


def test_cache_miss_hit_and_invalidation(club):
    coach = bearer_client(club["coach"])
    params = {"user_id": club["athlete"].public_id}
    assert coach.get(URL, params)["X-Cache"] == "MISS"
    assert coach.get(URL, params)["X-Cache"] == "HIT"
    bearer_client(club["athlete"]).put("/api/v1/wellness/" + today().isoformat(), {"hrv": 61}, format="json")
    after_write = coach.get(URL, params)
    assert after_write["X-Cache"] == "MISS"
    assert after_write.json()["data"]["metrics"]["fitness"]["current"]["hrv_avg"] == 61.0
    assert coach.get(URL, {**params, "refresh": "true"})["X-Cache"] == "MISS"


def test_redis_down_still_answers(club):
    from django.test import override_settings

    from tests.test_settings_and_resilience import REDIS_DOWN

    with override_settings(CACHES=REDIS_DOWN, DJANGO_REDIS_IGNORE_EXCEPTIONS=True):
        response = bearer_client(club["coach"]).get(URL, {"user_id": club["athlete"].public_id})
    assert response.status_code == 200
    assert response["X-Cache"] == "MISS"
