"""The filters of `GET activities` and `GET wellness`, parsed once for the JSON answers, their CSV
and the profile page's downloads: each bad value raises the domain error naming it."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from analytics.models import Sport
from astral.exceptions import invalid
from astral.local_time import local_days_range, parse_date, resolve_zone, today_in

MAX_LIST_DAYS = 3660
WELLNESS_DEFAULT_DAYS = 30
WELLNESS_MAX_DAYS = 400


@dataclass(frozen=True)
class ActivityFilters:
    start: datetime | None = None  # first instant of `from` in the zone, inclusive
    end: datetime | None = None  # first instant after `to` in the zone
    sport: str | None = None


def activity_filters(params, athlete) -> ActivityFilters:
    """`from`/`to` (inclusive local dates in `timezone`, default the athlete's zone; at most 3660
    days apart) and `sport`."""
    zone = resolve_zone(params, athlete)
    sport = params.get("sport") or None
    if sport and sport not in Sport.values:
        raise invalid("sport", f"sport must be one of {', '.join(Sport.values)}.", "INVALID_CHOICE")
    first = parse_date(params["from"], "from") if params.get("from") else None
    last = parse_date(params["to"], "to") if params.get("to") else None
    if first and last and last < first:
        raise invalid("to", "to must not be before from.")
    if first and last and (last - first).days > MAX_LIST_DAYS:
        raise invalid("to", f"The range may span at most {MAX_LIST_DAYS} days.", "RANGE_TOO_LONG")
    return ActivityFilters(
        start=local_days_range(first, first, zone)[0] if first else None,
        end=local_days_range(last, last, zone)[1] if last else None,
        sport=sport,
    )


def wellness_window(params, athlete, default_days: int = WELLNESS_DEFAULT_DAYS) -> tuple[date, date]:
    """(first, last) dates: `to` defaults to today in the athlete's zone, `from` to the
    `default_days` ending on `to` (30 for the API; the profile's download asks for 400); at most
    400 days."""
    last = parse_date(params["to"], "to") if params.get("to") else today_in(resolve_zone({}, athlete))
    # The default window stops at date.min (`to=0001-01-05` was an OverflowError, a 500).
    back = min(default_days - 1, (last - date.min).days)
    first = parse_date(params["from"], "from") if params.get("from") else last - timedelta(days=back)
    if last < first:
        raise invalid("to", "to must not be before from.")
    if (last - first).days + 1 > WELLNESS_MAX_DAYS:
        raise invalid("to", f"The range may span at most {WELLNESS_MAX_DAYS} days.", "RANGE_TOO_LONG")
    return first, last
