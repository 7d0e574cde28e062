"""Celery tasks: they take ids and call a service.

`refresh_athlete_metrics` is queued after every write to an athlete's data (de-duplicated while
one is pending); `refresh_all_metrics` runs hourly from beat and fans out one task per batch of
the athletes whose snapshot is stale (`analytics.selectors.stale_snapshots`) — so its cost
follows activity and the turn of local days, not head count.

`strava_backfill` and `strava_event` (the `strava` queue) call analytics.strava.sync; a 429
retries when Strava's rate-limit window ends, an unreachable Strava with growing back-off.
"""

import logging
from datetime import UTC, datetime

from celery import Task, shared_task
from django.conf import settings
from django.core.cache import cache

from accounts.models import User
from analytics.cache import refresh_pending_key
from analytics.selectors.stale_snapshots import active_athletes, stale_snapshot_athletes
from analytics.services.activities import user_activities_recompute
from analytics.services.group_insight_refresh import group_insights_refresh
from analytics.services.import_jobs import import_job_run, stalled_import_job_pks
from analytics.services.snapshots import athlete_snapshots_refresh
from analytics.strava import sync as strava_sync
from analytics.strava.client import StravaRateLimited, StravaUnavailable
from organizations.models import Group

logger = logging.getLogger("astral.tasks")

PENDING_TTL_SECONDS = 300  # a lost task stops de-duplicating after 5 minutes
BATCH_SIZE = 200
RETRY = {
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_kwargs": {"max_retries": 5},
}


def queue_athlete_refresh(user_id: int) -> None:
    """Queue a rebuild of the athlete's snapshot after the current transaction commits, unless
    one is already pending. A cache outage (add → None) queues anyway rather than lose it."""
    from astral.celery import enqueue_on_commit

    if cache.add(refresh_pending_key(user_id), 1, PENDING_TTL_SECONDS) is False:
        return
    enqueue_on_commit(refresh_athlete_metrics, user_id)


@shared_task(name="analytics.tasks.refresh_athlete_metrics", **RETRY)
def refresh_athlete_metrics(user_id: int) -> str | None:
    """Rebuild one athlete's MetricsSnapshot and insights. Idempotent."""
    cache.delete(refresh_pending_key(user_id))
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return None  # deleted since: nothing to do
    athlete_snapshots_refresh(users=[user])
    return user.public_id


@shared_task(name="analytics.tasks.refresh_metrics_batch", **RETRY)
def refresh_metrics_batch(user_ids: list[int]) -> int:
    """Rebuild the snapshots of the batch that are still stale (a read may have rebuilt one since
    the fan-out); the number rebuilt."""
    users = list(stale_snapshot_athletes(datetime.now(UTC), User.objects.filter(pk__in=user_ids)))
    athlete_snapshots_refresh(users=users)
    return len(users)


def active_athlete_id_batches(batch_size: int = BATCH_SIZE, queryset=None):
    """Ids of active athletes (or of `queryset`) in keyset-paginated batches (constant memory)."""
    queryset = queryset if queryset is not None else active_athletes()
    last = 0
    while True:
        ids = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return
        yield ids
        last = ids[-1]


@shared_task(name="analytics.tasks.refresh_group_insights", **RETRY)
def refresh_group_insights(organization_id: int) -> int:
    groups = list(Group.objects.filter(organization_id=organization_id))
    group_insights_refresh(groups=groups)
    return len(groups)


@shared_task(name="analytics.tasks.refresh_all_metrics")
def refresh_all_metrics() -> int:
    """Hourly: one refresh_metrics_batch task per batch of athletes whose snapshot is stale, then
    one group-insight task per organization with groups."""
    batches = 0
    for ids in active_athlete_id_batches(queryset=stale_snapshot_athletes(datetime.now(UTC))):
        refresh_metrics_batch.delay(ids)
        batches += 1
    for organization_id in Group.objects.values_list("organization_id", flat=True).distinct().order_by():
        refresh_group_insights.delay(organization_id)
    return batches


@shared_task(name="analytics.tasks.recompute_activity_metrics", **RETRY)
def recompute_activity_metrics(user_id: int) -> int:
    """Recompute training load and zone times of all of an athlete's activities."""
    return user_activities_recompute(user_id=user_id)


@shared_task(name="analytics.tasks.run_import", **RETRY)
def run_import(job_pk: int) -> str | None:
    """Run (or resume) an import job. Idempotent: a second run of the same job does nothing."""
    job = import_job_run(job_pk)
    return job.status if job is not None else None


@shared_task(name="analytics.tasks.resume_import_jobs")
def resume_import_jobs() -> int:
    """Every 10 minutes: re-queue jobs that never started or lost their worker."""
    stalled = stalled_import_job_pks(datetime.now(UTC))
    for job_pk in stalled:
        run_import.delay(job_pk)
    return len(stalled)


STRAVA_OUTAGE_RETRIES = 8  # 30 s, 1, 2, 4, 8, 9, 9, 9 min (see the cap below): about 45 min of outage
STRAVA_RATE_LIMIT_RETRIES = 200  # each waits up to the window's end (≤ 9 min a wait): > 24 h, past a daily budget
STRAVA_EAGER_RETRIES = 3  # without a worker a retry runs at once: never loop on a 429 for a day
STRAVA_UNREACHABLE = "Strava could not be reached, so the sync stopped; it tries again within the hour."
STRAVA_RATE_LIMITED = "Strava's rate limit stopped the sync; it tries again within the hour."
STRAVA_FAILED = "The Strava sync failed; it tries again within the hour."


class StravaTask(Task):
    """A Strava task that finally failed (retries spent on an unexpected error) says so in the
    athlete's status instead of leaving it at `syncing`."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        if "user_id" in kwargs:
            strava_sync.strava_sync_failed(message=STRAVA_FAILED, user_id=kwargs["user_id"])
        else:
            strava_sync.strava_sync_failed(message=STRAVA_FAILED, strava_athlete_id=kwargs["event"]["owner_id"])


def _retry_later(task, error: Exception, countdown: int, limit: int):
    """Run the task again in `countdown` seconds, through Celery. Without a worker (eager mode)
    it runs again at once, as Celery's own eager retry would: nothing can wait there."""
    if task.request.is_eager:
        request = task.request
        return task.apply(args=request.args, kwargs=request.kwargs, retries=request.retries + 1, throw=True).result
    raise task.retry(exc=error, countdown=countdown, max_retries=limit)


def _strava_retry(task, error: Exception, **athlete):
    """Retry a Strava task: after a 429 when Strava's window ends (`retry_after`), after an outage
    with doubling back-off. When the retries are spent the status says so and the task ends."""
    retries = task.request.retries
    if isinstance(error, StravaRateLimited):
        limit, countdown, message = STRAVA_RATE_LIMIT_RETRIES, error.retry_after, STRAVA_RATE_LIMITED
    else:
        limit, countdown, message = STRAVA_OUTAGE_RETRIES, 30 * 2**retries, STRAVA_UNREACHABLE
    if task.request.is_eager:
        limit = min(limit, STRAVA_EAGER_RETRIES)
    # A Redis broker hands a task held past its visibility timeout to another worker, so a long
    # wait is cut short: a task woken before the window ends meets one more 429 and waits again.
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    countdown = max(1, min(countdown, visibility - 60))
    if retries >= limit:
        logger.error("%s gave up after %s retries: %s", task.name, retries, error)
        strava_sync.strava_sync_failed(message=message, **athlete)
        return None
    return _retry_later(task, error, countdown, limit)


@shared_task(name="analytics.tasks.strava_backfill", bind=True, base=StravaTask, **RETRY)
def strava_backfill(self, *, user_id: int, days: int = strava_sync.BACKFILL_DAYS) -> dict | None:
    """Import the athlete's last `days` days from Strava. Idempotent: a rerun (a retry after a 429
    or redelivery) skips what is stored and fetches only the rest."""
    try:
        return strava_sync.strava_backfill(user_id=user_id, days=days)
    except (StravaRateLimited, StravaUnavailable) as error:
        return _strava_retry(self, error, user_id=user_id)


@shared_task(name="analytics.tasks.strava_event", bind=True, base=StravaTask, **RETRY)
def strava_event(self, *, event: dict) -> str | None:
    """Act on one Strava webhook event (validated by strava_event_accept). Idempotent: each event
    re-reads Strava, so a repeated one changes nothing."""
    try:
        return strava_sync.strava_event_handle(event)
    except (StravaRateLimited, StravaUnavailable) as error:
        return _strava_retry(self, error, strava_athlete_id=event["owner_id"])


@shared_task(name="analytics.tasks.strava_catch_up")
def strava_catch_up() -> int:
    """Hourly: a backfill for every Strava connection whose sync failed for a passing reason, so no
    run is lost to an outage longer than the retries (analytics.strava.sync.strava_catch_up_queue)."""
    return strava_sync.strava_catch_up_queue()


from analytics import digest_tasks  # noqa: E402, F401  (its task registers with the app's autodiscovery of this module)
