"""Plain-dict shapes of plans, instances and goals, for the API and the selectors of other apps
(a selector never imports an `api` package)."""

from datetime import date


def format_goal_time(seconds: int | None) -> str | None:
    if seconds is None:
        return None
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def plan_payload(plan, workout_count: int | None = None) -> dict:
    return {
        "plan_id": plan.public_id,
        "org_id": plan.organization.public_id if plan.organization_id else None,
        "name": plan.name,
        "description": plan.description,
        "total_weeks": plan.total_weeks,
        "workout_count": workout_count if workout_count is not None else getattr(plan, "workout_count", 0),
        "created_at": plan.created_at.isoformat(),
    }


def workout_payload(workout) -> dict:
    return {
        "week": workout.week,
        "day": workout.day,
        "type": workout.type,
        "distance": workout.distance,
        "duration": workout.duration,
        "description": workout.description,
    }


def plan_instance_payload(instance, athlete_public_id: str, today: date) -> dict:
    return {
        "plan_instance_id": instance.public_id,
        "plan_id": instance.plan.public_id,
        "user_id": athlete_public_id,
        "name": instance.plan.name,
        "status": instance.status(today),
        "start_date": instance.start_date.isoformat(),
        "current_week": instance.current_week(today),
        "total_weeks": instance.plan.total_weeks,
    }


def race_goal_payload(goal, athlete_public_id: str, today: date) -> dict:
    return {
        "id": goal.public_id,
        "user_id": athlete_public_id,
        "race_name": goal.race_name,
        "race_date": goal.race_date.isoformat(),
        "distance": goal.distance,
        "goal_time": format_goal_time(goal.goal_time),
        "days_until": (goal.race_date - today).days,
    }


CURRENT_STATUSES = ("active", "scheduled")


def current_plans_payload(instances, athlete_public_id: str, today: date) -> list[dict]:
    """Active or scheduled instances, in the shape of the seeds' `current_plans`."""
    plans = [plan_instance_payload(instance, athlete_public_id, today) for instance in instances]
    return [plan for plan in plans if plan["status"] in CURRENT_STATUSES]
