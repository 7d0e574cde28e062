"""Reads for analytics: querysets and aggregates, filtered in the database."""

from datetime import datetime

from django.db.models import Exists, OuterRef

from analytics.models import Activity, ActivitySamples, DailyWellness, ImportJob
from astral.ids import is_public_id


def activities_of(user, *, start: datetime | None = None, end: datetime | None = None, sport: str | None = None):
    """The athlete's activities, newest first, with `has_samples`; `start` ≤ start_time < `end`."""
    queryset = Activity.objects.filter(user=user).annotate(
        has_samples=Exists(ActivitySamples.objects.filter(activity=OuterRef("pk")))
    )
    if start is not None:
        queryset = queryset.filter(start_time__gte=start)
    if end is not None:
        queryset = queryset.filter(start_time__lt=end)
    if sport:
        queryset = queryset.filter(sport=sport)
    return queryset.order_by("-start_time", "-pk")


def activity_by_public_id(public_id: str):
    if not is_public_id(public_id, Activity):
        return None
    return (
        Activity.objects.select_related("user")
        .annotate(has_samples=Exists(ActivitySamples.objects.filter(activity=OuterRef("pk"))))
        .filter(public_id=public_id)
        .first()
    )


def wellness_of(user, *, first=None, last=None):
    queryset = DailyWellness.objects.filter(user=user)
    if first is not None:
        queryset = queryset.filter(date__gte=first)
    if last is not None:
        queryset = queryset.filter(date__lte=last)
    return queryset.order_by("date")


def import_job_of(user, import_id: str):
    """The user's own import job with that id, else None (another user's is not theirs to see)."""
    if not is_public_id(import_id, ImportJob):
        return None
    return ImportJob.objects.filter(public_id=import_id, user=user).first()


def recent_import_jobs(user, limit: int = 5) -> list:
    """The user's latest import jobs, newest first (one query)."""
    return list(ImportJob.objects.filter(user=user).order_by("-created_at", "-pk")[:limit])
