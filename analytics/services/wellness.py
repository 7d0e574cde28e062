"""Writes for daily wellness: one row per athlete and local date, upserted."""

from datetime import date

from django.db import transaction

from accounts.models import User
from accounts.services import user_data_changed
from analytics.models import DailyWellness

WELLNESS_FIELDS = ("resting_heart_rate", "hrv", "vo2_max", "recovery_score", "sleep_hours")


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
