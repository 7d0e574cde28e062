"""organizations.access.organization_for: the one way a request finds its organization."""

import pytest

from astral.exceptions import NotAllowed, NotFound
from organizations.access import organization_for
from organizations.api.authentication import ApiKeyPrincipal
from organizations.invitations import invitation_create
from organizations.models import MemberRole
from organizations.services import api_key_create
from tests.factories import CoachFactory, MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def club():
    organization = OrganizationFactory()
    admin = CoachFactory()
    MembershipFactory(organization=organization, user=admin, role=MemberRole.ADMIN)
    return organization, admin


def _key(organization, admin) -> ApiKeyPrincipal:
    _, key = api_key_create(organization=organization, name="export", created_by=admin)
    return ApiKeyPrincipal(key)


@pytest.mark.parametrize("org_id", ["org_0123456789abcdef", "org_\x00", "org_" + "a" * 300, "grp_0123456789abcdef"])
def test_an_unknown_or_malformed_id_is_not_found(club, org_id):
    _, admin = club
    with pytest.raises(NotFound) as raised:
        organization_for(admin, org_id)
    assert raised.value.code == "ORGANIZATION_NOT_FOUND"


def test_a_coach_with_no_org_id_gets_their_primary_organization(club):
    organization, admin = club
    MembershipFactory(organization=OrganizationFactory(), user=admin, role=MemberRole.COACH)  # joined later
    assert organization_for(admin, None) == organization
    assert organization_for(admin, "") == organization


def test_a_coach_names_another_of_their_organizations(club):
    _, admin = club
    second = OrganizationFactory()
    MembershipFactory(organization=second, user=admin, role=MemberRole.COACH)
    assert organization_for(admin, second.public_id) == second
    assert organization_for(admin, second.public_id, staff_only=True) == second


def test_an_athlete_of_the_organization_is_not_allowed(club):
    organization, _ = club
    athlete = MembershipFactory(organization=organization).user
    for org_id in (organization.public_id, None):
        with pytest.raises(NotAllowed) as raised:
            organization_for(athlete, org_id)
        assert raised.value.message == "You are not a coach or admin of this organization."


def test_a_person_of_no_organization_is_not_allowed():
    with pytest.raises(NotAllowed) as raised:
        organization_for(UserFactory(), None)
    assert raised.value.message == "You are not a coach or admin of any organization."


def test_a_coach_of_another_organization_is_not_allowed(club):
    organization, _ = club
    other_coach = MembershipFactory(organization=OrganizationFactory(), user=CoachFactory(), role=MemberRole.COACH)
    with pytest.raises(NotAllowed) as raised:
        organization_for(other_coach.user, organization.public_id)
    assert raised.value.code == "FORBIDDEN"


def test_a_coach_who_has_not_accepted_the_invitation_is_not_allowed(club):
    organization, admin = club
    invited = CoachFactory()
    invitation_create(
        organization=organization, inviter=admin, actor_role=MemberRole.ADMIN, role=MemberRole.COACH, invitee=invited
    )
    for org_id in (organization.public_id, None):
        with pytest.raises(NotAllowed):
            organization_for(invited, org_id)


def test_a_coach_who_left_is_not_allowed(club):
    organization, _ = club
    left = MembershipFactory(organization=organization, user=CoachFactory(), role=MemberRole.COACH, active=False)
    with pytest.raises(NotAllowed):
        organization_for(left.user, organization.public_id)


def test_an_api_key_defaults_to_its_own_organization_and_reads_no_other(club):
    organization, admin = club
    key = _key(organization, admin)
    assert organization_for(key, None) == organization
    assert organization_for(key, organization.public_id) == organization
    with pytest.raises(NotAllowed) as raised:
        organization_for(key, OrganizationFactory().public_id)
    assert raised.value.message == "This API key belongs to another organization."


def test_staff_only_refuses_an_api_key_even_for_its_own_organization(club):
    organization, admin = club
    key = _key(organization, admin)
    for org_id in (organization.public_id, None):
        with pytest.raises(NotAllowed):
            organization_for(key, org_id, staff_only=True)
    assert organization_for(admin, None, staff_only=True) == organization


def test_a_superuser_reads_any_organization(club):
    organization, _ = club
    assert organization_for(UserFactory(is_superuser=True), organization.public_id) == organization
