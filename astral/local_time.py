"""Time rules shared by every endpoint and page (SPEC §3): which time zone applies, how
instants and dates are parsed, and local-day ranges as UTC instants.

Zone precedence: the request's `timezone` (IANA), else `timezone_offset_minutes` (minutes *east*
of UTC: Tokyo is 540), else the athlete's profile time zone, else UTC.
"""

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from astral.exceptions import invalid

MIN_OFFSET_MINUTES = -14 * 60
MAX_OFFSET_MINUTES = 14 * 60


UTC_ZONE = zoneinfo.ZoneInfo("UTC")


def zone_from_name(name: str, field: str = "timezone") -> zoneinfo.ZoneInfo:
    """The one IANA-zone validator (API parameters and bodies, the admin's forms): the zone, or
    InvalidInput INVALID_TIMEZONE for anything else (unknown names, paths, NUL bytes)."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError, OSError):  # OSError: a name too long for a path
        raise invalid(field, f"'{name}' is not an IANA time zone.", "INVALID_TIMEZONE") from None


def zone_or_utc(name: str | None) -> zoneinfo.ZoneInfo:
    """A stored zone name read leniently: UTC when it is empty or no longer a zone (a tzdata
    update can drop a name a profile holds)."""
    try:
        return zoneinfo.ZoneInfo(name) if name else UTC_ZONE
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError, OSError):  # OSError: a name too long for a path
        return UTC_ZONE


def user_zone(user) -> zoneinfo.ZoneInfo:
    """The athlete's (user's) profile time zone, else UTC — the one definition."""
    return zone_or_utc(getattr(user, "timezone", ""))


def user_today(user, now: datetime | None = None) -> date:
    """The user's local date now (or at `now`)."""
    return today_in(user_zone(user), now)


def zone_from_offset(raw: str, field: str = "timezone_offset_minutes") -> tzinfo:
    try:
        minutes = int(raw)
    except (TypeError, ValueError):
        raise invalid(field, f"{field} must be an integer number of minutes east of UTC.") from None
    if not MIN_OFFSET_MINUTES <= minutes <= MAX_OFFSET_MINUTES:
        raise invalid(field, f"{field} must be between -840 and 840.", "OUT_OF_RANGE")
    return timezone(timedelta(minutes=minutes))


def resolve_zone(params, user=None) -> tzinfo:
    """The zone of a request (see the module docstring); `params` is a dict-like of parameters."""
    if params.get("timezone"):
        return zone_from_name(params["timezone"])
    if params.get("timezone_offset_minutes") not in (None, ""):
        return zone_from_offset(params["timezone_offset_minutes"])
    if user is not None and getattr(user, "timezone", ""):
        return user_zone(user)
    return UTC


def parse_instant(raw, zone: tzinfo, field: str) -> datetime:
    """ISO 8601 (with offset or Z; a naive value is read in `zone`) or Unix seconds → aware UTC."""
    if isinstance(raw, bool) or raw is None or raw == "":
        raise invalid(field, f"{field} is required.", "REQUIRED")
    if isinstance(raw, int | float) or (isinstance(raw, str) and raw.strip().lstrip("-").isdigit()):
        try:
            return datetime.fromtimestamp(float(raw), tz=UTC)
        except (OverflowError, OSError, ValueError):
            raise invalid(field, f"{field} is not a valid Unix timestamp.") from None
    if not isinstance(raw, str):
        raise invalid(field, f"{field} must be an ISO 8601 date-time or Unix seconds.")
    try:
        value = datetime.fromisoformat(raw.strip().replace("z", "Z"))
    except ValueError:
        raise invalid(field, f"'{raw}' is not an ISO 8601 date-time.") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)


def parse_date(raw, field: str) -> date:
    if raw in (None, ""):
        raise invalid(field, f"{field} is required.", "REQUIRED")
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise invalid(field, f"'{raw}' is not a date (YYYY-MM-DD).") from None


def local_day_start(day: date, zone: tzinfo) -> datetime:
    """The instant the local day begins (DST-aware: zoneinfo resolves the wall time)."""
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def local_days_range(first: date, last: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """[start of `first`, start of the day after `last`) as UTC instants: inclusive local dates."""
    return local_day_start(first, zone), local_day_start(last + timedelta(days=1), zone)


def local_date(instant: datetime, zone: tzinfo) -> date:
    return instant.astimezone(zone).date()


def today_in(zone: tzinfo, now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(zone).date()


def utc_text(instant: datetime | None) -> str | None:
    """An aware instant as the API writes it: UTC, ISO 8601, `Z` (`2026-12-04T23:05:00Z`); None stays None."""
    return instant.astimezone(UTC).isoformat().replace("+00:00", "Z") if instant else None
