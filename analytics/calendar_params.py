"""Parameters of the planned-vs-done calendar, shared by GET analytics/calendar and the calendar
page (domain exceptions, no HTTP): the window of the athlete's local days."""

import calendar
from datetime import date, timedelta

from astral.exceptions import invalid
from astral.local_time import parse_date

MAX_CALENDAR_DAYS = 100
# Dates outside these would overflow Python's date arithmetic (a window's next day, a plan's reach).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9998, 12, 31)


def _calendar_date(raw, field: str) -> date:
    day = parse_date(raw, field)
    if not FIRST_DAY <= day <= LAST_DAY:
        raise invalid(field, f"{field} must be between {FIRST_DAY} and {LAST_DAY}.", "OUT_OF_RANGE")
    return day


def month_bounds(day: date) -> tuple[date, date]:
    """The first and last day of `day`'s month."""
    return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])


def calendar_window(params, today: date) -> tuple[date, date]:
    """Inclusive local dates `from`…`to` (YYYY-MM-DD). Neither → the month of `today`; `from`
    alone → to the end of its month; `to` alone → from the 1st of its month. 400 `INVALID` for a
    malformed date or `to` before `from`, `OUT_OF_RANGE` outside 1900-01-01…9998-12-31,
    `RANGE_TOO_LONG` (on `to`) beyond 100 days."""
    raw_first, raw_last = params.get("from"), params.get("to")
    first = _calendar_date(raw_first, "from") if raw_first else None
    last = _calendar_date(raw_last, "to") if raw_last else None
    if first is None and last is None:
        first, last = month_bounds(today)
    elif last is None:
        last = month_bounds(first)[1]
    elif first is None:
        first = month_bounds(last)[0]
    if last < first:
        raise invalid("to", "to must not be before from.")
    if (last - first).days + 1 > MAX_CALENDAR_DAYS:
        raise invalid("to", f"The calendar may span at most {MAX_CALENDAR_DAYS} days.", "RANGE_TOO_LONG")
    return first, last


def calendar_month(params, today: date) -> date:
    """The page's `month` (YYYY-MM, years 1900–9998) as its first day; absent → this month;
    400 `INVALID` else."""
    raw = params.get("month")
    if not raw:
        return today.replace(day=1)
    try:
        year, month = (int(part) for part in str(raw).split("-"))
        if not (len(str(raw)) == 7 and FIRST_DAY.year <= year <= LAST_DAY.year):
            raise ValueError
        return date(year, month, 1)
    except ValueError:
        raise invalid("month", f"'{raw}' is not a month (YYYY-MM).") from None


def month_grid(first_of_month: date) -> tuple[date, date]:
    """The Monday…Sunday weeks covering a month (at most 42 days, within the 100-day limit)."""
    last = month_bounds(first_of_month)[1]
    return first_of_month - timedelta(days=first_of_month.weekday()), last + timedelta(days=6 - last.weekday())
