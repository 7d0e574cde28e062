"""The Django admin: every model is reachable, searchable and safe to use with 20,000 athletes."""

import re
from datetime import timedelta

import pytest
from django import forms
from django.conf import settings
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessToken, Integration, Provider, Role, User
from analytics.models import Activity, ActivitySamples, DailyWellness, Insight, InsightKind, MetricsSnapshot
from organizations.invitations import invitation_create
from organizations.models import (
    ApiKey,
    Group,
    GroupMembership,
    Invitation,
    InvitationStatus,
    Label,
    MemberRole,
    Membership,
    Organization,
)
from plans.models import PlanInstance, PlannedWorkout, RaceGoal, TrainingPlan
from tests.factories import (
    ActivityFactory,
    CoachFactory,
    DailyWellnessFactory,
    GroupFactory,
    GroupMembershipFactory,
    LabelFactory,
    MembershipFactory,
    OrganizationFactory,
    PlanInstanceFactory,
    PlannedWorkoutFactory,
    RaceGoalFactory,
    TrainingPlanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ALL_MODELS = [
    User,
    Integration,
    AccessToken,
    Organization,
    Membership,
    Invitation,
    Label,
    Group,
    GroupMembership,
    ApiKey,
    TrainingPlan,
    PlannedWorkout,
    PlanInstance,
    RaceGoal,
    Activity,
    ActivitySamples,
    DailyWellness,
    MetricsSnapshot,
    Insight,
]
# Created by the API / by Celery only; a membership only by an accepted invitation.
NO_ADD = {AccessToken, ApiKey, MetricsSnapshot, Membership, Invitation}

# The identifiers and timestamps each admin must show read-only.
READ_ONLY = {
    User: {"public_id", "data_version", "last_login", "date_joined"},
    Integration: {"updated_at"},
    AccessToken: {"token_hash", "prefix", "created_at"},
    Organization: {"public_id", "created_at"},
    Membership: {"user", "organization", "joined_at", "updated_at", "left_at"},
    Invitation: {"public_id", "organization", "invitee", "email", "role", "expires_at", "responded_at"},
    Label: {"public_id"},
    Group: {"public_id", "created_at"},
    GroupMembership: {"added_at"},
    ApiKey: {"public_id", "key_hash", "prefix", "created_at"},
    TrainingPlan: {"public_id", "created_at"},
    PlannedWorkout: set(),
    PlanInstance: {"public_id", "created_at"},
    RaceGoal: {"public_id", "created_at"},
    Activity: {"public_id", "created_at", "updated_at"},
    ActivitySamples: set(),
    DailyWellness: {"updated_at"},
    MetricsSnapshot: {"computed_at"},
    Insight: {"generated_at"},
}

TOKEN_HASH = "f" * 64
KEY_HASH = "e" * 64


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def queries_for(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def world(db):
    """One row of every model."""
    athlete = UserFactory(username="zebra_runner", display_name="Zed Runner")
    coach = CoachFactory(username="coach_carla", display_name="Carla Coach")
    org = OrganizationFactory(name="Harbour Harriers", created_by=coach)
    MembershipFactory(user=coach, organization=org, role=MemberRole.ADMIN)
    membership = MembershipFactory(user=athlete, organization=org, assigned_coach=coach)
    label = LabelFactory(organization=org, name="marathon")
    membership.labels.add(label)
    group = GroupFactory(organization=org, name="Tuesday track")
    GroupMembershipFactory(group=group, user=athlete)
    plan = TrainingPlanFactory(name="Sub-3 marathon", organization=org, created_by=coach)
    PlannedWorkoutFactory(plan=plan)
    activity = ActivityFactory(user=athlete, distance=12345, duration=3725, training_load=88)
    objects = {
        User: athlete,
        Integration: Integration.objects.create(user=athlete, provider=Provider.STRAVA, connected=True),
        AccessToken: AccessToken.objects.create(
            user=athlete, token_hash=TOKEN_HASH, prefix="ast_abcdefgh", expires_at=timezone.now() + timedelta(days=30)
        ),
        Organization: org,
        Membership: membership,
        Invitation: invitation_create(
            organization=org, inviter=coach, actor_role=MemberRole.ADMIN, role=MemberRole.ATHLETE, email="new@x.org"
        ),
        Label: label,
        Group: group,
        GroupMembership: GroupMembership.objects.get(group=group, user=athlete),
        ApiKey: ApiKey.objects.create(organization=org, name="Club site", key_hash=KEY_HASH, prefix="astk_abcdefg"),
        TrainingPlan: plan,
        PlannedWorkout: plan.workouts.get(),
        PlanInstance: PlanInstanceFactory(plan=plan, athlete=athlete, assigned_by=coach),
        RaceGoal: RaceGoalFactory(athlete=athlete),
        Activity: activity,
        ActivitySamples: ActivitySamples.objects.create(activity=activity, data=[{"t": 0, "heart_rate": 120}]),
        DailyWellness: DailyWellnessFactory(user=athlete),
        MetricsSnapshot: MetricsSnapshot.objects.create(user=athlete, data={"ctl": 40.5}),
        Insight: Insight.objects.create(
            kind=InsightKind.ACTIVITY, user=athlete, activity=activity, text="Solid run.", generated_at=timezone.now()
        ),
    }
    return objects


# --- Every model: registered, list, add, change ---------------------------------------------------


def test_every_model_is_registered():
    missing = [model.__name__ for model in ALL_MODELS if not admin.site.is_registered(model)]
    assert missing == []


def test_user_admin_extends_django_user_admin():
    from django.contrib.auth.admin import UserAdmin

    user_admin = admin.site.get_model_admin(User)
    assert isinstance(user_admin, UserAdmin)
    fields = {name for _, options in user_admin.fieldsets for name in options["fields"]}
    assert {"role", "display_name", "timezone", "unit_system", "sex", "max_heart_rate", "hr_zones", "vdot"} <= fields
    add_fields = {name for _, options in user_admin.add_fieldsets for name in options["fields"]}
    assert {"username", "password1", "email", "role", "display_name"} <= add_fields


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__name__)
def test_changelist(client, world, model):
    response = client.get(url(model, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__name__)
def test_add_page(client, world, model):
    response = client.get(url(model, "add"))
    assert response.status_code == (403 if model in NO_ADD else 200)


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__name__)
def test_change_page(client, world, model):
    response = client.get(url(model, "change", world[model].pk))
    assert response.status_code == 200


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__name__)
def test_ids_and_timestamps_are_read_only(world, superuser, model):
    request = RequestFactory().get("/")
    request.user = superuser
    model_admin = admin.site.get_model_admin(model)
    readonly = set(model_admin.get_readonly_fields(request, world[model]))
    assert READ_ONLY[model] <= readonly
    form = model_admin.get_form(request, world[model])
    assert not (READ_ONLY[model] & set(form.base_fields))


def test_inline_timestamps_are_read_only(superuser):
    request = RequestFactory().get("/")
    request.user = superuser
    expected = {
        (Organization, Membership): {"joined_at"},
        (Organization, Group): {"public_id", "created_at"},
        (Organization, Label): {"public_id"},
        (Organization, ApiKey): {"public_id", "prefix", "created_at"},
        (Group, GroupMembership): {"added_at"},
        (User, Integration): {"updated_at"},
    }
    for (parent, child), fields in expected.items():
        inlines = {inline.model: inline for inline in admin.site.get_model_admin(parent).get_inline_instances(request)}
        assert fields <= set(inlines[child].get_readonly_fields(request)), (parent, child)
    plan_inlines = [inline.model for inline in admin.site.get_model_admin(TrainingPlan).get_inline_instances(request)]
    assert plan_inlines == [PlannedWorkout]


# --- Search ---------------------------------------------------------------------------------------


def _rows(response):
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_user_search(client, world):
    other = UserFactory(username="yak_walker", display_name="Yolanda Yak")
    response = client.get(url(User, "changelist"), {"q": "zebra"})
    assert _rows(response) == [world[User]]
    assert "zebra_runner" in response.text
    assert "yak_walker" not in response.text
    assert _rows(client.get(url(User, "changelist"), {"q": other.public_id})) == [other]


def test_organization_search(client, world):
    OrganizationFactory(name="Mountain Goats")
    response = client.get(url(Organization, "changelist"), {"q": "harbour"})
    assert _rows(response) == [world[Organization]]
    assert "Harbour Harriers" in response.text
    assert "Mountain Goats" not in response.text


def test_activity_search(client, world):
    other = ActivityFactory(user=UserFactory(username="yak_walker"))
    response = client.get(url(Activity, "changelist"), {"q": "zebra_runner"})
    assert _rows(response) == [world[Activity]]
    assert world[Activity].public_id in response.text
    assert other.public_id not in response.text
    assert _rows(client.get(url(Activity, "changelist"), {"q": other.public_id})) == [other]


def test_activity_list_columns_and_filters(client, world):
    response = client.get(url(Activity, "changelist"), {"sport__exact": "run", "source__exact": "manual"})
    assert _rows(response) == [world[Activity]]
    assert "12.35" in response.text  # km
    assert "1:02:05" in response.text  # moving time
    assert _rows(client.get(url(Activity, "changelist"), {"sport__exact": "ride"})) == []


# --- Credentials ----------------------------------------------------------------------------------


@pytest.mark.parametrize("model", [AccessToken, ApiKey], ids=lambda m: m.__name__)
def test_revoke_action(client, world, model):
    credential = world[model]
    earlier = timezone.now() - timedelta(days=3)
    if model is AccessToken:
        already = AccessToken.objects.create(
            user=credential.user,
            token_hash="a" * 64,
            prefix="ast_zzzzzzzz",
            expires_at=timezone.now() + timedelta(days=1),
            revoked_at=earlier,
        )
    else:
        already = ApiKey.objects.create(
            organization=credential.organization,
            name="Old",
            key_hash="a" * 64,
            prefix="astk_zzzzzzz",
            revoked_at=earlier,
        )
    response = client.post(
        url(model, "changelist"), {"action": "revoke_selected", "_selected_action": [credential.pk, already.pk]}
    )
    assert response.status_code == 302
    credential.refresh_from_db()
    already.refresh_from_db()
    assert credential.revoked_at is not None
    assert abs((timezone.now() - credential.revoked_at).total_seconds()) < 60
    assert already.revoked_at == earlier  # the first revocation time is kept


@pytest.mark.parametrize(("model", "secret"), [(AccessToken, TOKEN_HASH), (ApiKey, KEY_HASH)])
def test_credential_hash_is_never_shown_or_editable(client, world, model, secret):
    pk = world[model].pk
    for path in (url(model, "changelist"), url(model, "change", pk)):
        assert secret not in client.get(path).text
    request = RequestFactory().get("/")
    request.user = world[User]
    request.user.is_superuser = request.user.is_staff = True
    form = admin.site.get_model_admin(model).get_form(request, world[model])
    assert not {"token_hash", "key_hash"} & set(form.base_fields)


# --- Organizations and their inlines --------------------------------------------------------------


def test_organization_page_has_membership_and_group_inlines(client, world):
    response = client.get(url(Organization, "change", world[Organization].pk))
    assert response.status_code == 200
    formsets = {inline.formset.prefix: inline for inline in response.context["inline_admin_formsets"]}
    assert {"memberships", "groups", "labels", "api_keys"} <= set(formsets)
    assert 'name="memberships-TOTAL_FORMS"' in response.text
    assert 'name="groups-TOTAL_FORMS"' in response.text
    assert formsets["memberships"].formset.initial_form_count() == 2
    assert "Tuesday track" in response.text
    # Labels and API keys are shown, not edited.
    for prefix in ("labels", "api_keys"):
        assert not formsets[prefix].has_add_permission
        assert not formsets[prefix].has_change_permission
    assert "Club site" in response.text
    assert KEY_HASH not in response.text


def _post_data(response) -> dict:
    """The POST body the admin change page would send back unchanged."""
    data = {}

    def add(form):
        for bound in form:
            widget, value = bound.field.widget, bound.value()  # value() is already prepared
            if bound.field.disabled or value is None:
                continue
            if isinstance(widget, forms.CheckboxInput):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(widget, forms.MultiWidget):  # the admin's split date/time
                for index, (sub, part) in enumerate(zip(widget.widgets, widget.decompress(value), strict=True)):
                    data[f"{bound.html_name}_{index}"] = sub.format_value(part) or ""
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(item) for item in value]
            else:
                data[bound.html_name] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:  # extra rows with their initial values: unchanged, so skipped
            add(form)
    return data


def test_the_organization_inline_cannot_add_a_member_without_their_consent(client, world):
    org = world[Organization]
    path = url(Organization, "change", org.pk)
    newcomer = UserFactory(username="newcomer")
    page = client.get(path)
    data = _post_data(page)
    assert data["memberships-TOTAL_FORMS"] == data["memberships-INITIAL_FORMS"]  # no empty row offered
    data.update(
        {
            "memberships-TOTAL_FORMS": "3",
            "memberships-2-user": str(newcomer.pk),
            "memberships-2-role": MemberRole.ATHLETE,
            "memberships-2-active": "on",
            "name": "Harbour Harriers AC",
        }
    )
    client.post(path, data)
    assert not Membership.objects.filter(user=newcomer).exists()


def test_organization_inline_rejects_a_coach_who_is_not_staff(client, world):
    org = world[Organization]
    path = url(Organization, "change", org.pk)
    outsider = CoachFactory()
    data = _post_data(client.get(path))
    row = next(i for i in range(2) if data[f"memberships-{i}-id"] == world[Membership].pk)
    data[f"memberships-{row}-assigned_coach"] = str(outsider.pk)
    response = client.post(path, data)
    assert response.status_code == 200
    assert "must be an active coach or admin of this organization" in response.text
    assert Membership.objects.get(pk=world[Membership].pk).assigned_coach == org.created_by


def test_membership_form_enforces_the_domain_rules(client, world):
    membership = world[Membership]
    athlete = membership.user
    other_label = LabelFactory(name="elsewhere")
    response = client.post(
        url(Membership, "change", membership.pk),
        {"role": MemberRole.COACH, "active": "on", "assigned_coach": athlete.pk, "labels": [other_label.pk]},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) >= {"role", "assigned_coach", "labels"}
    membership.refresh_from_db()
    assert (membership.role, membership.assigned_coach) == (MemberRole.ATHLETE, world[Organization].created_by)


def test_the_admin_ends_a_membership_but_never_restores_one(client, world):
    membership = world[Membership]
    path = url(Membership, "change", membership.pk)
    data = _post_data(client.get(path))
    data.pop("active")
    assert client.post(path, data).status_code == 302
    membership.refresh_from_db()
    assert (membership.active, membership.left_at is not None) == (False, True)

    response = client.post(path, {**data, "active": "on"})
    assert response.status_code == 200
    assert "rejoins only by accepting a new invitation" in response.text
    membership.refresh_from_db()
    assert membership.active is False


def test_invitation_admin_lists_by_status_and_revokes_pending_ones(client, world):
    pending = world[Invitation]
    expired = Invitation.objects.create(
        organization=pending.organization,
        email="late@x.org",
        token_hash="1" * 64,
        expires_at=timezone.now() - timedelta(days=1),
    )
    listed = client.get(url(Invitation, "changelist"), {"status": "expired"})
    assert [row.pk for row in listed.context["cl"].result_list] == [expired.pk]
    response = client.post(
        url(Invitation, "changelist"),
        {"action": "revoke_pending", "_selected_action": [pending.pk, expired.pk]},
    )
    assert response.status_code == 302
    assert dict(Invitation.objects.values_list("pk", "status")) == {
        pending.pk: InvitationStatus.REVOKED,
        expired.pk: InvitationStatus.PENDING,  # expired already: nothing to revoke
    }


def test_group_member_must_belong_to_the_organization(client, world):
    group = world[Group]
    stranger = UserFactory()
    response = client.post(url(GroupMembership, "add"), {"group": group.pk, "user": stranger.pk})
    assert response.status_code == 200
    assert "Only active members of the organization" in response.text
    member = MembershipFactory(organization=group.organization).user
    response = client.post(url(GroupMembership, "add"), {"group": group.pk, "user": member.pk})
    assert response.status_code == 302
    assert group.members.filter(pk=member.pk).exists()


def test_large_inlines_are_capped_and_fit_one_request(client, world):
    org = world[Organization]
    for _ in range(53):
        MembershipFactory(organization=org)
    response = client.get(url(Organization, "change", org.pk))
    formsets = {inline.formset.prefix: inline.formset for inline in response.context["inline_admin_formsets"]}
    assert formsets["memberships"].initial_form_count() == 50
    assert "the first 50 of 55" in response.text
    field_names = set(re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', response.text))
    assert len(field_names) < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS

    plan = world[TrainingPlan]
    PlannedWorkout.objects.bulk_create(  # two sessions a day for 12 weeks
        PlannedWorkout(plan=plan, week=week, day=day, type="easy")
        for week in range(1, 13)
        for day in range(1, 8)
        for _ in range(2)
    )
    response = client.get(url(TrainingPlan, "change", plan.pk))
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.initial_form_count() == 100
    field_names = set(re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', response.text))
    assert len(field_names) < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS


def test_organization_page_queries_do_not_grow_with_members(client, world):
    org = world[Organization]
    path = url(Organization, "change", org.pk)
    client.get(path)
    few = queries_for(client, path)
    coach = org.created_by
    for _ in range(30):
        MembershipFactory(organization=org, assigned_coach=coach)
    assert queries_for(client, path) == few


# --- Changelist query counts ----------------------------------------------------------------------


def _assert_constant_queries(client, path, make_row):
    make_row()
    client.get(path)  # warm caches (content types, etc.)
    one = queries_for(client, path)
    for _ in range(29):
        make_row()
    thirty = queries_for(client, path)
    assert one == thirty, f"{one} queries with 1 row, {thirty} with 30"


def test_activity_changelist_query_count_is_constant(client):
    _assert_constant_queries(client, url(Activity, "changelist"), lambda: ActivityFactory())


def test_user_changelist_query_count_is_constant(client):
    _assert_constant_queries(client, url(User, "changelist"), lambda: UserFactory())


def test_membership_changelist_query_count_is_constant(client):
    org = OrganizationFactory()
    coach = CoachFactory()
    label = LabelFactory(organization=org)

    def make_row():
        membership = MembershipFactory(organization=org, assigned_coach=coach)
        membership.labels.add(label)

    _assert_constant_queries(client, url(Membership, "changelist"), make_row)
    assert label.name in client.get(url(Membership, "changelist")).text


@pytest.mark.parametrize(
    "model",
    [PlanInstance, DailyWellness, Insight, GroupMembership, ApiKey, AccessToken, Group, Organization, TrainingPlan],
    ids=lambda m: m.__name__,
)
def test_other_changelists_are_not_n_plus_one(client, world, model):
    path = url(model, "changelist")
    client.get(path)
    before = queries_for(client, path)
    world_again = {
        PlanInstance: lambda: PlanInstanceFactory(assigned_by=CoachFactory()),
        DailyWellness: lambda: DailyWellnessFactory(),
        Insight: lambda: Insight.objects.create(
            kind=InsightKind.GROUP, group=GroupFactory(), user=UserFactory(), text="x", generated_at=timezone.now()
        ),
        GroupMembership: lambda: GroupMembershipFactory(),
        ApiKey: lambda: ApiKey.objects.create(
            organization=OrganizationFactory(), name="k", key_hash=str(ApiKey.objects.count()).zfill(64), prefix="p"
        ),
        AccessToken: lambda: AccessToken.objects.create(
            user=UserFactory(),
            token_hash=str(AccessToken.objects.count()).zfill(64),
            prefix="p",
            expires_at=timezone.now(),
        ),
        Group: lambda: GroupMembershipFactory().group,
        Organization: lambda: MembershipFactory(organization=OrganizationFactory(created_by=CoachFactory())),
        TrainingPlan: lambda: PlannedWorkoutFactory(plan=TrainingPlanFactory(organization=OrganizationFactory())),
    }[model]
    for _ in range(10):
        world_again()
    assert queries_for(client, path) == before


# --- Plans ----------------------------------------------------------------------------------------


def test_plan_instance_list_shows_status_and_current_week(client):
    today = timezone.localdate()
    plan = TrainingPlanFactory(total_weeks=12)
    active = PlanInstanceFactory(plan=plan, start_date=today - timedelta(days=8))
    scheduled = PlanInstanceFactory(plan=plan, start_date=today + timedelta(days=3))
    completed = PlanInstanceFactory(plan=plan, start_date=today - timedelta(weeks=12))
    cancelled = PlanInstanceFactory(plan=plan, start_date=today, cancelled=True)
    short = PlanInstanceFactory(plan=TrainingPlanFactory(total_weeks=2), start_date=today - timedelta(days=13))

    response = client.get(url(PlanInstance, "changelist"))
    row = re.search(rf"{active.public_id}.*?</tr>", response.text, re.S).group(0)
    assert "Active" in row
    assert "2 / 12" in row

    expected = {
        "active": {active, short},
        "scheduled": {scheduled},
        "completed": {completed},
        "cancelled": {cancelled},
    }
    for status, rows in expected.items():
        assert set(_rows(client.get(url(PlanInstance, "changelist"), {"status": status}))) == rows, status


def test_planned_workout_week_must_fit_the_plan(client, world):
    plan = world[TrainingPlan]
    response = client.post(
        url(PlannedWorkout, "add"), {"plan": plan.pk, "week": plan.total_weeks + 1, "day": 8, "type": "easy"}
    )
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"week", "day"}


# --- Users and athlete data -----------------------------------------------------------------------


def test_add_user_with_profile_fields(client):
    response = client.post(
        url(User, "add"),
        {
            "username": "new_coach",
            "usable_password": "true",
            "password1": "a-Long-passw0rd!",
            "password2": "a-Long-passw0rd!",
            "email": "new.coach@example.com",
            "display_name": "New Coach",
            "role": Role.COACH,
            "timezone": "Europe/Oslo",
            "unit_system": "metric",
            "sex": "",
            "integrations-TOTAL_FORMS": "0",
            "integrations-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="new_coach")
    assert (user.role, user.timezone, user.display_name) == (Role.COACH, "Europe/Oslo", "New Coach")
    assert user.public_id.startswith("usr_")
    assert user.check_password("a-Long-passw0rd!")


def test_user_change_validates_profile_and_marks_data_changed(client, world):
    athlete = world[User]
    before = athlete.data_version
    path = url(User, "change", athlete.pk)
    data = _post_data(client.get(path))

    bad = {**data, "timezone": "Mars/Olympus", "hr_zones": "[150, 140, 160, 170, 180]"}
    response = client.post(path, bad)
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) >= {"timezone", "hr_zones"}

    good = {**data, "timezone": "America/Denver", "max_heart_rate": "190", "hr_zones": "[130, 150, 165, 175, 190]"}
    response = client.post(path, good)
    assert response.status_code == 302, response.context["adminform"].form.errors
    athlete.refresh_from_db()
    assert (athlete.timezone, athlete.max_heart_rate, athlete.hr_zones) == (
        "America/Denver",
        190,
        [130, 150, 165, 175, 190],
    )
    assert athlete.data_version == before + 1


def test_activity_edit_and_delete_mark_the_athletes_data_changed(client, world):
    activity = world[Activity]
    athlete = activity.user
    before = athlete.data_version
    path = url(Activity, "change", activity.pk)
    data = _post_data(client.get(path))
    data.update({"distance": "15000"})
    response = client.post(path, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    activity.refresh_from_db()
    athlete.refresh_from_db()
    assert activity.distance == 15000
    assert athlete.data_version == before + 1

    response = client.post(url(Activity, "delete", activity.pk), {"post": "yes"})
    assert response.status_code == 302
    athlete.refresh_from_db()
    assert athlete.data_version == before + 2


def test_metrics_snapshot_is_read_only(client, world):
    snapshot = world[MetricsSnapshot]
    response = client.get(url(MetricsSnapshot, "change", snapshot.pk))
    assert response.status_code == 200
    assert "ctl" in response.text
    assert not admin.site.get_model_admin(MetricsSnapshot).has_change_permission(response.wsgi_request, snapshot)


def test_insight_added_from_admin_gets_a_generation_time(client, world):
    response = client.post(url(Insight, "add"), {"kind": InsightKind.ACTIVITY, "user": world[User].pk, "text": "Hi"})
    assert response.status_code == 200  # an activity insight needs its activity
    response = client.post(
        url(Insight, "add"),
        {"kind": InsightKind.ACTIVITY, "user": world[User].pk, "activity": world[Activity].pk, "text": "Hi"},
    )
    assert response.status_code == 302
    assert Insight.objects.filter(text="Hi").get().generated_at is not None


def test_user_with_legacy_profile_values_can_still_be_deactivated(client, world):
    athlete = world[User]
    User.objects.filter(pk=athlete.pk).update(hr_zones=[1, 2], timezone="Atlantis/Capital")
    path = url(User, "change", athlete.pk)
    data = _post_data(client.get(path))
    data.pop("is_active")
    response = client.post(path, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    athlete.refresh_from_db()
    assert not athlete.is_active


# --- Scale: no giant select boxes, links to the full lists ----------------------------------------


def test_no_select_box_lists_every_user(superuser):
    """Every form field choosing users is an autocomplete or raw-id widget (20,000 athletes)."""
    from django.contrib.admin.widgets import AutocompleteMixin, ForeignKeyRawIdWidget

    request = RequestFactory().get("/")
    request.user = superuser
    offenders, checked = [], 0
    for model_admin in admin.site._registry.values():
        form_classes = [(model_admin, model_admin.get_form(request))]
        form_classes += [
            (inline, inline.get_formset(request).form) for inline in model_admin.get_inline_instances(request)
        ]
        for owner, form_class in form_classes:
            for name, field in form_class.base_fields.items():
                queryset = getattr(field, "queryset", None)
                if queryset is None or queryset.model is not User:
                    continue
                checked += 1
                widget = getattr(field.widget, "widget", field.widget)  # unwrap RelatedFieldWidgetWrapper
                if not isinstance(widget, AutocompleteMixin | ForeignKeyRawIdWidget):
                    offenders.append(f"{owner.__class__.__name__}.{name}")
    assert checked >= 13
    assert offenders == [], offenders


def test_user_autocomplete_finds_athletes(client, world):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "analytics", "model_name": "activity", "field_name": "user", "term": "zebra"},
    )
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [str(world[User].pk)]


def test_organization_links_to_its_full_lists(client, world):
    org = world[Organization]
    OrganizationFactory()  # another organization's rows stay out
    MembershipFactory()
    response = client.get(url(Organization, "change", org.pk))
    for model, count in ((Membership, 2), (Group, 1), (Label, 1), (ApiKey, 1)):
        link = f"{url(model, 'changelist')}?organization__id__exact={org.pk}"
        assert link in response.text
        assert len(_rows(client.get(link))) == count


@pytest.mark.parametrize(
    ("state", "expected"), [("active", {"live"}), ("expired", {"old"}), ("revoked", {"gone"}), (None, None)]
)
def test_access_token_state_filter(client, world, state, expected):
    AccessToken.objects.all().delete()
    user, now = world[User], timezone.now()
    for prefix, expires, revoked in (
        ("live", now + timedelta(days=1), None),
        ("old", now - timedelta(days=1), None),
        ("gone", now + timedelta(days=1), now),
    ):
        AccessToken.objects.create(
            user=user, token_hash=prefix.ljust(64, "0"), prefix=prefix, expires_at=expires, revoked_at=revoked
        )
    params = {"state": state} if state else {}
    rows = {token.prefix for token in _rows(client.get(url(AccessToken, "changelist"), params))}
    assert rows == (expected or {"live", "old", "gone"})


def test_user_email_must_be_unique_ignoring_case(client, world):
    athlete = world[User]
    other = UserFactory(username="other_one")
    path = url(User, "change", other.pk)
    data = {**_post_data(client.get(path)), "email": athlete.email.upper()}
    response = client.post(path, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors


def test_demoting_a_coach_flags_the_athletes_they_coach(client, world):
    org = world[Organization]
    coach = org.created_by
    path = url(Organization, "change", org.pk)
    data = _post_data(client.get(path))
    own = Membership.objects.get(organization=org, user=coach).pk
    index = next(key.split("-")[1] for key, value in data.items() if key.endswith("-id") and value == own)
    data[f"memberships-{index}-role"] = MemberRole.ATHLETE
    response = client.post(path, data)
    assert response.status_code == 200
    assert "must be an active coach or admin of this organization" in response.text
    assert Membership.objects.get(organization=org, user=coach).role == MemberRole.ADMIN


def test_a_legacy_coach_assignment_does_not_block_other_edits(client, world):
    org = world[Organization]
    Membership.objects.filter(pk=world[Membership].pk).update(assigned_coach=UserFactory())  # not staff
    path = url(Organization, "change", org.pk)
    response = client.post(path, {**_post_data(client.get(path)), "name": "Renamed"})
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name == "Renamed"


@pytest.mark.django_db
def test_activity_saved_in_admin_gets_its_load_and_zones_computed(client):
    from datetime import UTC, datetime

    from analytics.models import Activity
    from tests.factories import UserFactory

    admin_user = UserFactory(is_staff=True, is_superuser=True)
    runner = UserFactory(vdot=50, resting_heart_rate=50, max_heart_rate=190, sex="male")
    client.force_login(admin_user)
    response = client.post(
        "/admin/analytics/activity/add/",
        {
            "user": runner.pk,
            "sport": "run",
            "start_time_0": "2026-11-01",
            "start_time_1": "08:00:00",
            "timezone": "UTC",
            "source": "manual",
            "distance": "10000",
            "duration": "2700",
            "avg_heart_rate": "150",
            "external_id": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = Activity.objects.get()
    assert activity.start_time == datetime(2026, 11, 1, 8, tzinfo=UTC)
    # 45 min × HRr (100/140) × 0.64·e^(1.92·100/140) = 81.07
    assert activity.training_load == 81.1
    assert (activity.pace_z1_time, activity.pace_z2_time) == (0, 2700)  # 4:30/km at VDOT 50 is Z2


def test_a_staff_user_without_a_coach_account_cannot_get_a_coach_role(client, world):
    """The admin follows the one rule of organizations.access.can_hold_role: a Django staff flag
    does not make an athlete account a coach."""
    membership = world[Membership]
    membership.user.is_staff = True
    membership.user.save(update_fields=["is_staff"])
    response = client.post(url(Membership, "change", membership.pk), {"role": MemberRole.COACH, "active": "on"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["role"] == ["Only a coach account can have a coach or admin role."]
    membership.refresh_from_db()
    assert membership.role == MemberRole.ATHLETE
