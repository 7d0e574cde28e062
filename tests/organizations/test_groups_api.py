"""Groups of an organization: list, create, add and remove members."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organizations.models import Group, GroupMembership, MemberRole
from tests.conftest import bearer_client
from tests.factories import (
    CoachFactory,
    GroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)
from tests.organizations.checks import API, assert_error, data_state, data_version

pytestmark = pytest.mark.django_db


def groups_url(org) -> str:
    return f"{API}/organizations/{org.public_id}/groups"


def group_members_url(org, group, user=None) -> str:
    base = f"{groups_url(org)}/{group.public_id}/members"
    return f"{base}/{user.public_id}" if user else base


def group_user_ids(group) -> list[int]:
    return sorted(GroupMembership.objects.filter(group=group).values_list("user_id", flat=True))


# --- GET/POST groups ---------------------------------------------------------------------------


def test_coach_creates_a_group(org, coach, coach_client):
    response = coach_client.post(
        groups_url(org), {"name": " Marathon Squad ", "description": "Sub-3 hopefuls"}, format="json"
    )

    assert response.status_code == 201, response.content
    group = Group.objects.get(organization=org)
    assert response.json() == {
        "status": "ok",
        "data": {
            "group_id": group.public_id,
            "name": "Marathon Squad",
            "description": "Sub-3 hopefuls",
            "member_count": 0,
        },
    }
    assert group.public_id.startswith("grp_")
    assert (group.name, group.description) == ("Marathon Squad", "Sub-3 hopefuls")


def test_description_is_optional(org, admin, admin_client):
    response = admin_client.post(groups_url(org), {"name": "Juniors"}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["data"]["description"] == ""
    assert Group.objects.get(organization=org).description == ""


@pytest.mark.parametrize("name", ["Juniors", "juniors", "  JUNIORS "])
def test_duplicate_group_name_is_409(org, admin, admin_client, name):
    GroupFactory(organization=org, name="Juniors")
    before = data_state()

    response = admin_client.post(groups_url(org), {"name": name}, format="json")

    assert_error(response, 409, "GROUP_EXISTS", field="name")
    assert data_state() == before


def test_the_same_group_name_is_free_in_another_organization(org, admin, admin_client, other_org):
    GroupFactory(organization=other_org, name="Juniors")

    response = admin_client.post(groups_url(org), {"name": "Juniors"}, format="json")

    assert response.status_code == 201, response.content
    assert Group.objects.filter(name="Juniors").count() == 2


@pytest.mark.parametrize(
    ("payload", "code", "field"),
    [
        ({}, "REQUIRED", "name"),
        ({"name": "  "}, "BLANK", "name"),
        ({"name": "x" * 121}, "MAX_LENGTH", "name"),
        ({"name": "Ok", "description": "x" * 2001}, "MAX_LENGTH", "description"),
    ],
)
def test_group_body_is_validated(org, admin, admin_client, payload, code, field):
    before = data_state()

    response = admin_client.post(groups_url(org), payload, format="json")

    assert_error(response, 400, code, field=field)
    assert data_state() == before


def test_list_groups_sorted_by_name_with_active_member_counts(org, admin, runner, admin_client, other_org):
    milers = GroupFactory(organization=org, name="Milers", description="1500 m and up")
    sprinters = GroupFactory(organization=org, name="Sprinters")
    GroupFactory(organization=other_org, name="Elsewhere")
    gone = UserFactory()
    MembershipFactory(organization=org, user=gone, active=False)
    # gone is also an active member of another organization: that must not count here.
    MembershipFactory(organization=other_org, user=gone)
    for user in (admin, runner, gone):
        GroupMembershipFactory(group=milers, user=user)

    response = admin_client.get(groups_url(org))

    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "ok",
        "data": [
            {"group_id": milers.public_id, "name": "Milers", "description": "1500 m and up", "member_count": 2},
            {"group_id": sprinters.public_id, "name": "Sprinters", "description": "", "member_count": 0},
        ],
    }


def test_an_organization_without_groups_lists_none(org, admin, admin_client):
    response = admin_client.get(f"{groups_url(org)}/")

    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok", "data": []}


def _groups_list_queries(org, viewer) -> tuple[int, int]:
    client = bearer_client(viewer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(groups_url(org))
    assert response.status_code == 200, response.content
    return len(queries), len(response.json()["data"])


def _add_groups(org, count: int) -> None:
    athletes = [MembershipFactory(organization=org).user for _ in range(3)]
    for index in range(count):
        group = GroupFactory(organization=org, name=f"Group {index:02d}")
        for athlete in athletes:
            GroupMembershipFactory(group=group, user=athlete)


def test_group_list_query_count_does_not_grow_with_groups():
    coach = CoachFactory()
    small, large = OrganizationFactory(), OrganizationFactory()
    for org in (small, large):
        MembershipFactory(organization=org, user=coach, role=MemberRole.COACH)
    _add_groups(small, 1)
    _add_groups(large, 50)

    small_queries, small_rows = _groups_list_queries(small, coach)
    large_queries, large_rows = _groups_list_queries(large, coach)

    assert (small_rows, large_rows) == (1, 50)
    assert small_queries == large_queries


# --- POST groups/{group_id}/members ------------------------------------------------------------


def test_adding_a_member_to_a_group_is_201_then_200(org, coach, runner, coach_client):
    group = GroupFactory(organization=org, name="Milers")
    version = data_version(runner)

    first = coach_client.post(group_members_url(org, group), {"user_id": runner.public_id}, format="json")

    assert first.status_code == 201, first.content
    assert first.json() == {
        "status": "ok",
        "data": {"group_id": group.public_id, "name": "Milers", "description": "", "member_count": 1},
    }
    assert group_user_ids(group) == [runner.pk]
    assert data_version(runner) > version

    version = data_version(runner)
    again = coach_client.post(group_members_url(org, group), {"user_id": runner.public_id}, format="json")

    assert again.status_code == 200, again.content
    assert again.json()["data"]["member_count"] == 1
    assert group_user_ids(group) == [runner.pk]
    assert data_version(runner) == version  # nothing changed, nothing to invalidate


def test_group_membership_shows_in_the_members_list(org, admin, runner, admin_client):
    group = GroupFactory(organization=org, name="Milers")
    admin_client.post(group_members_url(org, group), {"user_id": runner.public_id}, format="json")

    members = admin_client.get(f"{API}/organizations/{org.public_id}/members").json()["data"]

    assert {m["username"]: m["groups"] for m in members} == {"ada_admin": [], "rita_runner": ["Milers"]}


@pytest.mark.parametrize("who", ["outsider", "deactivated", "other_org_member"])
def test_only_active_members_can_join_a_group(org, admin, admin_client, other_org, who):
    group = GroupFactory(organization=org)
    user = UserFactory()
    if who == "deactivated":
        MembershipFactory(organization=org, user=user, active=False)
    elif who == "other_org_member":
        MembershipFactory(organization=other_org, user=user)
    before = data_state()

    response = admin_client.post(group_members_url(org, group), {"user_id": user.public_id}, format="json")

    assert_error(response, 400, "NOT_A_MEMBER", field="user_id")
    assert data_state() == before


def test_adding_an_unknown_user_to_a_group_is_404(org, admin, admin_client):
    group = GroupFactory(organization=org)
    before = data_state()

    response = admin_client.post(group_members_url(org, group), {"user_id": "usr_0000000000000000"}, format="json")

    assert_error(response, 404, "USER_NOT_FOUND", field="user_id")
    assert data_state() == before


def test_group_member_body_is_validated(org, admin, admin_client):
    group = GroupFactory(organization=org)

    response = admin_client.post(group_members_url(org, group), {}, format="json")

    assert_error(response, 400, "REQUIRED", field="user_id")
    assert group_user_ids(group) == []


def test_a_group_of_another_organization_is_404(org, admin, runner, admin_client, other_org):
    foreign = GroupFactory(organization=other_org)
    before = data_state()

    by_foreign_group = admin_client.post(group_members_url(org, foreign), {"user_id": runner.public_id}, format="json")
    unknown = admin_client.post(
        f"{groups_url(org)}/grp_0000000000000000/members", {"user_id": runner.public_id}, format="json"
    )

    assert_error(by_foreign_group, 404, "GROUP_NOT_FOUND")
    assert_error(unknown, 404, "GROUP_NOT_FOUND")
    assert data_state() == before


# --- DELETE groups/{group_id}/members/{user_id} ------------------------------------------------


def test_removing_a_member_from_a_group(org, coach, runner, coach_client):
    group = GroupFactory(organization=org, name="Milers")
    GroupMembershipFactory(group=group, user=runner)
    GroupMembershipFactory(group=group, user=coach)
    version = data_version(runner)

    response = coach_client.delete(group_members_url(org, group, runner))

    assert response.status_code == 200, response.content
    assert response.json()["data"] == {
        "group_id": group.public_id,
        "name": "Milers",
        "description": "",
        "member_count": 1,
    }
    assert group_user_ids(group) == [coach.pk]
    assert data_version(runner) > version


def test_removing_someone_not_in_the_group_is_404(org, admin, runner, admin_client):
    group = GroupFactory(organization=org)
    before = data_state()

    not_in_group = admin_client.delete(group_members_url(org, group, runner))
    unknown_user = admin_client.delete(f"{group_members_url(org, group)}/usr_0000000000000000")

    assert_error(not_in_group, 404, "NOT_IN_GROUP")
    assert_error(unknown_user, 404, "USER_NOT_FOUND", field="user_id")
    assert data_state() == before


def test_removing_twice_is_404_the_second_time(org, admin, runner, admin_client):
    group = GroupFactory(organization=org)
    GroupMembershipFactory(group=group, user=runner)

    first = admin_client.delete(group_members_url(org, group, runner))
    version = data_version(runner)
    second = admin_client.delete(group_members_url(org, group, runner))

    assert first.status_code == 200, first.content
    assert_error(second, 404, "NOT_IN_GROUP")
    assert data_version(runner) == version


@pytest.mark.django_db
def test_creating_a_group_starts_a_new_cache_generation_for_the_organization():
    from organizations.models import Group as GroupModel
    from organizations.models import Organization
    from tests.conftest import bearer_client as client_of
    from tests.factories import CoachFactory as Coach
    from tests.factories import MembershipFactory as Member
    from tests.factories import OrganizationFactory as Org

    org = Org()
    coach = Coach()
    Member(user=coach, organization=org, role="admin")
    before = Organization.objects.get(pk=org.pk).data_version
    client_of(coach).post(f"/api/v1/organizations/{org.public_id}/groups", {"name": "Hill Repeats"}, format="json")
    assert GroupModel.objects.filter(organization=org, name="Hill Repeats").exists()
    assert Organization.objects.get(pk=org.pk).data_version == before + 1
