"""Strava activities into Astral, and out again on disconnect (issue 13 §1; docs/architecture.md,
"Strava sync").

- `strava_backfill`: the athlete's activities of the last `days` (GET /athlete/activities, paged)
  with their streams, through the same pipeline as a file import (`activity_create`: samples,
  pace zones, training load), `source=strava`, `external_id="strava:<id>"`.
- `strava_activity_sync`: one activity re-read from Strava and upserted (webhook create/update);
  when Strava answers 404 it is gone there and our copy is removed.
- Not stored twice: an activity whose Strava id is stored is left alone by the backfill (which so
  also resumes cheaply after a 429), and one whose sport (the running sports counting as one) and
  start within 60 s match an activity already stored from elsewhere — a file, Apple Health, an
  entry by hand, another Strava upload — is skipped and counted `duplicate`: the athlete's own
  copy stays as it is and holds no Strava data.
- `strava_disconnect` (disconnect.py): tokens deleted and every Strava-sourced activity deleted
  (the Strava API Agreement's rule on revoked authorization); activities from files stay.

Everything here is idempotent: a redelivered task or a repeated event stores nothing twice.
StravaRateLimited and StravaUnavailable propagate to the Celery task, which retries.
"""

import logging
from datetime import UTC, datetime, timedelta

from django.db import transaction

from accounts.models import Integration, Provider, User
from analytics.ingest.strava import parse_strava_activity, strava_timezone_name
from analytics.ingest.types import InvalidActivityFile, ParsedActivity
from analytics.models import Activity, ActivitySamples, Source
from analytics.services.activities import activity_create, activity_delete, activity_update, same_run
from analytics.services.imports import activity_fields
from analytics.strava import client
from analytics.strava.disconnect import strava_disconnect
from analytics.strava.events import strava_event_accept
from analytics.strava.tokens import REVOKED, StravaAccessRevoked, integration_mark, strava_access_token
from astral.exceptions import Conflict, InvalidInput

__all__ = [
    "strava_access_token",
    "strava_activity_remove",
    "strava_activity_sync",
    "strava_backfill",
    "strava_backfill_queue",
    "strava_disconnect",
    "strava_event_accept",
    "strava_event_handle",
    "strava_sync_failed",
]

logger = logging.getLogger("astral.strava")

BACKFILL_DAYS = 90
MAX_BACKFILL_DAYS = 3650
PER_PAGE = 100  # Strava allows up to 200; 100 keeps one answer small
OUTCOMES = ("imported", "updated", "unchanged", "duplicate", "invalid")
NOT_QUEUED = "The Strava sync could not be started; try again later."


def external_id(strava_activity_id: int) -> str:
    return f"strava:{int(strava_activity_id)}"


class _Api:
    """Strava's API as one athlete: a 401 gets one forced token refresh; a second 401 means the
    grant is gone (StravaAccessRevoked)."""

    def __init__(self, integration: Integration):
        self.integration, self.token = integration, None

    def __call__(self, call, *args, **kwargs):
        if self.token is None:
            self.token = strava_access_token(integration=self.integration)
        try:
            return call(self.token, *args, **kwargs)
        except client.StravaUnauthorized:
            self.token = strava_access_token(integration=self.integration, force=True)
        try:
            return call(self.token, *args, **kwargs)
        except client.StravaUnauthorized:
            raise StravaAccessRevoked() from None


def _connected(user_id: int) -> Integration | None:
    return (
        Integration.objects.select_related("user")
        .filter(user_id=user_id, provider=Provider.STRAVA, connected=True)
        .first()
    )


def _strava_id(activity: object) -> int:
    value = activity.get("id") if isinstance(activity, dict) else None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**63:
        raise InvalidActivityFile("This Strava activity has no id.", code="INVALID_STRAVA_ACTIVITY")
    return value


def _stored_elsewhere(user: User, parsed: ParsedActivity, own_id: str) -> Activity | None:
    """The same run already stored from elsewhere (a file, Apple Health, by hand)."""
    return same_run(user=user, start_time=parsed.start_time, sport=parsed.sport).exclude(external_id=own_id).first()


def _update(activity: Activity, fields: dict, samples: list[dict] | None) -> str:
    stored = ActivitySamples.objects.filter(activity=activity).values_list("data", flat=True).first()
    changes = {name: value for name, value in fields.items() if getattr(activity, name) != value}
    if not changes and stored == samples:
        return "unchanged"
    if samples:
        ActivitySamples.objects.update_or_create(activity=activity, defaults={"data": samples})
    else:
        ActivitySamples.objects.filter(activity=activity).delete()
    activity_update(activity=Activity.objects.select_related("user").get(pk=activity.pk), changes=changes)
    return "updated"


def _upsert(integration: Integration, strava_activity: dict, streams: dict) -> str:
    """Store or update one Strava activity; its outcome (one of OUTCOMES, or "disconnected")."""
    user, own_id = integration.user, external_id(_strava_id(strava_activity))
    parsed = parse_strava_activity(strava_activity, streams)
    zone = strava_timezone_name(strava_activity.get("timezone")) or user.timezone
    fields = activity_fields(parsed, zone) | {"external_id": own_id}
    samples = [sample.to_json() for sample in parsed.samples] or None
    with transaction.atomic():
        # Locked against strava_disconnect: nothing Strava's is written after a disconnect.
        if not Integration.objects.select_for_update().filter(pk=integration.pk, connected=True).exists():
            return "disconnected"
        existing = Activity.objects.filter(user=user, external_id=own_id).first()
        try:
            with transaction.atomic():
                if existing is not None:
                    return _update(existing, fields, samples)
                if _stored_elsewhere(user, parsed, own_id):
                    return "duplicate"
                activity_create(user=user, fields=fields, source=Source.STRAVA, samples=samples)
                return "imported"
        except Conflict:  # another task stored it meanwhile, or an update moved onto another run
            stored = Activity.objects.filter(user=user, external_id=own_id).exists()
            return "unchanged" if stored and existing is None else "duplicate"


def _streams(api: _Api, strava_activity: dict) -> dict:
    if strava_activity.get("manual") is True:  # entered by hand on Strava: no recording
        return {}
    try:
        return api(client.activity_streams, _strava_id(strava_activity))
    except client.StravaNotFound:
        return {}


def _backfill_one(api: _Api, integration: Integration, summary: dict) -> str:
    try:
        own_id = external_id(_strava_id(summary))
        parsed = parse_strava_activity(summary)  # start and sport first: no streams for a skip
        if Activity.objects.filter(user=integration.user, external_id=own_id).exists():
            return "unchanged"
        if _stored_elsewhere(integration.user, parsed, own_id):
            return "duplicate"
        return _upsert(integration, summary, _streams(api, summary))
    except InvalidActivityFile as unreadable:
        logger.info("Strava activity of user %s not imported: %s", integration.user_id, unreadable.message)
        return "invalid"


def strava_backfill(*, user_id: int, days: int = BACKFILL_DAYS, now: datetime | None = None) -> dict:
    """Import the athlete's Strava activities that started in the last `days` days (before `now`,
    UTC). Counts per outcome: imported, unchanged (already stored from Strava), duplicate (stored
    from elsewhere, ±60 s), invalid; all zeros when the athlete has no Strava connection."""
    if not 1 <= days <= MAX_BACKFILL_DAYS:
        raise InvalidInput(f"days must be between 1 and {MAX_BACKFILL_DAYS}.", field="days")
    counts = dict.fromkeys(OUTCOMES, 0)
    integration = _connected(user_id)
    if integration is None:
        return counts
    integration_mark(integration.pk, "syncing")
    api = _Api(integration)
    after = int(((now or datetime.now(UTC)) - timedelta(days=days)).timestamp())
    try:
        page = 1
        while True:
            summaries = api(client.athlete_activities, after=after, page=page, per_page=PER_PAGE)
            if not isinstance(summaries, list):
                raise client.StravaUnavailable("Strava answered the activity list with something else.")
            for summary in summaries:
                outcome = _backfill_one(api, integration, summary)
                if outcome == "disconnected":
                    return counts
                counts[outcome] += 1
            if len(summaries) < PER_PAGE:
                break
            page += 1
    except StravaAccessRevoked as revoked:
        integration_mark(integration.pk, "error", error=revoked.message)
        return counts
    integration_mark(integration.pk, "connected", synced=True)
    logger.info("Strava backfill of user %s: %s", user_id, counts)
    return counts


def strava_activity_sync(*, user_id: int, strava_activity_id: int) -> str:
    """Re-read one activity from Strava and store it, update our copy, or — when Strava no longer
    has it (404) — remove our copy. The outcome: imported, updated, unchanged, duplicate, invalid,
    removed, revoked, or disconnected (no Strava connection: nothing done)."""
    integration = _connected(user_id)
    if integration is None:
        return "disconnected"
    integration_mark(integration.pk, "syncing")
    api = _Api(integration)
    try:
        try:
            detail = api(client.activity, strava_activity_id)
        except client.StravaNotFound:  # deleted on Strava, or no longer visible to us
            strava_activity_remove(user_id=user_id, strava_activity_id=strava_activity_id)
            outcome = "removed"
        else:
            try:
                outcome = _upsert(integration, detail, _streams(api, detail))
            except InvalidActivityFile:
                outcome = "invalid"
    except StravaAccessRevoked as revoked:
        integration_mark(integration.pk, "error", error=revoked.message)
        return "revoked"
    integration_mark(integration.pk, "connected", synced=True)
    return outcome


@transaction.atomic
def strava_activity_remove(*, user_id: int, strava_activity_id: int) -> bool:
    """Delete our copy of a Strava activity (never an activity from another source); False when
    there was none."""
    activity = (
        Activity.objects.select_related("user")
        .filter(user_id=user_id, source=Source.STRAVA, external_id=external_id(strava_activity_id))
        .first()
    )
    if activity is None:
        return False
    activity_delete(activity=activity)
    return True


def strava_backfill_queue(*, user_id: int, days: int = BACKFILL_DAYS) -> None:
    """Queue a backfill after the current transaction commits; the status reads `syncing` at once.
    A broker that cannot take the task turns the status to `error`, never the caller's request."""
    from analytics.tasks import strava_backfill as backfill_task

    integration = _connected(user_id)
    if integration is None:
        return
    integration_mark(integration.pk, "syncing")

    def send():
        try:
            backfill_task.apply_async(kwargs={"user_id": user_id, "days": days})
        except Exception:  # noqa: BLE001 - the broker, or in eager mode the task itself
            logger.exception("Strava backfill of user %s could not be queued", user_id)
            integration_mark(integration.pk, "error", error=NOT_QUEUED)

    transaction.on_commit(send)


def strava_sync_failed(*, message: str, user_id: int | None = None, strava_athlete_id: int | None = None) -> None:
    """Status `error` with `message` on a still-connected Strava Integration, found by our user id
    or by Strava's athlete id (a task that gave up retrying)."""
    which = {"user_id": user_id} if user_id is not None else {"external_id": str(strava_athlete_id)}
    rows = Integration.objects.filter(provider=Provider.STRAVA, connected=True, **which)
    rows.update(status="error", error=message, updated_at=datetime.now(UTC))


def _deauthorized(integration: Integration) -> str:
    """Strava says the athlete revoked Astral. Events are not signed, so the grant is tested first:
    a token that still works means a stale or forged event, and nothing is deleted."""
    try:
        _Api(integration)(client.athlete)
    except StravaAccessRevoked:
        strava_disconnect(user=integration.user, revoke=False)
        return "disconnected"
    logger.warning("Deauthorization event for user %s, whose Strava token still works: ignored", integration.user_id)
    return "ignored"


def strava_event_handle(event: dict) -> str:
    """Act on one webhook event validated by `strava_event_accept` (the Celery task calls this).
    Every activity event is only a hint to re-read Strava (create, update and delete alike), so
    a repeated, late or forged event cannot store or delete anything Strava does not say."""
    integration = (
        Integration.objects.select_related("user")
        .filter(provider=Provider.STRAVA, external_id=str(event["owner_id"]), connected=True)
        .first()
    )
    if integration is None:
        return "ignored"  # not (or no longer) connected to anyone here
    if event["object_type"] == "athlete":
        if event.get("updates", {}).get("authorized") == "false":
            return _deauthorized(integration)
        return "ignored"
    return strava_activity_sync(user_id=integration.user_id, strava_activity_id=event["object_id"])


def strava_catch_up_queue(*, now: datetime | None = None) -> int:
    """Hourly (beat): a Strava connection whose last sync failed for a passing reason — Strava
    unreachable, its rate limit, a task that could not be queued — gets a backfill from the day
    before its last good sync (at least a day, at most BACKFILL_DAYS), which brings what the lost
    work would have. A revoked grant is not retried: it needs the athlete to connect again.
    The number of backfills queued."""
    now = now or datetime.now(UTC)
    failed = Integration.objects.filter(provider=Provider.STRAVA, connected=True, status="error").exclude(error=REVOKED)
    queued = 0
    for user_id, last_sync_at in failed.values_list("user_id", "last_sync_at"):
        since = (now - last_sync_at).days + 2 if last_sync_at else BACKFILL_DAYS
        strava_backfill_queue(user_id=user_id, days=max(1, min(BACKFILL_DAYS, since)))
        queued += 1
    return queued
