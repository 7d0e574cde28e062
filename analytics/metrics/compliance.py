"""Plan compliance: which planned workouts were done.

A planned workout on local date D is completed when the athlete has an activity on D of the
same *type family*: running workouts (easy, long, tempo, threshold, interval, race) match a run
(run, trail_run, treadmill); `cross` matches any other sport; `rest` days are not planned work
and never count. Each activity completes at most one planned workout.

compliance = completed planned workouts ÷ planned workouts to date (rest excluded), or None when
nothing was planned yet.
"""

from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta

from analytics.metrics.sports import RUN_SPORTS

RUN_WORKOUTS = frozenset({"easy", "long", "tempo", "threshold", "interval", "race"})


def workout_family(workout_type: str) -> str | None:
    if workout_type in RUN_WORKOUTS:
        return "run"
    if workout_type == "cross":
        return "cross"
    return None  # rest


def sport_family(sport: str) -> str:
    return "run" if sport in RUN_SPORTS else "cross"


def planned_date(start: date, week: int, day: int) -> date:
    """Week 1 day 1 is the start date; weeks are 7 days from there."""
    return start + timedelta(days=(week - 1) * 7 + (day - 1))


def compliance(
    *, planned: Iterable[tuple[date, str]], done: Iterable[tuple[date, str]], today: date
) -> tuple[int, int, float | None]:
    """(completed, planned to date, ratio) for planned (date, workout type) and done (local date,
    sport) pairs. Only planned workouts on or before `today` count."""
    available = Counter((day, sport_family(sport)) for day, sport in done)
    due = completed = 0
    for day, workout_type in sorted(planned):
        family = workout_family(workout_type)
        if family is None or day > today:
            continue
        due += 1
        if available[(day, family)] > 0:
            available[(day, family)] -= 1
            completed += 1
    return completed, due, (round(completed / due, 3) if due else None)
