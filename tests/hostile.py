"""The people and rows of the hostile-input tests, and the database state they must leave alone."""

from accounts.models import User
from analytics.models import Activity, DailyWellness
from organizations.models import ApiKey, Group, GroupMembership, Membership, Organization
from organizations.services import api_key_create
from plans.models import PlanInstance, RaceGoal, TrainingPlan
from tests.factories import (
    ActivityFactory,
    CoachFactory,
    GroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    OrganizationFactory,
    RaceGoalFactory,
    TrainingPlanFactory,
    UserFactory,
)

MODELS = (User, Organization, Membership, Group, GroupMembership, ApiKey, Activity, DailyWellness)
MODELS += (TrainingPlan, PlanInstance, RaceGoal)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def hostile_club() -> dict:
    """An organization with an admin coach, an athlete in a group, and one of each of their rows."""
    org = OrganizationFactory(name="Tempo Club")
    admin, athlete = CoachFactory(username="ada"), UserFactory(username="rita", display_name="Rita")
    MembershipFactory(user=admin, organization=org, role="admin")
    MembershipFactory(user=athlete, organization=org)
    group = GroupFactory(organization=org, name="Morning")
    GroupMembershipFactory(group=group, user=athlete)
    _, key = api_key_create(organization=org, name="sync", created_by=admin)
    return {
        "org": org,
        "admin": admin,
        "athlete": athlete,
        "group": group,
        "key": key,
        "activity": ActivityFactory(user=athlete),
        "plan": TrainingPlanFactory(organization=org),
        "goal": RaceGoalFactory(athlete=athlete),
    }


def club_ids(club: dict) -> dict[str, str]:
    """The public ids of the club, by the placeholder the test URLs use: `/organizations/{org}/…`."""
    names = {"org": "org", "usr": "athlete", "grp": "group", "key": "key", "pln": "plan"}
    return {placeholder: club[name].public_id for placeholder, name in names.items()}
