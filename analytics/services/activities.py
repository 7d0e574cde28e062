"""Writes for activities: create, update, delete, and recomputing derived numbers.

Training load and pace-zone seconds are always computed here from the athlete's profile, never
taken from the client.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.services import user_data_changed
from analytics.metrics.load import activity_training_load
from analytics.metrics.sports import RUN_SPORTS
from analytics.metrics.zones import activity_zone_seconds, pace_zone_bounds
from analytics.models import Activity, ActivitySamples
from astral.exceptions import ApplicationError, Conflict

ZONE_FIELDS = ("pace_z1_time", "pace_z2_time", "pace_z3_time", "pace_z4_time", "pace_z5_time")
DERIVED_FIELDS = ("training_load", *ZONE_FIELDS)


def activity_metrics_derive(activity: Activity, user: User, samples: Sequence[dict] | None = None) -> None:
    """Set `training_load` and the five zone times on `activity` (not saved)."""
    activity.training_load = activity_training_load(
        duration_s=activity.duration,
        distance_m=activity.distance,
        avg_hr=activity.avg_heart_rate,
        resting_hr=user.resting_heart_rate,
        max_hr=user.max_heart_rate,
        vdot=user.vdot,
        sex=user.sex or None,
    )
    bounds = pace_zone_bounds(vdot=user.vdot, pace_zones=user.pace_zones)
    points = [(s["t"], s.get("distance")) for s in samples] if samples else None
    zones = activity_zone_seconds(
        sport=activity.sport, duration_s=activity.duration, distance_m=activity.distance, bounds=bounds, samples=points
    )
    for name, seconds in zip(ZONE_FIELDS, zones, strict=True):
        setattr(activity, name, seconds)


SAME_RUN_WINDOW = timedelta(seconds=60)


def same_run(*, user: User, start_time: datetime, sport: str):
    """The athlete's activities that are this one recorded twice (a watch file and its Strava
    copy, say): the same sport — run, trail run and treadmill count as one, since two services
    may name one run differently — starting within 60 s of it."""
    sports = RUN_SPORTS if sport in RUN_SPORTS else {sport}
    window = (start_time - SAME_RUN_WINDOW, start_time + SAME_RUN_WINDOW)
    return Activity.objects.filter(user=user, sport__in=sports, start_time__range=window).order_by("start_time")


def duplicate_of(
    *, user: User, external_id: str = "", file_hash: str = "", start_time=None, sport=None, recorded: bool = False
):
    """The athlete's existing activity that this one would duplicate, if any: the same external
    id, the same file, or — for a recorded activity (a device file, a sync) — the same run
    (`same_run`: clocks of two devices differ by seconds); for one typed by hand the same start
    instant and sport."""
    candidates = Activity.objects.filter(user=user)
    if external_id and (found := candidates.filter(external_id=external_id).first()):
        return found
    if file_hash and (found := candidates.filter(file_hash=file_hash).first()):
        return found
    if start_time is None or not sport:
        return None
    if recorded:
        return same_run(user=user, start_time=start_time, sport=sport).first()
    return candidates.filter(start_time=start_time, sport=sport).first()


def _conflict(existing: Activity) -> ApplicationError:
    return Conflict(
        f"This activity was already recorded as {existing.public_id}.",
        "DUPLICATE_ACTIVITY",
        activity_id=existing.public_id,
    )


def _queue_refresh(user: User) -> None:
    user_data_changed(user_ids=[user.pk])


@transaction.atomic
def activity_create(
    *, user: User, fields: dict, source: str = "manual", samples: Sequence[dict] | None = None, file_hash: str = ""
) -> Activity:
    """Store one activity with its derived metrics. 409 DUPLICATE_ACTIVITY (with the existing
    activity_id) on the same external id, the same file, or the same run (`duplicate_of`)."""
    existing = duplicate_of(
        user=user,
        external_id=fields.get("external_id") or "",
        file_hash=file_hash,
        start_time=fields["start_time"],
        sport=fields["sport"],
        recorded=source != "manual",
    )
    if existing:
        raise _conflict(existing)
    activity = Activity(user=user, source=source, file_hash=file_hash, **fields)
    activity_metrics_derive(activity, user, samples)
    try:
        with transaction.atomic():
            activity.save()
    except IntegrityError:  # a concurrent import of the same thing won the race
        existing = duplicate_of(
            user=user,
            external_id=activity.external_id,
            file_hash=file_hash,
            start_time=activity.start_time,
            sport=activity.sport,
            recorded=source != "manual",
        )
        if existing:
            raise _conflict(existing) from None
        raise
    if samples:
        ActivitySamples.objects.create(activity=activity, data=list(samples))
    _queue_refresh(user)
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, changes: dict) -> Activity:
    for name, value in changes.items():
        setattr(activity, name, value)
    if "external_id" in changes and changes["external_id"]:
        clash = Activity.objects.filter(user_id=activity.user_id, external_id=changes["external_id"]).exclude(
            pk=activity.pk
        )
        if found := clash.first():
            raise _conflict(found)
    samples = activity.samples.data if hasattr(activity, "samples") else None
    activity_metrics_derive(activity, activity.user, samples)
    try:
        with transaction.atomic():
            activity.save()
    except IntegrityError:  # moved onto another activity's start instant and sport
        others = Activity.objects.filter(user_id=activity.user_id).exclude(pk=activity.pk)
        same_start = others.filter(start_time=activity.start_time, sport=activity.sport).first()
        if same_start:
            raise _conflict(same_start) from None
        raise
    _queue_refresh(activity.user)
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity) -> None:
    user = activity.user
    activity.delete()
    _queue_refresh(user)


RECOMPUTE_BATCH = 500


def user_activities_recompute(*, user_id: int) -> int:
    """Recompute load and zones of every activity of an athlete (after a profile change), in
    batches; returns the number of activities updated. Idempotent."""
    user = User.objects.get(pk=user_id)
    updated = 0
    last_pk = 0
    while True:
        batch = list(
            Activity.objects.filter(user=user, pk__gt=last_pk)
            .select_related("samples")
            .order_by("pk")[:RECOMPUTE_BATCH]
        )
        if not batch:
            break
        for activity in batch:
            samples = activity.samples.data if hasattr(activity, "samples") else None
            activity_metrics_derive(activity, user, samples)
        Activity.objects.bulk_update(batch, DERIVED_FIELDS)
        updated += len(batch)
        last_pk = batch[-1].pk
    if updated:
        user_data_changed(user_ids=[user.pk])
    return updated
