"""An organization with one member of each role, and the clients that act as them."""

import pytest

pytest.register_assert_rewrite("tests.organizations.checks")

from organizations.models import MemberRole  # noqa: E402
from tests.conftest import bearer_client  # noqa: E402
from tests.factories import CoachFactory, MembershipFactory, OrganizationFactory, UserFactory  # noqa: E402


@pytest.fixture
def org(db):
    return OrganizationFactory(name="Tempo Club")


@pytest.fixture
def admin(org):
    user = CoachFactory(username="ada_admin")
    MembershipFactory(user=user, organization=org, role=MemberRole.ADMIN)
    return user


@pytest.fixture
def coach(org):
    user = CoachFactory(username="carl_coach")
    MembershipFactory(user=user, organization=org, role=MemberRole.COACH)
    return user


@pytest.fixture
def runner(org):
    """An athlete member of `org`."""
    user = UserFactory(username="rita_runner")
    MembershipFactory(user=user, organization=org, role=MemberRole.ATHLETE)
    return user


@pytest.fixture
def other_org(db):
    return OrganizationFactory(name="Other Club")


@pytest.fixture
def admin_client(admin):
    return bearer_client(admin)


@pytest.fixture
def coach_client(coach):
    return bearer_client(coach)


@pytest.fixture
def runner_client(runner):
    return bearer_client(runner)
