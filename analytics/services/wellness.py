"""Writes for daily wellness: one row per athlete and local date, upserted."""

from datetime import date

from django.db import transaction

from accounts.models import User
from accounts.services import user_data_changed
from analytics.models import DailyWellness

WELLNESS_FIELDS = ("resting_heart_rate", "hrv", "hrv_sdnn", "vo2_max", "recovery_score", "sleep_hours")


@transaction.atomic
def wellness_upsert(*, user: User, day: date, values: dict) -> tuple[DailyWellness, bool]:
    """Set the given measures of `day` (others keep their value; None clears one).
    Returns (row, created)."""
    row, created = DailyWellness.objects.select_for_update().get_or_create(user=user, date=day, defaults=values)
    if not created and values:
        for name, value in values.items():
            setattr(row, name, value)
        row.save()
    user_data_changed(user_ids=[user.pk])
    return row, created


@transaction.atomic
def wellness_bulk_upsert(*, user: User, days: dict[date, dict]) -> int:
    """Set the given measures of many days at once (an import): {day: {field: value}}; measures a
    day does not name keep their value. One INSERT … ON CONFLICT per distinct set of named fields
    (never a row per statement), one data-version bump. The number of days written."""
    by_fields: dict[tuple[str, ...], list[DailyWellness]] = {}
    for day, values in days.items():
        if values:
            by_fields.setdefault(tuple(sorted(values)), []).append(DailyWellness(user=user, date=day, **values))
    for names, rows in by_fields.items():
        DailyWellness.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["user", "date"], update_fields=[*names, "updated_at"]
        )
    if by_fields:
        user_data_changed(user_ids=[user.pk])
    return sum(len(rows) for rows in by_fields.values())
