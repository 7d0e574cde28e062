"""factory_boy factories shared by every test module."""

from datetime import UTC, datetime, timedelta

import factory
from django.contrib.auth.hashers import make_password

from accounts.models import Role, User
from analytics.models import Activity, DailyWellness, Sport
from organizations.models import Group, GroupMembership, Label, MemberRole, Membership, Organization
from plans.models import PlanInstance, PlannedWorkout, RaceGoal, TrainingPlan

TEST_PASSWORD = "correct-horse-battery-9"
# Hashing once keeps factories fast; the hasher still runs on login.
_PASSWORD_HASH = make_password(TEST_PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"runner{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    display_name = factory.Faker("name")
    password = _PASSWORD_HASH
    role = Role.ATHLETE


class CoachFactory(UserFactory):
    username = factory.Sequence(lambda n: f"coach{n}")
    role = Role.COACH


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Running Club {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    """A member who has accepted: made by the service an accepted invitation calls
    (organizations.services.membership_grant). `active=False` makes one who has since left."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = MemberRole.ATHLETE
    active = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from organizations.services import membership_grant

        active = kwargs.pop("active", True)
        membership = membership_grant(
            organization=kwargs.pop("organization"),
            user=kwargs.pop("user"),
            role=kwargs.pop("role"),
            assigned_coach=kwargs.pop("assigned_coach", None),
        )
        for name, value in kwargs.items():
            setattr(membership, name, value)
        if not active:
            membership.active, membership.left_at = False, datetime.now(UTC)
        if kwargs or not active:
            membership.save()
        # The service bumped both generations; the caller's objects should say so.
        membership.user.refresh_from_db(fields=["data_version"])
        membership.organization.refresh_from_db(fields=["data_version"])
        return membership


class LabelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Label

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"label-{n}")


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Group {n}")


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMembership

    group = factory.SubFactory(GroupFactory)
    user = factory.SubFactory(UserFactory)


class TrainingPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingPlan

    name = factory.Sequence(lambda n: f"Plan {n}")
    total_weeks = 12


class PlannedWorkoutFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlannedWorkout

    plan = factory.SubFactory(TrainingPlanFactory)
    week = 1
    day = 1
    type = "easy"
    distance = 8000


class PlanInstanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanInstance

    plan = factory.SubFactory(TrainingPlanFactory)
    athlete = factory.SubFactory(UserFactory)
    start_date = factory.LazyFunction(lambda: datetime.now(UTC).date())


class RaceGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RaceGoal

    athlete = factory.SubFactory(UserFactory)
    race_name = "City Marathon"
    race_date = factory.LazyFunction(lambda: datetime.now(UTC).date() + timedelta(days=60))
    distance = 42195
    goal_time = 3 * 3600 + 15 * 60


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    user = factory.SubFactory(UserFactory)
    sport = Sport.RUN
    start_time = factory.LazyFunction(lambda: datetime.now(UTC) - timedelta(hours=2))
    distance = 10000
    duration = 3000


class DailyWellnessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DailyWellness

    user = factory.SubFactory(UserFactory)
    date = factory.LazyFunction(lambda: datetime.now(UTC).date())
    resting_heart_rate = 52
    hrv = 65.0
    vo2_max = 52.0
    recovery_score = 75


# UTC offsets from −08:00 to +13:00, half and quarter hours included: "many time zones" in query-count tests.
TWELVE_ZONES = (
    "UTC",
    "Europe/Berlin",
    "Asia/Tokyo",
    "America/New_York",
    "America/Los_Angeles",
    "Australia/Sydney",
    "Asia/Kolkata",
    "America/Sao_Paulo",
    "Africa/Nairobi",
    "Pacific/Auckland",
    "Asia/Kathmandu",
    "America/St_Johns",
)
