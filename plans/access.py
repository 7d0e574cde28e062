"""Who may manage plans (SPEC §3): coach accounts (or superusers) that are active coaches/admins
of the plan's organization; a plan is assigned only to a member of that organization."""

from accounts.models import Role, User
from astral.exceptions import NotAllowed, NotFound
from astral.ids import is_public_id
from astral.principals import is_api_key
from organizations import access
from organizations.models import Membership
from plans import selectors
from plans.models import RaceGoal, TrainingPlan


def require_coach_account(user) -> None:
    """403 for an API key or an athlete account: only coaches (and superusers) manage plans."""
    if is_api_key(user) or (user.role != Role.COACH and not user.is_superuser):
        raise NotAllowed("Only coaches and organization admins can manage plans.", "FORBIDDEN")


def plan_get(plan_id: str) -> TrainingPlan:
    plan = selectors.plan_by_public_id(plan_id)
    if plan is None:
        raise NotFound(f"Plan '{plan_id}' not found.", "PLAN_NOT_FOUND")
    return plan


def require_plan_staff(user, plan: TrainingPlan) -> None:
    """403 unless the caller coaches the plan's organization (a plan of none: superusers only)."""
    if plan.organization is None:
        if not user.is_superuser:
            raise NotAllowed("This plan belongs to no organization you coach.", "FORBIDDEN")
        return
    access.require_org_staff(user, plan.organization)


def require_plan_athlete(user, plan: TrainingPlan, athlete: User) -> None:
    """403 unless the athlete is an active member of the plan's organization (superusers: any)."""
    in_org = (
        plan.organization_id
        and Membership.objects.filter(organization_id=plan.organization_id, user=athlete, active=True).exists()
    )
    if not in_org and not user.is_superuser:
        raise NotAllowed("The athlete is not a member of this plan's organization.", "FORBIDDEN")


def race_goal_for(principal, goal_id: str) -> RaceGoal:
    """The race goal `goal_id` (404 unknown), 403 unless the caller may read its athlete."""
    goal = None
    if is_public_id(goal_id, RaceGoal):
        goal = RaceGoal.objects.select_related("athlete").filter(public_id=goal_id).first()
    if goal is None:
        raise NotFound(f"Race goal '{goal_id}' not found.", "GOAL_NOT_FOUND")
    access.require_athlete_read(principal, goal.athlete)
    return goal
