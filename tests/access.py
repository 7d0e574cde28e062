"""The access matrix every athlete-scoped endpoint is tested against (SPEC §3)."""

from datetime import timedelta

from django.utils import timezone
from rest_framework.test import APIClient

from organizations import invitations
from organizations.models import Invitation
from organizations.services import api_key_create, membership_leave
from tests.conftest import bearer_client
from tests.factories import CoachFactory, MembershipFactory, OrganizationFactory, UserFactory

# who → the status an athlete-scoped read must give them
ATHLETE_READ_MATRIX = [
    ("anonymous", 401),
    ("another athlete", 403),
    ("coach of another organization", 403),
    ("another organization's key", 403),
    ("their coach", 200),
    ("their organization's key", 200),
    # Coaching by consent: until the athlete accepts, and after they decline, the invitation
    # expires or is revoked, or they leave, the coach is an outsider.
    ("coach the athlete has not answered", 403),
    ("coach the athlete declined", 403),
    ("coach whose invitation expired", 403),
    ("coach who revoked the invitation", 403),
    ("coach of an organization the athlete left", 403),
    ("key of an organization the athlete left", 403),
    ("coach invited to their organization, not yet accepted", 403),
]

CONSENT_ROWS = {
    "pending": "coach the athlete has not answered",
    "declined": "coach the athlete declined",
    "expired": "coach whose invitation expired",
    "revoked": "coach who revoked the invitation",
    "left": "coach of an organization the athlete left",
}


def key_client(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=secret)
    return client


def athlete_access_clients(athlete) -> dict[str, APIClient]:
    """Put `athlete` in an organization with a coach and an API key, next to another organization
    with its own coach and key; return a client for each row of ATHLETE_READ_MATRIX."""
    org, other_org = OrganizationFactory(), OrganizationFactory()
    MembershipFactory(user=athlete, organization=org)
    coach, other_coach = CoachFactory(), CoachFactory()
    MembershipFactory(user=coach, organization=org, role="coach")
    MembershipFactory(user=other_coach, organization=other_org, role="coach")
    own_key, _ = api_key_create(organization=org, name="sync", created_by=None)
    other_key, _ = api_key_create(organization=other_org, name="sync", created_by=None)
    clients = {
        "anonymous": APIClient(),
        "another athlete": bearer_client(UserFactory()),
        "coach of another organization": bearer_client(other_coach),
        "another organization's key": key_client(other_key),
        "their coach": bearer_client(coach),
        "their organization's key": key_client(own_key),
    }
    for state, who in CONSENT_ROWS.items():
        inviting_org, inviting_coach = consenting_org(athlete, state)
        clients[who] = bearer_client(inviting_coach)
        if state == "left":
            left_key, _ = api_key_create(organization=inviting_org, name="sync", created_by=None)
            clients["key of an organization the athlete left"] = key_client(left_key)
    clients["coach invited to their organization, not yet accepted"] = bearer_client(
        invited_coach(org, coach, "pending")
    )
    return clients


def consenting_org(athlete, state: str):
    """An organization whose admin invited `athlete`, the invitation brought to `state`:
    (organization, its admin)."""
    organization, admin = OrganizationFactory(), CoachFactory()
    MembershipFactory(user=admin, organization=organization, role="admin")
    invited_person(organization, admin, athlete, state)
    return organization, admin


def athlete_club() -> dict:
    """An athlete with a teammate and a coach in one organization, a coach in another, and an API
    key for each organization: the people of an access test, as model rows and key secrets."""
    org, other_org = OrganizationFactory(), OrganizationFactory()
    athlete, teammate = UserFactory(), UserFactory()
    coach, other_coach = CoachFactory(), CoachFactory()
    MembershipFactory(user=athlete, organization=org)
    MembershipFactory(user=teammate, organization=org)
    MembershipFactory(user=coach, organization=org, role="coach")
    MembershipFactory(user=other_coach, organization=other_org, role="coach")
    own_key, _ = api_key_create(organization=org, name="own", created_by=None)
    other_key, _ = api_key_create(organization=other_org, name="other", created_by=None)
    return {
        "athlete": athlete,
        "teammate": teammate,
        "coach": coach,
        "other_coach": other_coach,
        "own_key": own_key,
        "other_key": other_key,
    }


# Every way an invitation can stand without being a membership.
INVITATION_STATES = ["pending", "declined", "expired", "revoked", "left"]


def invited_coach(organization, admin, state: str, role: str = "coach"):
    """A coach account invited to `organization` whose invitation is in `state` ("left": accepted,
    then left), made through the services the API uses."""
    return invited_person(organization, admin, CoachFactory(), state, role=role)


def invited_person(organization, admin, person, state: str, role: str = "athlete"):
    """Invite `person` to `organization` and bring the invitation to `state` (see INVITATION_STATES)."""
    invitation = invitations.invitation_create(
        organization=organization, inviter=admin, actor_role="admin", role=role, invitee=person
    )
    if state == "declined":
        invitations.invitation_decline(invitation_id=invitation.public_id, user=person)
    elif state == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif state == "revoked":
        invitations.invitation_revoke(organization=organization, invitation_id=invitation.public_id)
    elif state == "left":
        invitations.invitation_accept(invitation_id=invitation.public_id, user=person)
        membership_leave(organization=organization, user=person)
    return person
