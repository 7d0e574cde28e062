"""Organization API keys are read-only everywhere: every write under /api/v1/ (each POST, PUT,
PATCH and DELETE of every route, found from the URL configuration, so a new endpoint is covered
the day it is added) answers 403 to the organization's own key, aimed at that organization's own
rows with a body that would succeed for its admin, and changes nothing in the database."""

import re
from datetime import UTC, datetime

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from analytics.models import AttentionFlag
from organizations.invitations import invitation_create
from organizations.services import api_key_create
from tests.access import key_client
from tests.factories import (
    ActivityFactory,
    CoachFactory,
    GroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    OrganizationFactory,
    RaceGoalFactory,
    TrainingPlanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

WRITE_METHODS = ("post", "put", "patch", "delete")
# Routes that take a POST without writing anything an API key could own, and why.
NOT_KEY_WRITES = {
    "auth/register": "public sign-up: no credentials are read, a key header is ignored",
    "auth/login": "public login: no credentials are read, a key header is ignored",
    "analytics/running_streaks": "a read that takes its parameters in the body (the key may read it)",
    "auth/verify_email/confirm": "public: the mailed token is the credential, a key header is ignored",
    "auth/password_reset": "public: anyone may ask for a reset mail, a key header is ignored",
    "auth/password_reset/confirm": "public: the mailed token is the credential, a key header is ignored",
    "integrations/strava/webhook": "Strava's push callback: no credentials are read, an event only makes the "
    "worker re-read Strava with the athlete's own token",
}


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def api_writes() -> list[tuple[str, str]]:
    """(method, route template such as "activities/{activity_id}") of every write under /api/v1/."""
    found = []
    for raw, callback in _routes(get_resolver().url_patterns):
        if not raw.startswith("api/v1/"):
            continue
        route = raw.removeprefix("api/v1/").removeprefix("^").removesuffix("$").removesuffix("/?")
        route = re.sub(r"\(\?P<(\w+)>\[\^/\]\+\)", r"{\1}", route)
        view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        for method in WRITE_METHODS:
            if view is not None and hasattr(view, method):
                found.append((method, route))
    return found


WRITES = [(method, route) for method, route in api_writes() if route not in NOT_KEY_WRITES]


def test_the_route_walk_finds_the_writes():
    # The walk must see the API (or the test below proves nothing) and the exceptions must exist.
    routes = {route for _, route in api_writes()}
    assert set(NOT_KEY_WRITES) <= routes
    assert ("post", "activities") in WRITES
    assert ("delete", "organizations/{org_id}/members/{user_id}") in WRITES
    assert ("put", "wellness/{day}") in WRITES
    assert len(WRITES) >= 20


def database_rows() -> dict:
    """Every row of the project's own apps (last_used_at aside: a key's use is recorded on purpose)."""
    state = {}
    for label in ("accounts", "organizations", "plans", "analytics"):
        for model in apps.get_app_config(label).get_models():
            rows = [
                {k: v for k, v in row.items() if k != "last_used_at"} for row in model.objects.values().order_by("pk")
            ]
            state[model.__name__] = rows
    return state


@pytest.fixture
def world():
    org = OrganizationFactory(name="Tempo Club")
    admin = CoachFactory()
    MembershipFactory(user=admin, organization=org, role="admin")
    athlete = UserFactory()
    MembershipFactory(user=athlete, organization=org)
    group = GroupFactory(organization=org, name="Milers")
    GroupMembershipFactory(group=group, user=athlete)
    newcomer = UserFactory()
    secret, key = api_key_create(organization=org, name="sync", created_by=admin)
    invited = invitation_create(organization=org, inviter=admin, actor_role="admin", role="athlete", email="i@x.org")
    ids = {
        "invitation_id": invited.public_id,
        "org_id": org.public_id,
        "user_id": athlete.public_id,
        "group_id": group.public_id,
        "key_id": key.public_id,
        "activity_id": ActivityFactory(user=athlete).public_id,
        "plan_id": TrainingPlanFactory(organization=org).public_id,
        "goal_id": RaceGoalFactory(athlete=athlete).public_id,
        "day": "2025-03-10",
        "provider": "garmin",
        "flag_id": AttentionFlag.objects.create(
            user=athlete,
            code="NO_RECENT_RUN",
            severity="warning",
            severity_rank=1,
            message="No run logged yet",
            since=datetime(2025, 3, 10, tzinfo=UTC),
        ).public_id,
    }
    # One body that would satisfy the writes (serializers ignore the fields they do not know); an
    # invitation needs someone who is not a member yet.
    body = {
        "name": "Hill Squad",
        "user_id": athlete.public_id,
        "role": "athlete",
        "labels": ["tempo"],
        "active": False,
        "start_time": datetime(2025, 3, 10, 8, tzinfo=UTC).isoformat(),
        "sport": "run",
        "distance": 5000,
        "duration": 1500,
        "resting_heart_rate": 48,
        "connected": True,
        "display_name": "Renamed",
        "race_name": "City 10K",
        "race_date": "2030-05-01",
        "start_date": "2030-01-06",
        "total_weeks": 4,
        "workouts": [],
    }
    invite = {**body, "user_id": newcomer.public_id}
    return {"client": key_client(secret), "ids": ids, "body": body, "invite": invite}


@pytest.mark.parametrize(("method", "route"), WRITES, ids=[f"{m.upper()} {r}" for m, r in WRITES])
def test_the_organizations_own_key_cannot_write(world, method, route):
    path = "/api/v1/" + route.format(**world["ids"])
    world["client"].get(f"/api/v1/organizations/{world['ids']['org_id']}/members")  # records the key's use
    before = database_rows()
    body = world["invite"] if route == "organizations/{org_id}/members" else world["body"]
    response = getattr(world["client"], method)(path, body, format="json")
    assert response.status_code == 403, (response.status_code, response.content)
    assert response.json()["details"]["code"] == "FORBIDDEN"
    assert database_rows() == before
