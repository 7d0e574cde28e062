"""GET analytics/coach_athletes_metrics: the seeds' shape, filters, access, caching, query budget."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from organizations.models import Label, Membership
from organizations.services import api_key_create
from tests.conftest import bearer_client
from tests.factories import (
    TWELVE_ZONES,
    ActivityFactory,
    CoachFactory,
    GroupFactory,
    GroupMembershipFactory,
    LabelFactory,
    MembershipFactory,
    OrganizationFactory,
    RaceGoalFactory,
    UserFactory,
)
from tests.test_settings_and_resilience import REDIS_DOWN

URL = "/api/v1/analytics/coach_athletes_metrics"

pytestmark = pytest.mark.django_db


@pytest.fixture
def club():
    org, other_org = OrganizationFactory(name="Club"), OrganizationFactory(name="Other")
    coach, coach2, other_coach = CoachFactory(username="coach.a"), CoachFactory(username="coach.b"), CoachFactory()
    MembershipFactory(user=coach, organization=org, role="admin")
    MembershipFactory(user=coach2, organization=org, role="coach")
    MembershipFactory(user=other_coach, organization=other_org, role="coach")
    alex = UserFactory(
        username="alex.runner", email="alex@example.com", display_name="Alex", push_token="tok", timezone="UTC"
    )
    bea = UserFactory(username="bea.b", email="bea@mail.test", display_name="Beatriz", timezone="UTC")
    cho = UserFactory(username="cho.c", email="cho@example.com", display_name="Cho", timezone="UTC")
    gone = UserFactory(username="gone.g", display_name="Gone")
    m_alex = MembershipFactory(user=alex, organization=org, assigned_coach=coach)
    MembershipFactory(user=bea, organization=org, assigned_coach=coach2)
    MembershipFactory(user=cho, organization=org)
    MembershipFactory(user=gone, organization=org, active=False)
    group = GroupFactory(organization=org, name="Marathon Block A")
    GroupMembershipFactory(group=group, user=alex)
    label = LabelFactory(organization=org, name="5k-focus")
    m_alex.labels.add(label)
    return {
        "org": org,
        "other_org": other_org,
        "coach": coach,
        "coach2": coach2,
        "other_coach": other_coach,
        "alex": alex,
        "bea": bea,
        "cho": cho,
        "group": group,
    }


def names(response):
    return [row["username"] for row in response.json()["data"]["athletes"]]


def test_shape_follows_the_seeds(club):
    RaceGoalFactory(
        athlete=club["alex"], race_name="Boston Marathon", race_date=datetime.now(UTC).date() + timedelta(days=30)
    )
    ActivityFactory(user=club["alex"], start_time=datetime.now(UTC) - timedelta(hours=1), distance=10000, duration=3000)

    response = bearer_client(club["coach"]).get(URL, {"per_page": 50})

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["total_count"] == 3
    assert (
        data["metadata"]
        == data["pagination"]
        == {
            "total": 3,
            "page": 1,
            "per_page": 50,
            "total_pages": 1,
            "has_next": False,
            "has_prev": False,
        }
    )
    alex = data["athletes"][0]
    assert alex["user_id"] == club["alex"].public_id
    assert alex["username"] == "alex.runner"
    assert alex["display_name"] == "Alex"
    assert alex["email"] == "alex@example.com"
    assert alex["assigned_coach_id"] == club["coach"].public_id
    assert alex["groups"] == ["Marathon Block A"]
    assert alex["labels"] == ["5k-focus"]
    assert alex["has_push_token"] is True
    assert alex["current_goals"] == {
        "races": [
            {"race_name": "Boston Marathon", "race_date": (datetime.now(UTC).date() + timedelta(days=30)).isoformat()}
        ]
    }
    assert alex["last_activity"]["distance"] == 10000
    metrics = alex["metrics"]
    assert set(metrics) >= {"running_analytics", "fitness", "training", "attention_signals", "last_updated"}
    assert set(metrics["fitness"]["current"]) == {
        "vo2_max",
        "hrv_avg",
        "recovery_score",
        "vo2_max_prev",
        "hrv_avg_prev",
        "recovery_score_prev",
    }
    assert names(response) == ["alex.runner", "bea.b", "cho.c"]  # the inactive member is not listed


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"search": "ALEX"}, ["alex.runner"]),
        ({"search": "mail.test"}, ["bea.b"]),
        ({"search": "beatr"}, ["bea.b"]),
        ({"label": "5k-focus"}, ["alex.runner"]),
        ({"unassigned_only": "1"}, ["bea.b", "cho.c"]),
    ],
)
def test_filters(club, params, expected):
    assert names(bearer_client(club["coach"]).get(URL, params)) == expected


def test_label_filter_takes_the_label_id_too(club):
    label = Label.objects.get(organization=club["org"], name="5k-focus")
    assert names(bearer_client(club["coach"]).get(URL, {"label": label.public_id})) == ["alex.runner"]


def test_group_coach_and_own_filters(club):
    coach = bearer_client(club["coach"])
    assert names(coach.get(URL, {"group_id": club["group"].public_id})) == ["alex.runner"]
    assert names(coach.get(URL, {"filter_by_coach": "1"})) == ["alex.runner"]
    assert names(bearer_client(club["coach2"]).get(URL, {"filter_by_coach": "1"})) == ["bea.b"]
    assert names(coach.get(URL, {"coach_id": club["coach2"].public_id})) == ["bea.b"]


def test_paging(club):
    body = bearer_client(club["coach"]).get(URL, {"per_page": 2, "page": 2}).json()["data"]
    assert [row["username"] for row in body["athletes"]] == ["cho.c"]
    assert body["metadata"] == {
        "total": 3,
        "page": 2,
        "per_page": 2,
        "total_pages": 2,
        "has_next": False,
        "has_prev": True,
    }


@pytest.mark.parametrize(
    ("params", "status", "field", "code"),
    [
        ({"group_id": "grp_x", "unassigned_only": "1"}, 400, "unassigned_only", "CONFLICT"),
        ({"per_page": 201}, 400, "per_page", "INVALID"),
        ({"page": 0}, 400, "page", "INVALID"),
        ({"filter_by_coach": "maybe"}, 400, "filter_by_coach", "INVALID"),
        ({"coach_id": "usr_nobody"}, 400, "coach_id", "INVALID_COACH"),
        ({"group_id": "grp_unknown"}, 404, "group_id", "GROUP_NOT_FOUND"),
        ({"org_id": "org_unknown"}, 404, None, "ORGANIZATION_NOT_FOUND"),
    ],
)
def test_bad_parameters(club, params, status, field, code):
    response = bearer_client(club["coach"]).get(URL, params)
    assert response.status_code == status
    assert response.json()["details"].get("code") == code
    assert response.json()["details"].get("field") == field


def test_another_orgs_group_is_not_found(club):
    foreign = GroupFactory(organization=club["other_org"])
    assert bearer_client(club["coach"]).get(URL, {"group_id": foreign.public_id}).status_code == 404


def test_access(club, api):
    org_id = club["org"].public_id
    assert api.get(URL, {"org_id": org_id}).status_code == 401
    assert bearer_client(club["alex"]).get(URL, {"org_id": org_id}).status_code == 403
    assert bearer_client(club["other_coach"]).get(URL, {"org_id": org_id}).status_code == 403
    assert bearer_client(UserFactory()).get(URL).status_code == 403  # no organization at all
    own, _ = api_key_create(organization=club["org"], name="own", created_by=None)
    other, _ = api_key_create(organization=club["other_org"], name="other", created_by=None)
    api.credentials(HTTP_X_API_KEY=own)
    assert names(api.get(URL)) == ["alex.runner", "bea.b", "cho.c"]  # the key's own organization by default
    api.credentials(HTTP_X_API_KEY=other)
    assert api.get(URL, {"org_id": org_id}).status_code == 403


def test_cache_hit_then_invalidated_by_an_athletes_write(club):
    coach = bearer_client(club["coach"])
    first = coach.get(URL)
    assert first["X-Cache"] == "MISS"
    second = coach.get(URL)
    assert second["X-Cache"] == "HIT"
    assert second.json() == first.json()
    assert bearer_client(club["coach2"]).get(URL)["X-Cache"] == "MISS"  # per coach

    bearer_client(club["bea"]).post(
        "/api/v1/activities",
        {
            "start_time": (datetime.now(UTC) - timedelta(minutes=5)).isoformat(),
            "sport": "run",
            "distance": 8000,
            "duration": 2400,
        },
        format="json",
    )
    third = coach.get(URL)
    assert third["X-Cache"] == "MISS"
    bea = next(row for row in third.json()["data"]["athletes"] if row["username"] == "bea.b")
    assert bea["last_activity"]["distance"] == 8000
    assert coach.get(URL, {"no_cache": "1"})["X-Cache"] == "MISS"


def test_membership_changes_invalidate_the_roster(club):
    coach = bearer_client(club["coach"])
    coach.get(URL)
    coach.patch(
        f"/api/v1/organizations/{club['org'].public_id}/members/{club['cho'].public_id}",
        {"labels": ["new"]},
        format="json",
    )
    response = coach.get(URL)
    assert response["X-Cache"] == "MISS"
    cho = next(row for row in response.json()["data"]["athletes"] if row["username"] == "cho.c")
    assert cho["labels"] == ["new"]


def test_redis_down_still_answers(club):
    with override_settings(CACHES=REDIS_DOWN, DJANGO_REDIS_IGNORE_EXCEPTIONS=True):
        response = bearer_client(club["coach"]).get(URL)
    assert response.status_code == 200
    assert response["X-Cache"] == "MISS"
    assert response.json()["data"]["total_count"] == 3


def test_query_count_is_the_same_for_1_and_200_athletes_in_1_or_12_time_zones():
    org = OrganizationFactory()
    coach = CoachFactory()
    MembershipFactory(user=coach, organization=org, role="admin")
    group = GroupFactory(organization=org)
    label = LabelFactory(organization=org)
    client = bearer_client(coach)

    def add_athletes(n, offset):
        users = User.objects.bulk_create(
            [
                User(
                    username=f"bulk{offset + i}",
                    email=f"b{offset + i}@x.test",
                    timezone=TWELVE_ZONES[(offset + i) % 12],
                )
                for i in range(n)
            ]
        )
        memberships = Membership.objects.bulk_create(
            [Membership(user=user, organization=org, assigned_coach=coach) for user in users]
        )
        for membership in memberships:
            membership.labels.add(label)
        for user in users:
            GroupMembershipFactory(group=group, user=user)
            ActivityFactory(user=user, start_time=datetime.now(UTC) - timedelta(days=1))
            RaceGoalFactory(athlete=user)

    def count(**params):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL, {"no_cache": "1", **params})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    add_athletes(1, 0)
    client.get(URL)  # warms the token's last_used_at
    cold_one = count()  # snapshots already built by the warm-up: served as stored
    add_athletes(199, 1)  # in twelve zones
    count()  # builds the 199 new snapshots
    assert count() == cold_one
    # Rebuilding stale snapshots is batched too: 200 stale athletes in 12 zones cost what one stale
    # athlete costs. PostgreSQL puts each row on its athlete's local day in one GROUP BY; SQLite
    # cannot, so the embedded default runs one per distinct zone (docs/architecture.md).
    User.objects.filter(username="bulk0").update(data_version=F("data_version") + 1)
    one_stale = count()
    User.objects.update(data_version=F("data_version") + 1)
    all_stale = count()
    assert all_stale == one_stale + (0 if connection.vendor == "postgresql" else 11)
    assert one_stale > cold_one  # and it really rebuilt
