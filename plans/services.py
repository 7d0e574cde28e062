"""Writes for plans and race goals."""

from datetime import date

from django.db import transaction

from accounts.models import User
from accounts.services import user_data_changed
from astral.exceptions import InvalidInput
from organizations.models import Organization
from plans.models import PlanInstance, PlannedWorkout, RaceGoal, TrainingPlan


@transaction.atomic
def plan_create(
    *,
    creator: User,
    organization: Organization,
    name: str,
    total_weeks: int,
    description: str = "",
    workouts: list[dict],
) -> TrainingPlan:
    for index, workout in enumerate(workouts):
        if workout["week"] > total_weeks:
            raise InvalidInput(
                f"week must be between 1 and total_weeks ({total_weeks}).",
                "MAX_VALUE",
                field=f"workouts.{index}.week",
            )
    plan = TrainingPlan.objects.create(
        organization=organization, created_by=creator, name=name, total_weeks=total_weeks, description=description
    )
    PlannedWorkout.objects.bulk_create([PlannedWorkout(plan=plan, **workout) for workout in workouts])
    return plan


@transaction.atomic
def plan_assign(*, plan: TrainingPlan, athlete: User, start_date: date, assigned_by: User) -> PlanInstance:
    instance = PlanInstance.objects.create(plan=plan, athlete=athlete, start_date=start_date, assigned_by=assigned_by)
    user_data_changed(user_ids=[athlete.pk])
    return instance


@transaction.atomic
def plan_instance_cancel(*, instance: PlanInstance) -> PlanInstance:
    instance.cancelled = True
    instance.save(update_fields=["cancelled"])
    user_data_changed(user_ids=[instance.athlete_id])
    return instance


@transaction.atomic
def race_goal_create(*, athlete: User, fields: dict) -> RaceGoal:
    goal = RaceGoal.objects.create(athlete=athlete, **fields)
    user_data_changed(user_ids=[athlete.pk])
    return goal


@transaction.atomic
def race_goal_update(*, goal: RaceGoal, changes: dict) -> RaceGoal:
    for name, value in changes.items():
        setattr(goal, name, value)
    goal.save()
    user_data_changed(user_ids=[goal.athlete_id])
    return goal


@transaction.atomic
def race_goal_delete(*, goal: RaceGoal) -> None:
    athlete_id = goal.athlete_id
    goal.delete()
    user_data_changed(user_ids=[athlete_id])
