"""DELETE users/me: every row of the user goes, other people's rows stay, last admins hand over
first (409, nothing changed), cached answers about them are unreachable."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.apps import apps

from accounts.models import AccessToken, OneTimeToken, User
from accounts.one_time import one_time_token_issue
from analytics.models import Activity, ActivitySamples, DailyWellness, Insight, MetricsSnapshot
from organizations.models import GroupMembership, Invitation, Membership, Organization
from plans.models import PlanInstance, RaceGoal, TrainingPlan
from tests.conftest import bearer_client
from tests.factories import (
    TEST_PASSWORD,
    ActivityFactory,
    CoachFactory,
    DailyWellnessFactory,
    GroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    OrganizationFactory,
    PlanInstanceFactory,
    RaceGoalFactory,
    TrainingPlanFactory,
    UserFactory,
)

ME = "/api/v1/users/me"
AUTH_ME = "/api/v1/auth/me"
PROFILE = "/api/v1/analytics/athlete_profile"
ROSTER = "/api/v1/analytics/coach_athletes_metrics"

pytestmark = pytest.mark.django_db

TABLES = (
    User, AccessToken, OneTimeToken, Activity, ActivitySamples, DailyWellness, MetricsSnapshot, Insight,
    RaceGoal, PlanInstance, Membership, GroupMembership, Invitation, Organization, TrainingPlan,
)  # fmt: skip


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


def give_data(user, org, group, plan, day: int) -> None:
    """Two activities (one with samples), a wellness day, a snapshot, three insights, a goal, a plan."""
    first = ActivityFactory(user=user, start_time=datetime(2026, 3, day, 7, tzinfo=UTC))
    ActivityFactory(user=user, start_time=datetime(2026, 3, day + 1, 7, tzinfo=UTC))
    ActivitySamples.objects.create(activity=first, data=[{"t": 0, "distance": 0}])
    DailyWellnessFactory(user=user, date=date(2026, 3, day))
    MetricsSnapshot.objects.create(user=user, data={})
    Insight.objects.create(kind="activity", user=user, activity=first, text="Nice run", generated_at=first.start_time)
    Insight.objects.create(kind="weekly_summary", user=user, text="Good week", generated_at=first.start_time)
    RaceGoalFactory(athlete=user)
    PlanInstanceFactory(athlete=user, plan=plan)
    MembershipFactory(user=user, organization=org)
    GroupMembershipFactory(user=user, group=group)
    one_time_token_issue(user=user, purpose="verify_email")


@pytest.fixture
def club():
    org = OrganizationFactory(name="Club")
    coach = CoachFactory(username="coach.a")
    MembershipFactory(user=coach, organization=org, role="admin")
    group = GroupFactory(organization=org, name="Sub-3")
    plan = TrainingPlanFactory(organization=org, created_by=coach)
    maria, tom = UserFactory(username="maria"), UserFactory(username="tom")
    give_data(maria, org, group, plan, day=2)
    give_data(tom, org, group, plan, day=9)
    Insight.objects.create(kind="group", group=group, text="Maria ran the most", generated_at=datetime.now(UTC))
    # Two invitations that hold maria (her accepted one, one to her address), one to tom's address.
    week = datetime.now(UTC) + timedelta(days=7)
    for n, (invitee, email, status) in enumerate(
        [(maria, maria.email, "accepted"), (None, maria.email.upper(), "pending"), (None, tom.email, "pending")]
    ):
        Invitation.objects.create(
            organization=org, invitee=invitee, email=email, status=status, token_hash=f"{n}" * 64, expires_at=week
        )
    return {"org": org, "coach": coach, "group": group, "plan": plan, "maria": maria, "tom": tom}


def test_deleting_removes_every_row_of_the_user_and_nothing_else(club):
    maria = club["maria"]
    client = bearer_client(maria)  # a second token besides the fixture-less one below
    other_token_client = bearer_client(maria)
    before = row_counts()
    version = Organization.objects.get().data_version

    response = client.delete(ME, {"password": TEST_PASSWORD}, format="json")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "data": {"user_id": maria.public_id, "deleted": True}}
    after = row_counts()
    # Per table, hand-counted: maria's own rows (2 tokens, 1 one-time token, 2 activities, 1
    # samples row, 1 wellness day, 1 snapshot, 2 personal insights + the group insight that may
    # name her, 1 goal, 1 plan instance, 1 membership, 1 group membership). Tom, the coach, the
    # organization and the plan template stay.
    assert {name: before[name] - after[name] for name in before} == {
        "User": 1,
        "AccessToken": 2,
        "OneTimeToken": 1,
        "Activity": 2,
        "ActivitySamples": 1,
        "DailyWellness": 1,
        "MetricsSnapshot": 1,
        "Insight": 3,
        "RaceGoal": 1,
        "PlanInstance": 1,
        "Membership": 1,
        "GroupMembership": 1,
        "Invitation": 2,
        "Organization": 0,
        "TrainingPlan": 0,
    }
    assert not User.objects.filter(username="maria").exists()
    assert Activity.objects.filter(user=club["tom"]).count() == 2
    assert Insight.objects.filter(user=club["tom"]).count() == 2
    assert Organization.objects.get().data_version == version + 1  # cached rosters are stale at once
    for still in (client, other_token_client):
        assert still.get(AUTH_ME).json()["details"]["code"] == "INVALID_TOKEN"


def test_the_last_admin_must_hand_over_first_and_nothing_changes(club):
    coach = club["coach"]
    before = row_counts()
    response = bearer_client(coach).delete(ME, {"password": TEST_PASSWORD}, format="json")
    assert response.status_code == 409
    assert response.json() == {
        "error": "You are the last admin of Club; make another member admin first.",
        "details": {"code": "LAST_ADMIN", "org_id": club["org"].public_id},
    }
    assert row_counts() == {**before, "AccessToken": before["AccessToken"] + 1}  # only the test's own token
    assert Organization.objects.get().data_version == club["org"].data_version

    # With a second admin the first may go; the organization and its plans stay.
    second = CoachFactory(username="coach.b")
    MembershipFactory(user=second, organization=club["org"], role="admin")
    assert bearer_client(coach).delete(ME, {"password": TEST_PASSWORD}, format="json").status_code == 200
    assert TrainingPlan.objects.get().created_by is None
    assert Organization.objects.filter(pk=club["org"].pk).exists()


def test_an_admin_alone_in_an_organization_may_go():
    solo = CoachFactory(username="solo")
    MembershipFactory(user=solo, organization=OrganizationFactory(name="Solo club"), role="admin")
    assert bearer_client(solo).delete(ME, {"password": TEST_PASSWORD}, format="json").status_code == 200
    assert Membership.objects.count() == 0


def test_a_coach_leaves_their_athletes_unassigned(club):
    extra = CoachFactory(username="coach.c")
    MembershipFactory(user=extra, organization=club["org"], role="coach")
    Membership.objects.filter(user=club["tom"]).update(assigned_coach=extra)
    assert bearer_client(extra).delete(ME, {"password": TEST_PASSWORD}, format="json").status_code == 200
    assert Membership.objects.get(user=club["tom"]).assigned_coach is None


def test_wrong_missing_or_hostile_password_deletes_nothing(club, api):
    client = bearer_client(club["maria"])
    before = row_counts()
    cases = [({"password": "wrong-password"}, "WRONG_PASSWORD"), ({}, "REQUIRED"), ({"password": "a\x00b"}, None)]
    for body, code in cases:
        response = client.delete(ME, body, format="json")
        assert response.status_code == 400, body
        assert response.json()["details"]["field"] == "password"
        if code:
            assert response.json()["details"]["code"] == code
    assert row_counts() == before
    assert api.delete(ME, {"password": TEST_PASSWORD}, format="json").status_code == 401


def test_cached_answers_about_the_user_are_unreachable(club):
    coach = bearer_client(club["coach"])
    maria_id = club["maria"].public_id
    assert coach.get(PROFILE, {"user_id": maria_id}).status_code == 200
    assert coach.get(PROFILE, {"user_id": maria_id})["X-Cache"] == "HIT"
    roster = coach.get(ROSTER)
    assert maria_id in [a["user_id"] for a in roster.json()["data"]["athletes"]]
    assert coach.get(ROSTER)["X-Cache"] == "HIT"

    assert bearer_client(club["maria"]).delete(ME, {"password": TEST_PASSWORD}, format="json").status_code == 200

    gone = coach.get(PROFILE, {"user_id": maria_id})
    assert gone.status_code == 404
    roster = coach.get(ROSTER)
    assert roster["X-Cache"] == "MISS"
    assert [a["user_id"] for a in roster.json()["data"]["athletes"]] == [club["tom"].public_id]


def test_every_model_pointing_at_users_is_covered():
    """A new model with a user foreign key must be listed (and decided on) here."""
    user_fks = {
        (model.__name__, field.name, field.remote_field.on_delete.__name__)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if getattr(field, "many_to_one", False) or getattr(field, "one_to_one", False)
        if field.concrete and field.related_model is User
    }
    assert {row for row in user_fks if row[0] not in ("LogEntry",)} == {
        ("Integration", "user", "CASCADE"),
        ("OAuthState", "user", "CASCADE"),
        ("ImportJob", "user", "CASCADE"),  # its waiting upload is deleted with it (analytics.receivers)
        ("AccessToken", "user", "CASCADE"),
        ("OneTimeToken", "user", "CASCADE"),
        ("Organization", "created_by", "SET_NULL"),
        ("Membership", "user", "CASCADE"),
        ("Membership", "assigned_coach", "SET_NULL"),
        ("Invitation", "invitee", "CASCADE"),
        ("Invitation", "invited_by", "SET_NULL"),
        ("Invitation", "responded_by", "SET_NULL"),
        ("GroupMembership", "user", "CASCADE"),
        ("ApiKey", "created_by", "SET_NULL"),
        ("TrainingPlan", "created_by", "SET_NULL"),
        ("PlanInstance", "athlete", "CASCADE"),
        ("PlanInstance", "assigned_by", "SET_NULL"),
        ("RaceGoal", "athlete", "CASCADE"),
        ("Activity", "user", "CASCADE"),
        ("DailyWellness", "user", "CASCADE"),
        ("MetricsSnapshot", "user", "CASCADE"),
        ("Insight", "user", "CASCADE"),
        # Erasure takes what the person wrote and was told: their comments (in their own threads
        # and their athletes'), their notifications and their mail preferences.
        ("Comment", "author", "CASCADE"),
        ("Notification", "recipient", "CASCADE"),
        ("MailPreferences", "user", "CASCADE"),
        # The triage queue's memory of the athlete, and what a deleted coach had set aside.
        ("AttentionFlag", "user", "CASCADE"),
        ("AttentionFlagSeen", "coach", "CASCADE"),
    }


@pytest.mark.django_db(transaction=True)  # the file goes once the deletion commits
def test_a_deleted_accounts_waiting_upload_leaves_the_storage():
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from accounts.deletion import user_delete
    from analytics.models import ImportJob

    athlete, other = UserFactory(), UserFactory()
    mine, theirs = ImportJob(user=athlete), ImportJob(user=other)
    mine.upload.save("mine.upload", ContentFile(b"PK\x03\x04 my runs"))
    theirs.upload.save("theirs.upload", ContentFile(b"PK\x03\x04 their runs"))
    assert default_storage.exists(mine.upload.name)

    user_delete(user=athlete)

    assert not ImportJob.objects.filter(pk=mine.pk).exists()
    assert not default_storage.exists(mine.upload.name)
    assert default_storage.exists(theirs.upload.name)  # nobody else's
