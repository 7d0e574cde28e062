"""Members of an organization: list, add, update (coach, labels, active, role), deactivate."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organizations.models import Label, MemberRole, Membership
from tests.conftest import bearer_client
from tests.factories import (
    CoachFactory,
    GroupFactory,
    GroupMembershipFactory,
    LabelFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)
from tests.organizations.checks import API, assert_error, data_state, data_version

pytestmark = pytest.mark.django_db


def members_url(org, user=None) -> str:
    base = f"{API}/organizations/{org.public_id}/members"
    return f"{base}/{user.public_id}" if user else base


def membership_of(org, user) -> Membership:
    return Membership.objects.get(organization=org, user=user)


def label_names(org, user) -> list[str]:
    return sorted(membership_of(org, user).labels.values_list("name", flat=True))


def expected_member(membership, *, labels=(), groups=()) -> dict:
    user = membership.user
    return {
        "user_id": user.public_id,
        "username": user.username,
        "email": user.email,
        "display_name": user.display_name,
        "role": membership.role,
        "active": membership.active,
        "assigned_coach_id": membership.assigned_coach.public_id if membership.assigned_coach else None,
        "labels": list(labels),
        "groups": list(groups),
        "joined_at": membership.joined_at.isoformat(),
    }


# --- GET members -------------------------------------------------------------------------------


def test_list_returns_every_field_with_labels_and_groups_sorted(org, admin, coach, runner, admin_client):
    membership = membership_of(org, runner)
    membership.assigned_coach = coach
    membership.save()
    membership.labels.set(
        [LabelFactory(organization=org, name="tempo"), LabelFactory(organization=org, name="beginner")]
    )
    GroupMembershipFactory(group=GroupFactory(organization=org, name="Sprinters"), user=runner)
    GroupMembershipFactory(group=GroupFactory(organization=org, name="Milers"), user=runner)
    # A group of another organization is not this organization's business.
    GroupMembershipFactory(group=GroupFactory(name="Elsewhere"), user=runner)

    response = admin_client.get(members_url(org))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    # Ordered by username: ada_admin, carl_coach, rita_runner.
    assert body["data"] == [
        expected_member(membership_of(org, admin)),
        expected_member(membership_of(org, coach)),
        expected_member(membership_of(org, runner), labels=["beginner", "tempo"], groups=["Milers", "Sprinters"]),
    ]
    assert body["data"][2]["assigned_coach_id"] == coach.public_id
    assert body["meta"] == {
        "pagination": {
            "total": 3,
            "page": 1,
            "per_page": 50,
            "total_pages": 1,
            "has_next": False,
            "has_prev": False,
        }
    }


def test_list_excludes_members_of_other_organizations(org, admin, admin_client, other_org):
    MembershipFactory(organization=other_org, user=UserFactory(username="zed_elsewhere"))

    response = admin_client.get(members_url(org))

    assert [m["username"] for m in response.json()["data"]] == ["ada_admin"]


def test_list_paginates(org, admin, admin_client):
    for name in ("b_one", "c_two", "d_three", "e_four"):
        MembershipFactory(organization=org, user=UserFactory(username=name))

    response = admin_client.get(members_url(org), {"page": 2, "per_page": 2})

    assert response.status_code == 200, response.content
    body = response.json()
    assert [m["username"] for m in body["data"]] == ["c_two", "d_three"]
    assert body["meta"]["pagination"] == {
        "total": 5,
        "page": 2,
        "per_page": 2,
        "total_pages": 3,
        "has_next": True,
        "has_prev": True,
    }
    last = admin_client.get(members_url(org), {"page": 3, "per_page": 2}).json()
    assert [m["username"] for m in last["data"]] == ["e_four"]
    assert last["meta"]["pagination"]["has_next"] is False


def test_per_page_of_200_is_allowed(org, admin, admin_client):
    response = admin_client.get(members_url(org), {"per_page": 200})

    assert response.status_code == 200, response.content
    assert response.json()["meta"]["pagination"]["per_page"] == 200


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"per_page": 201}, "per_page"),
        ({"per_page": 0}, "per_page"),
        ({"per_page": "ten"}, "per_page"),
        ({"page": 0}, "page"),
        ({"page": "x"}, "page"),
        ({"page": 2**62}, "page"),  # its OFFSET would overflow bigint: was a 500
        ({"role": "owner"}, "role"),
        ({"active": "maybe"}, "active"),
    ],
)
def test_list_rejects_bad_parameters(org, admin, admin_client, params, field):
    response = admin_client.get(members_url(org), params)

    code = "INVALID_CHOICE" if field == "role" else "INVALID"
    assert_error(response, 400, code, field=field)


def test_list_filters_by_role_and_active(org, admin, coach, runner, admin_client):
    gone = UserFactory(username="gus_gone")
    MembershipFactory(organization=org, user=gone, active=False)

    athletes = admin_client.get(members_url(org), {"role": "athlete"}).json()["data"]
    inactive = admin_client.get(members_url(org), {"active": "false"}).json()["data"]
    active_athletes = admin_client.get(members_url(org), {"role": "athlete", "active": "true"}).json()["data"]

    assert [m["username"] for m in athletes] == ["gus_gone", "rita_runner"]
    assert [(m["username"], m["active"]) for m in inactive] == [("gus_gone", False)]
    assert [m["username"] for m in active_athletes] == ["rita_runner"]


def test_a_coach_can_list_members(org, admin, coach, runner, coach_client):
    response = coach_client.get(members_url(org))

    assert response.status_code == 200, response.content
    assert len(response.json()["data"]) == 3


def _members_list_queries(org, viewer) -> tuple[int, int]:
    client = bearer_client(viewer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(members_url(org), {"per_page": 200})
    assert response.status_code == 200, response.content
    return len(queries), len(response.json()["data"])


def _add_members(org, count: int, coach) -> None:
    labels = [LabelFactory(organization=org, name=f"label-{i}") for i in range(3)]
    groups = [GroupFactory(organization=org, name=f"Group {i}") for i in range(3)]
    for _ in range(count):
        membership = MembershipFactory(organization=org, assigned_coach=coach)
        membership.labels.set(labels[:2])
        for group in groups[:2]:
            GroupMembershipFactory(group=group, user=membership.user)


def test_member_list_query_count_does_not_grow_with_members():
    coach = CoachFactory()
    small, large = OrganizationFactory(), OrganizationFactory()
    for org in (small, large):
        MembershipFactory(organization=org, user=coach, role=MemberRole.ADMIN)
    _add_members(small, 1, coach)
    _add_members(large, 199, coach)

    small_queries, small_rows = _members_list_queries(small, coach)
    large_queries, large_rows = _members_list_queries(large, coach)

    assert (small_rows, large_rows) == (2, 200)
    assert small_queries == large_queries


# --- POST members: an invitation, never a membership (tests/organizations/test_invitations_api.py) ---


def test_inviting_creates_no_membership(org, coach, coach_client):
    athlete = UserFactory(username="nina_new")
    version = data_version(athlete)

    response = coach_client.post(members_url(org), {"user_id": athlete.public_id}, format="json")

    assert response.status_code == 202, response.content
    assert not Membership.objects.filter(organization=org, user=athlete).exists()
    assert data_version(athlete) == version  # nothing about the athlete changed yet


@pytest.mark.parametrize("role", ["coach", "admin"])
def test_coach_cannot_invite_staff(org, coach, coach_client, role):
    other_coach = CoachFactory()
    before = data_state()

    response = coach_client.post(members_url(org), {"user_id": other_coach.public_id, "role": role}, format="json")

    assert_error(response, 403, "FORBIDDEN")
    assert data_state() == before


@pytest.mark.parametrize("role", ["coach", "admin"])
@pytest.mark.parametrize("is_staff", [False, True])
def test_an_athlete_account_cannot_get_a_staff_role(org, admin, admin_client, role, is_staff):
    # Django's is_staff (admin-site access) does not make an athlete account a coach.
    athlete = UserFactory(is_staff=is_staff)
    before = data_state()

    response = admin_client.post(members_url(org), {"user_id": athlete.public_id, "role": role}, format="json")

    assert_error(response, 400, "INVALID_ROLE", field="role")
    assert data_state() == before


def test_inviting_an_active_member_again_is_409(org, admin, runner, admin_client):
    before = data_state()

    by_id = admin_client.post(members_url(org), {"user_id": runner.public_id}, format="json")
    by_username = admin_client.post(members_url(org), {"username": runner.username.upper()}, format="json")
    by_email = admin_client.post(members_url(org), {"email": runner.email.upper()}, format="json")

    assert_error(by_id, 409, "ALREADY_MEMBER", field="user_id")
    assert_error(by_username, 409, "ALREADY_MEMBER", field="user_id")
    assert_error(by_email, 409, "ALREADY_MEMBER", field="email")
    assert data_state() == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"user_id": "usr_0000000000000000"}, "user_id"),
        ({"username": "nobody_here"}, "username"),
    ],
)
def test_inviting_an_unknown_account_is_404(org, admin, admin_client, payload, field):
    before = data_state()

    response = admin_client.post(members_url(org), payload, format="json")

    assert_error(response, 404, "USER_NOT_FOUND", field=field)
    assert data_state() == before


@pytest.mark.parametrize(
    ("payload", "code", "field"),
    [
        ({}, "REQUIRED", "user_id"),
        ({"user_id": "", "email": ""}, "BLANK", "user_id"),
        ({"email": "not-an-email"}, "INVALID", "email"),
        ({"user_id": "x" * 33}, "MAX_LENGTH", "user_id"),
        ({"email": "a@example.com", "role": "owner"}, "INVALID_CHOICE", "role"),
        ({"email": "a@example.com", "username": "ann"}, "REQUIRED", "user_id"),
    ],
)
def test_invite_validates_its_body(org, admin, admin_client, payload, code, field):
    UserFactory(email="a@example.com")
    before = data_state()

    response = admin_client.post(members_url(org), payload, format="json")

    assert_error(response, 400, code, field=field)
    assert data_state() == before


# --- PATCH members/{user_id} -------------------------------------------------------------------


def test_assigning_a_coach_of_the_organization(org, admin, coach, runner, coach_client):
    version = data_version(runner)

    response = coach_client.patch(members_url(org, runner), {"assigned_coach_id": coach.public_id}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["data"] == expected_member(membership_of(org, runner))
    assert response.json()["data"]["assigned_coach_id"] == coach.public_id
    assert membership_of(org, runner).assigned_coach == coach
    assert data_version(runner) > version


def test_an_admin_can_be_the_assigned_coach_and_null_unassigns(org, admin, runner, admin_client):
    assigned = admin_client.patch(members_url(org, runner), {"assigned_coach_id": admin.public_id}, format="json")
    assert assigned.json()["data"]["assigned_coach_id"] == admin.public_id

    for empty in (None, ""):
        membership = membership_of(org, runner)
        membership.assigned_coach = admin
        membership.save()

        response = admin_client.patch(members_url(org, runner), {"assigned_coach_id": empty}, format="json")

        assert response.status_code == 200, response.content
        assert response.json()["data"]["assigned_coach_id"] is None
        assert membership_of(org, runner).assigned_coach is None


@pytest.mark.parametrize("who", ["other_org_coach", "athlete_member", "inactive_coach", "unknown", "outsider"])
def test_assigned_coach_must_be_an_active_coach_of_this_organization(org, admin, runner, admin_client, who):
    if who == "other_org_coach":
        candidate = CoachFactory()
        MembershipFactory(user=candidate, role=MemberRole.COACH)
    elif who == "athlete_member":
        candidate = UserFactory()
        MembershipFactory(user=candidate, organization=org)
    elif who == "inactive_coach":
        candidate = CoachFactory()
        MembershipFactory(user=candidate, organization=org, role=MemberRole.COACH, active=False)
    elif who == "outsider":
        candidate = CoachFactory()
    coach_id = "usr_0000000000000000" if who == "unknown" else candidate.public_id
    before = data_state()

    response = admin_client.patch(
        members_url(org, runner), {"assigned_coach_id": coach_id, "labels": ["should-not-exist"]}, format="json"
    )

    assert_error(response, 400, "INVALID_COACH", field="assigned_coach_id")
    assert data_state() == before
    assert not Label.objects.filter(name="should-not-exist").exists()


def test_labels_are_created_on_first_use_and_replace_the_set(org, admin, runner, coach, admin_client):
    LabelFactory(organization=org, name="tempo")
    LabelFactory(organization=OrganizationFactory(), name="marathon")  # same name, another organization
    version = data_version(runner)

    response = admin_client.patch(members_url(org, runner), {"labels": ["tempo", "marathon", "tempo"]}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["data"]["labels"] == ["marathon", "tempo"]
    assert label_names(org, runner) == ["marathon", "tempo"]
    assert sorted(Label.objects.filter(organization=org).values_list("name", flat=True)) == ["marathon", "tempo"]
    assert Label.objects.filter(name="marathon").count() == 2
    assert data_version(runner) > version

    replaced = admin_client.patch(members_url(org, runner), {"labels": ["injured"]}, format="json")

    assert replaced.json()["data"]["labels"] == ["injured"]
    assert label_names(org, runner) == ["injured"]
    # Labels are the organization's, not the member's: unassigned ones stay, reused ones are shared.
    assert sorted(Label.objects.filter(organization=org).values_list("name", flat=True)) == [
        "injured",
        "marathon",
        "tempo",
    ]
    admin_client.patch(members_url(org, coach), {"labels": ["injured"]}, format="json")
    assert Label.objects.filter(organization=org, name="injured").count() == 1
    assert membership_of(org, coach).labels.get() == membership_of(org, runner).labels.get()


def test_label_names_are_trimmed_and_an_empty_list_clears(org, admin, runner, admin_client):
    response = admin_client.patch(members_url(org, runner), {"labels": ["  hills "]}, format="json")
    assert response.json()["data"]["labels"] == ["hills"]

    cleared = admin_client.patch(members_url(org, runner), {"labels": []}, format="json")

    assert cleared.status_code == 200, cleared.content
    assert cleared.json()["data"]["labels"] == []
    assert label_names(org, runner) == []


def test_patch_without_labels_keeps_them(org, admin, runner, admin_client):
    admin_client.patch(members_url(org, runner), {"labels": ["tempo"]}, format="json")

    response = admin_client.patch(members_url(org, runner), {"assigned_coach_id": admin.public_id}, format="json")

    assert response.json()["data"]["labels"] == ["tempo"]
    assert label_names(org, runner) == ["tempo"]


@pytest.mark.parametrize(
    ("payload", "code", "field"),
    [
        ({"labels": "tempo"}, "NOT_A_LIST", "labels"),
        ({"labels": ["ok", ""]}, "BLANK", "labels.1"),
        ({"labels": ["x" * 65]}, "MAX_LENGTH", "labels.0"),
        ({"labels": [f"l{i}" for i in range(51)]}, "MAX_LENGTH", "labels"),
        ({"active": "maybe"}, "INVALID", "active"),
        ({"role": "owner"}, "INVALID_CHOICE", "role"),
    ],
)
def test_patch_validates_its_body(org, admin, runner, admin_client, payload, code, field):
    before = data_state()

    response = admin_client.patch(members_url(org, runner), payload, format="json")

    assert_error(response, 400, code, field=field)
    assert data_state() == before


def test_coach_deactivates_an_athlete_but_cannot_restore_them(org, coach, runner, coach_client):
    version = data_version(runner)

    response = coach_client.patch(members_url(org, runner), {"active": False}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["data"]["active"] is False
    membership = membership_of(org, runner)
    assert (membership.active, membership.left_at is not None) == (False, True)
    assert data_version(runner) > version

    before = data_state()
    restored = coach_client.patch(members_url(org, runner), {"active": True}, format="json")

    # Consent is the athlete's: they come back by accepting a new invitation.
    assert_error(restored, 409, "INVITATION_REQUIRED", field="active")
    assert data_state() == before


def test_admin_changes_roles(org, admin, coach, admin_client):
    promoted = admin_client.patch(members_url(org, coach), {"role": "admin"}, format="json")

    assert promoted.status_code == 200, promoted.content
    assert promoted.json()["data"]["role"] == "admin"
    assert membership_of(org, coach).role == MemberRole.ADMIN

    # Now there are two admins, so the first may step down to coach.
    demoted = admin_client.patch(members_url(org, admin), {"role": "coach"}, format="json")

    assert demoted.status_code == 200, demoted.content
    assert demoted.json()["data"]["role"] == "coach"
    assert membership_of(org, admin).role == MemberRole.COACH


def test_a_coach_account_member_can_be_promoted_from_athlete(org, admin, admin_client):
    coach_account = CoachFactory()
    MembershipFactory(organization=org, user=coach_account, role=MemberRole.ATHLETE)

    response = admin_client.patch(members_url(org, coach_account), {"role": "coach"}, format="json")

    assert response.json()["data"]["role"] == "coach"
    assert membership_of(org, coach_account).role == MemberRole.COACH


def test_an_athlete_account_cannot_be_promoted(org, admin, runner, admin_client):
    before = data_state()

    response = admin_client.patch(members_url(org, runner), {"role": "coach"}, format="json")

    assert_error(response, 400, "INVALID_ROLE", field="role")
    assert data_state() == before


@pytest.mark.parametrize("role", ["athlete", "admin"])
def test_only_an_admin_changes_roles(org, admin, coach, runner, coach_client, role):
    target = admin if role == "athlete" else coach
    before = data_state()

    response = coach_client.patch(members_url(org, target), {"role": role, "labels": ["nope"]}, format="json")

    assert_error(response, 403, "FORBIDDEN")
    assert data_state() == before


def test_a_coach_cannot_deactivate_staff(org, admin, coach, coach_client):
    second_admin = CoachFactory()
    MembershipFactory(organization=org, user=second_admin, role=MemberRole.ADMIN)
    before = data_state()

    patched = coach_client.patch(members_url(org, admin), {"active": False}, format="json")
    deleted = coach_client.delete(members_url(org, second_admin))
    self_deleted = coach_client.delete(members_url(org, coach))

    assert_error(patched, 403, "FORBIDDEN")
    assert_error(deleted, 403, "FORBIDDEN")
    assert_error(self_deleted, 403, "FORBIDDEN")
    assert data_state() == before


def test_an_admin_deactivates_a_coach(org, admin, coach, admin_client):
    response = admin_client.delete(members_url(org, coach))

    assert response.status_code == 200, response.content
    assert response.json()["data"]["active"] is False
    assert membership_of(org, coach).active is False


@pytest.mark.parametrize(
    ("method", "payload"),
    [
        ("patch", {"role": "coach"}),
        ("patch", {"role": "athlete"}),
        ("patch", {"active": False}),
        ("patch", {"active": False, "labels": ["leaving"]}),
        ("delete", None),
    ],
)
def test_the_last_admin_cannot_be_demoted_or_deactivated(org, admin, coach, admin_client, method, payload):
    # An inactive admin does not count as another admin.
    MembershipFactory(organization=org, user=CoachFactory(), role=MemberRole.ADMIN, active=False)
    before = data_state()

    response = getattr(admin_client, method)(members_url(org, admin), payload, format="json")

    assert_error(response, 400, "LAST_ADMIN")
    assert data_state() == before
    assert membership_of(org, admin).role == MemberRole.ADMIN
    assert membership_of(org, admin).active is True


def test_an_admin_can_leave_when_another_admin_remains(org, admin, admin_client):
    MembershipFactory(organization=org, user=CoachFactory(), role=MemberRole.ADMIN)

    response = admin_client.delete(members_url(org, admin))

    assert response.status_code == 200, response.content
    assert membership_of(org, admin).active is False


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_unknown_or_foreign_member_is_404(org, admin, admin_client, method):
    outsider = UserFactory()
    MembershipFactory(user=outsider)  # a member of another organization only
    before = data_state()

    unknown = getattr(admin_client, method)(
        f"{members_url(org)}/usr_0000000000000000", {"active": False}, format="json"
    )
    foreign = getattr(admin_client, method)(members_url(org, outsider), {"active": False}, format="json")

    assert_error(unknown, 404, "MEMBER_NOT_FOUND")
    assert_error(foreign, 404, "MEMBER_NOT_FOUND")
    assert data_state() == before


# --- DELETE members/{user_id} ------------------------------------------------------------------


def test_delete_deactivates_but_keeps_the_membership(org, admin, runner, admin_client):
    membership = membership_of(org, runner)
    membership.labels.set([LabelFactory(organization=org, name="tempo")])
    version = data_version(runner)

    response = admin_client.delete(members_url(org, runner))

    assert response.status_code == 200, response.content
    membership = membership_of(org, runner)
    assert membership.active is False
    assert response.json()["data"] == expected_member(membership, labels=["tempo"])
    assert data_version(runner) > version
    listed = admin_client.get(members_url(org), {"active": "false"}).json()["data"]
    assert [m["user_id"] for m in listed] == [runner.public_id]


def test_deactivated_athlete_is_no_longer_listed_in_their_organizations(org, admin, runner, admin_client):
    admin_client.delete(members_url(org, runner))

    response = bearer_client(runner).get(f"{API}/organizations")

    assert response.json()["data"] == []
