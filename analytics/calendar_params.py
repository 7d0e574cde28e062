"""Parameters of the planned-vs-done calendar, shared by GET analytics/calendar and the calendar
page (domain exceptions, no HTTP): the window of the athlete's local days."""

import calendar
from datetime import date, timedelta

from astral.exceptions import invalid
from astral.local_time import parse_date

MAX_CALENDAR_DAYS = 100


def month_bounds(day: date) -> tuple[date, date]:
    """The first and last day of `day`'s month."""
    return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])


def calendar_window(params, today: date) -> tuple[date, date]:
    """Inclusive local dates `from`…`to` (YYYY-MM-DD). Neither → the month of `today`; `from`
    alone → to the end of its month; `to` alone → from the 1st of its month. 400 `INVALID` for a
    malformed date or `to` before `from`, `RANGE_TOO_LONG` (on `to`) beyond 100 days."""
    raw_first, raw_last = params.get("from"), params.get("to")
    first = parse_date(raw_first, "from") if raw_first else None
    last = parse_date(raw_last, "to") if raw_last else None
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
    """The page's `month` (YYYY-MM) as its first day; absent → this month; 400 `INVALID` else."""
    raw = params.get("month")
    if not raw:
        return today.replace(day=1)
    try:
        year, month = (int(part) for part in str(raw).split("-"))
        if not (len(str(raw)) == 7 and 1 <= year <= 9998):
            raise ValueError
        return date(year, month, 1)
    except ValueError:
        raise invalid("month", f"'{raw}' is not a month (YYYY-MM).") from None


def month_grid(first_of_month: date) -> tuple[date, date]:
    """The Monday…Sunday weeks covering a month (at most 42 days, within the 100-day limit)."""
    last = month_bounds(first_of_month)[1]
    return first_of_month - timedelta(days=first_of_month.weekday()), last + timedelta(days=6 - last.weekday())
