"""POST/GET organizations: a coach creates an organization and becomes its admin."""

import pytest

from organizations.models import MemberRole, Membership, Organization
from tests.conftest import bearer_client
from tests.factories import CoachFactory, MembershipFactory, OrganizationFactory, UserFactory
from tests.organizations.checks import API, assert_error, data_state

pytestmark = pytest.mark.django_db


def test_coach_creates_organization_and_becomes_its_admin():
    coach = CoachFactory()

    response = bearer_client(coach).post(f"{API}/organizations", {"name": "Tempo Club"}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "ok"
    organization = Organization.objects.get()
    assert body["data"] == {"org_id": organization.public_id, "name": "Tempo Club", "role": "admin"}
    assert organization.public_id.startswith("org_")
    assert organization.name == "Tempo Club"
    assert organization.created_by == coach
    membership = Membership.objects.get(organization=organization)
    assert (membership.user, membership.role, membership.active) == (coach, MemberRole.ADMIN, True)


def test_organization_name_is_trimmed_and_trailing_slash_is_accepted():
    response = bearer_client(CoachFactory()).post(f"{API}/organizations/", {"name": "  Hill Repeats  "}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["data"]["name"] == "Hill Repeats"
    assert Organization.objects.get().name == "Hill Repeats"


def test_athlete_cannot_create_an_organization():
    athlete = UserFactory()
    before = data_state()

    response = bearer_client(athlete).post(f"{API}/organizations", {"name": "Sneaky Club"}, format="json")

    assert_error(response, 403, "FORBIDDEN")
    assert data_state() == before
    assert not Organization.objects.exists()


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({}, "REQUIRED"),
        ({"name": ""}, "BLANK"),
        ({"name": "   "}, "BLANK"),
        ({"name": None}, "NULL"),
        ({"name": "x" * 201}, "MAX_LENGTH"),
    ],
)
def test_organization_name_is_validated(payload, code):
    client = bearer_client(CoachFactory())
    before = data_state()

    response = client.post(f"{API}/organizations", payload, format="json")

    assert_error(response, 400, code, field="name")
    assert data_state() == before


def test_malformed_json_is_a_400_error_body():
    response = bearer_client(CoachFactory()).post(
        f"{API}/organizations", data="{not json", content_type="application/json"
    )

    assert_error(response, 400, "MALFORMED_REQUEST")
    assert not Organization.objects.exists()


def test_list_returns_the_callers_active_organizations_with_their_role():
    coach = CoachFactory()
    first = OrganizationFactory(name="First Club")
    second = OrganizationFactory(name="Second Club")
    left = OrganizationFactory(name="Left Club")
    OrganizationFactory(name="Unrelated Club")
    MembershipFactory(user=coach, organization=first, role=MemberRole.ADMIN)
    MembershipFactory(user=coach, organization=second, role=MemberRole.COACH)
    MembershipFactory(user=coach, organization=left, role=MemberRole.COACH, active=False)

    response = bearer_client(coach).get(f"{API}/organizations")

    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "ok",
        "data": [
            {"org_id": first.public_id, "name": "First Club", "role": "admin"},
            {"org_id": second.public_id, "name": "Second Club", "role": "coach"},
        ],
    }


def test_an_athlete_lists_the_organizations_they_belong_to():
    athlete = UserFactory()
    club = OrganizationFactory(name="Track Club")
    MembershipFactory(user=athlete, organization=club, role=MemberRole.ATHLETE)

    response = bearer_client(athlete).get(f"{API}/organizations")

    assert response.status_code == 200, response.content
    assert response.json()["data"] == [{"org_id": club.public_id, "name": "Track Club", "role": "athlete"}]


def test_a_new_coach_has_no_organizations():
    response = bearer_client(CoachFactory()).get(f"{API}/organizations")

    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok", "data": []}


def test_created_organization_is_listed_for_its_creator():
    client = bearer_client(CoachFactory())
    org_id = client.post(f"{API}/organizations", {"name": "Fresh Club"}, format="json").json()["data"]["org_id"]

    response = client.get(f"{API}/organizations")

    assert response.json()["data"] == [{"org_id": org_id, "name": "Fresh Club", "role": "admin"}]


def test_unknown_organization_is_404_for_everyone():
    response = bearer_client(CoachFactory()).get(f"{API}/organizations/org_doesnotexist/members")

    assert_error(response, 404, "ORGANIZATION_NOT_FOUND")


def test_unsupported_method_is_405_error_body():
    response = bearer_client(CoachFactory()).delete(f"{API}/organizations")

    assert_error(response, 405, "METHOD_NOT_ALLOWED")
