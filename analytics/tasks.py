"""Celery tasks: they take ids and call a service."""

from celery import shared_task

from analytics.services.activities import activities_recompute_for_user


@shared_task(
    name="analytics.tasks.recompute_activity_metrics",
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_kwargs={"max_retries": 5},
)
def recompute_activity_metrics(user_id: int) -> int:
    """Recompute training load and zone times of all of an athlete's activities."""
    return activities_recompute_for_user(user_id=user_id)
