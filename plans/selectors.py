"""Reads for plans and race goals."""

from django.db.models import Count

from astral.ids import is_public_id
from organizations.access import staff_organization_ids
from plans.models import PlanInstance, RaceGoal, TrainingPlan


def plans_for_staff(user):
    queryset = TrainingPlan.objects.select_related("organization").annotate(workout_count=Count("workouts"))
    if not user.is_superuser:
        queryset = queryset.filter(organization_id__in=staff_organization_ids(user))
    return queryset.order_by("name", "pk")


def plan_by_public_id(public_id: str):
    if not is_public_id(public_id, TrainingPlan):
        return None
    return TrainingPlan.objects.select_related("organization").filter(public_id=public_id).first()


def plan_instances_of(user):
    return PlanInstance.objects.filter(athlete=user).select_related("plan").order_by("-start_date")


def race_goals_of(user):
    return RaceGoal.objects.filter(athlete=user).order_by("race_date", "pk")


def current_plan_instances(user_ids) -> dict[int, list]:
    """{athlete pk: [PlanInstance, …]} of instances not cancelled, newest start first, in one query.
    Callers keep the ones whose status (by the athlete's local date) is active or scheduled."""
    rows = (
        PlanInstance.objects.filter(athlete_id__in=list(user_ids), cancelled=False)
        .select_related("plan")
        .order_by("athlete_id", "-start_date", "-pk")
    )
    by_athlete: dict[int, list] = {}
    for instance in rows:
        by_athlete.setdefault(instance.athlete_id, []).append(instance)
    return by_athlete


def upcoming_race_goals(user_ids, earliest) -> dict[int, list]:
    """{athlete pk: [RaceGoal, …]} with race_date ≥ `earliest`, soonest first, in one query."""
    rows = RaceGoal.objects.filter(athlete_id__in=list(user_ids), race_date__gte=earliest).order_by(
        "athlete_id", "race_date", "pk"
    )
    by_athlete: dict[int, list] = {}
    for goal in rows:
        by_athlete.setdefault(goal.athlete_id, []).append(goal)
    return by_athlete
