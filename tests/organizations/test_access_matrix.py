"""Who may call which organization endpoint (SPEC §3), for every endpoint and method.

Every refused request must also leave the database exactly as it was.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import AccessToken
from accounts.services import access_token_issue, access_token_revoke
from organizations import services
from organizations.invitations import invitation_create
from organizations.models import MemberRole, Organization
from tests.access import INVITATION_STATES, invited_coach
from tests.factories import CoachFactory, GroupFactory, GroupMembershipFactory, MembershipFactory, UserFactory
from tests.organizations.checks import API, assert_error, assert_unauthorized, data_state

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # with {org}, {athlete}, {grouped}, {group}, {key} placeholders
    body: dict | None
    success: int  # the status the organization's admin gets
    org_scoped: bool = True
    api_key_reads: bool = False  # the organization's own API key may call it

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.path}"


ENDPOINTS = [
    Endpoint("get", "organizations", None, 200, org_scoped=False),
    Endpoint("post", "organizations", {"name": "New Club"}, 201, org_scoped=False),
    Endpoint("get", "organizations/{org}/members", None, 200, api_key_reads=True),
    Endpoint("post", "organizations/{org}/members", {"user_id": "{newcomer}"}, 202),
    Endpoint("get", "organizations/{org}/invitations", None, 200),
    Endpoint("delete", "organizations/{org}/invitations/{invitation}", None, 200),
    Endpoint("patch", "organizations/{org}/members/{athlete}", {"labels": ["tempo"], "active": False}, 200),
    Endpoint("delete", "organizations/{org}/members/{athlete}", None, 200),
    Endpoint("get", "organizations/{org}/groups", None, 200, api_key_reads=True),
    Endpoint("post", "organizations/{org}/groups", {"name": "Hill Squad"}, 201),
    Endpoint("post", "organizations/{org}/groups/{group}/members", {"user_id": "{athlete}"}, 201),
    Endpoint("delete", "organizations/{org}/groups/{group}/members/{grouped}", None, 200),
    Endpoint("get", "organizations/{org}/api_keys", None, 200),
    Endpoint("post", "organizations/{org}/api_keys", {"name": "Sync"}, 201),
    Endpoint("delete", "organizations/{org}/api_keys/{key}", None, 200),
]
ORG_ENDPOINTS = [endpoint for endpoint in ENDPOINTS if endpoint.org_scoped]


def by_id(endpoints):
    return pytest.mark.parametrize("endpoint", endpoints, ids=[e.id for e in endpoints])


@dataclass
class World:
    org: Organization
    ids: dict
    admin_token: str
    own_api_key: str
    other_api_key: str
    athlete: object
    other_coach: object
    inactive_coach: object
    not_yet_members: dict  # coaches whose invitation to the organization is not (or no longer) accepted


@pytest.fixture
def world(db) -> World:
    admin = CoachFactory()
    membership = MembershipFactory(user=admin, role=MemberRole.ADMIN)
    org = membership.organization
    athlete = MembershipFactory(organization=org).user
    grouped = MembershipFactory(organization=org).user
    group = GroupFactory(organization=org, name="Milers")
    GroupMembershipFactory(group=group, user=grouped)
    own_secret, own_key = services.api_key_create(organization=org, name="Own", created_by=admin)

    other_coach = CoachFactory()
    other_org = MembershipFactory(user=other_coach, role=MemberRole.ADMIN).organization
    GroupFactory(organization=other_org)
    other_secret, _ = services.api_key_create(organization=other_org, name="Other", created_by=other_coach)

    inactive_coach = CoachFactory()
    MembershipFactory(user=inactive_coach, organization=org, role=MemberRole.ADMIN, active=False)
    pending = invitation_create(organization=org, inviter=admin, actor_role="admin", role="athlete", email="x@e.org")
    not_yet_members = {status: invited_coach(org, admin, status) for status in INVITATION_STATES}

    admin_token, _ = access_token_issue(user=admin)
    return World(
        org=org,
        ids={
            "org": org.public_id,
            "athlete": athlete.public_id,
            "grouped": grouped.public_id,
            "group": group.public_id,
            "key": own_key.public_id,
            "newcomer": UserFactory().public_id,
            "invitation": pending.public_id,
        },
        admin_token=admin_token,
        own_api_key=own_secret,
        other_api_key=other_secret,
        athlete=athlete,
        other_coach=other_coach,
        inactive_coach=inactive_coach,
        not_yet_members=not_yet_members,
    )


def call(client: APIClient, endpoint: Endpoint, world: World):
    path = f"{API}/{endpoint.path.format(**world.ids)}"
    body = None
    if endpoint.body is not None:
        body = {
            name: value.format(**world.ids) if isinstance(value, str) else value
            for name, value in endpoint.body.items()
        }
    return getattr(client, endpoint.method)(path, body, format="json")


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def person(user) -> APIClient:
    return bearer(access_token_issue(user=user)[0])


def api_key(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=secret)
    return client


def refused(client: APIClient, endpoint: Endpoint, world: World):
    """Call the endpoint, and check that the refused call wrote nothing."""
    before = data_state()
    response = call(client, endpoint, world)
    assert data_state() == before
    return response


# --- the organization's admin: every endpoint works (so the refusals below are real) -----------


@by_id(ENDPOINTS)
def test_the_admin_of_the_organization_is_allowed(world, endpoint):
    response = call(bearer(world.admin_token), endpoint, world)

    assert response.status_code == endpoint.success, response.content
    assert response.json()["status"] == "ok"


# --- 401: no or bad credentials ------------------------------------------------------------------


@by_id(ENDPOINTS)
def test_anonymous_is_401_with_a_bearer_challenge(world, endpoint):
    response = refused(APIClient(), endpoint, world)

    assert_unauthorized(response, "NOT_AUTHENTICATED")


@by_id(ENDPOINTS)
@pytest.mark.parametrize("header", ["Bearer not-a-real-token", "Bearer ", "Token abc", "Bearer a b"])
def test_a_garbage_token_is_401_invalid_token(world, endpoint, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    response = refused(client, endpoint, world)

    assert_unauthorized(response, "INVALID_TOKEN")


@by_id(ENDPOINTS)
def test_an_expired_token_is_401_token_expired(world, endpoint):
    AccessToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = refused(bearer(world.admin_token), endpoint, world)

    assert_unauthorized(response, "TOKEN_EXPIRED")


@by_id(ENDPOINTS)
def test_a_revoked_token_is_401_token_revoked(world, endpoint):
    access_token_revoke(token=AccessToken.objects.get())

    response = refused(bearer(world.admin_token), endpoint, world)

    assert_unauthorized(response, "TOKEN_REVOKED")


@by_id(ENDPOINTS)
def test_a_revoked_api_key_is_401_invalid_api_key(world, endpoint):
    services.api_key_revoke(key=world.org.api_keys.get())

    response = refused(api_key(world.own_api_key), endpoint, world)

    assert_unauthorized(response, "INVALID_API_KEY")


# --- 403: authenticated, not allowed ------------------------------------------------------------


@by_id(ORG_ENDPOINTS)
def test_an_athlete_member_of_the_organization_is_403(world, endpoint):
    response = refused(person(world.athlete), endpoint, world)

    assert_error(response, 403, "FORBIDDEN")


def test_an_athlete_cannot_create_an_organization(world):
    response = refused(person(world.athlete), ENDPOINTS[1], world)

    assert_error(response, 403, "FORBIDDEN")


@by_id(ORG_ENDPOINTS)
def test_a_coach_of_another_organization_is_403(world, endpoint):
    response = refused(person(world.other_coach), endpoint, world)

    assert_error(response, 403, "FORBIDDEN")


@by_id(ORG_ENDPOINTS)
def test_a_deactivated_admin_is_403(world, endpoint):
    response = refused(person(world.inactive_coach), endpoint, world)

    assert_error(response, 403, "FORBIDDEN")


@by_id(ORG_ENDPOINTS)
@pytest.mark.parametrize("state", INVITATION_STATES)
def test_a_coach_invited_but_not_a_member_is_403(world, endpoint, state):
    response = refused(person(world.not_yet_members[state]), endpoint, world)

    assert_error(response, 403, "FORBIDDEN")


@by_id(ORG_ENDPOINTS)
def test_a_deactivated_coach_is_403(world, endpoint):
    # Deactivated through the API by the admin, then tries again with their own token.
    coach = CoachFactory()
    MembershipFactory(user=coach, organization=world.org, role=MemberRole.COACH)
    coach_client = person(coach)
    deactivated = bearer(world.admin_token).delete(
        f"{API}/organizations/{world.org.public_id}/members/{coach.public_id}"
    )
    assert deactivated.status_code == 200, deactivated.content

    response = refused(coach_client, endpoint, world)

    assert_error(response, 403, "FORBIDDEN")


@by_id(ENDPOINTS)
def test_an_api_key_of_another_organization_is_403(world, endpoint):
    response = refused(api_key(world.other_api_key), endpoint, world)

    assert_error(response, 403, "FORBIDDEN")


@by_id([e for e in ENDPOINTS if e.api_key_reads])
def test_the_organizations_own_api_key_reads_members_and_groups(world, endpoint):
    response = call(api_key(world.own_api_key), endpoint, world)

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "ok"
    assert len(response.json()["data"]) >= 1


@by_id([e for e in ENDPOINTS if not e.api_key_reads])
def test_the_organizations_own_api_key_cannot_write_or_manage(world, endpoint):
    response = refused(api_key(world.own_api_key), endpoint, world)

    assert_error(response, 403, "FORBIDDEN")
