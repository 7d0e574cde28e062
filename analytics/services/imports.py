"""Importing a device file (FIT, GPX, TCX) as an activity, in one transaction."""

import hashlib

from django.db import transaction

from accounts.models import User
from analytics.ingest import InvalidActivityFile, ParsedActivity, parse_activity_file
from analytics.models import Activity, Source
from analytics.services.activities import activity_create, duplicate_of
from astral.exceptions import Conflict, InvalidInput


def device_heart_rate(value: int | None) -> int | None:
    """Device values outside the API's 25–250 bpm are sensor noise, not data."""
    return value if value is not None and 25 <= value <= 250 else None


def activity_fields(parsed: ParsedActivity, timezone_name: str) -> dict:
    avg_hr, max_hr = device_heart_rate(parsed.avg_hr), device_heart_rate(parsed.max_hr)
    if avg_hr and max_hr and max_hr < avg_hr:
        max_hr = None
    return {
        "sport": parsed.sport,
        "start_time": parsed.start_time,
        "timezone": timezone_name,
        "distance": round(parsed.distance_m, 2),
        "duration": round(parsed.moving_s, 3),
        "elapsed_time": round(max(parsed.elapsed_s, parsed.moving_s), 3),
        "avg_heart_rate": avg_hr,
        "max_heart_rate": max_hr,
        "calories": parsed.calories if parsed.calories and parsed.calories > 0 else None,
        "elevation_gain": round(parsed.elevation_gain_m, 1) if parsed.elevation_gain_m is not None else None,
    }


@transaction.atomic
def activity_import(*, user: User, content: bytes, timezone_name: str = "") -> tuple[Activity, ParsedActivity]:
    """Parse `content` and store it. 400 INVALID_FILE (details.reason says why) for anything we
    cannot read; 409 DUPLICATE_ACTIVITY for the same file or the same start and sport. Nothing is
    stored unless everything succeeds."""
    file_hash = hashlib.sha256(content).hexdigest()
    if existing := duplicate_of(user=user, file_hash=file_hash):
        raise Conflict(
            f"This file was already imported as {existing.public_id}.",
            "DUPLICATE_ACTIVITY",
            activity_id=existing.public_id,
        )
    try:
        parsed = parse_activity_file(content)
    except InvalidActivityFile as error:
        raise InvalidInput(error.message, "INVALID_FILE", field="file", reason=error.code) from None
    activity = activity_create(
        user=user,
        fields=activity_fields(parsed, timezone_name or user.timezone),
        source=Source.FILE,
        samples=[sample.to_json() for sample in parsed.samples] or None,
        file_hash=file_hash,
    )
    return activity, parsed
