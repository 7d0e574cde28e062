"""Running streaks over local dates (pure: dates in, numbers out).

A streak is a run of consecutive local days each with at least one run; the caller decides what
counts as a run and which calendar the days are in.
"""

from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


def current_streak(active_days: set[date], today: date) -> int:
    """Consecutive active days ending today — or ending yesterday when today has no run yet
    (the day is not over); 0 when neither today nor yesterday is active. Days after `today`
    are ignored."""
    day = today if today in active_days else today - ONE_DAY
    length = 0
    while day in active_days:
        length += 1
        day -= ONE_DAY
    return length


def longest_streak(active_days: set[date], first: date, last: date) -> dict:
    """The longest run of consecutive active days within [first, last]:
    {length, start: date | None, end: date | None}; the earliest one on ties.

    Only days inside the window count, so a streak crossing `first` or `last` is cut at the
    window edge. Without an active day in the window: {length: 0, start: None, end: None}."""
    best = {"length": 0, "start": None, "end": None}
    start = previous = None
    for day in sorted(d for d in active_days if first <= d <= last):
        if previous is None or day - previous != ONE_DAY:
            start = day
        previous = day
        length = (day - start).days + 1
        if length > best["length"]:  # strictly longer: an equal later streak keeps the earlier one
            best = {"length": length, "start": start, "end": day}
    return best
