"""Reads for plans and race goals."""

from django.db.models import Count

from organizations.access import staff_organization_ids
from plans.models import PlanInstance, RaceGoal, TrainingPlan


def plans_for_staff(user):
    queryset = TrainingPlan.objects.select_related("organization").annotate(workout_count=Count("workouts"))
    if not user.is_superuser:
        queryset = queryset.filter(organization_id__in=staff_organization_ids(user))
    return queryset.order_by("name", "pk")


def plan_by_public_id(public_id: str):
    return TrainingPlan.objects.select_related("organization").filter(public_id=public_id).first()


def plan_instances_of(user):
    return PlanInstance.objects.filter(athlete=user).select_related("plan").order_by("-start_date")


def race_goals_of(user):
    return RaceGoal.objects.filter(athlete=user).order_by("race_date", "pk")
