"""The access matrix every athlete-scoped endpoint is tested against (SPEC §3)."""

from rest_framework.test import APIClient

from organizations.services import api_key_create
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
]


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
    return {
        "anonymous": APIClient(),
        "another athlete": bearer_client(UserFactory()),
        "coach of another organization": bearer_client(other_coach),
        "another organization's key": key_client(other_key),
        "their coach": bearer_client(coach),
        "their organization's key": key_client(own_key),
    }


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
