"""Plan compliance: which planned workouts were done, and how well (docs/metrics.md, "Compliance").

One rule for the calendar (per workout) and the Plans tab (per plan instance):

- **Pairing.** A planned workout on local date D is paired with at most one activity of the
  athlete on D of the same *type family* — running workouts (easy, long, tempo, threshold,
  interval, race) with a run (run, trail_run, treadmill), `cross` with any other sport — and each
  activity with at most one workout. `rest` days are not planned work and are never paired.
  Among the day's candidates the best match wins: the pair whose ratio is closest to 1 first,
  then plan order (earlier instance start, then week/day), then the earlier activity.
- **Ratio** = done ÷ planned duration, or distance when the plan gives only a distance, rounded
  half up to 2 decimals; None when the plan gives neither.
- **Status**: paired → `completed` (ratio ≥ 0.80, or no ratio) or `partial` (ratio < 0.80);
  unpaired → `missed` before the athlete's today, `upcoming` today and later; an activity paired
  with no workout → `unplanned`.
- **Colour** (TrainingPeaks' compliance colours, on the rounded ratio): green 0.80–1.20, yellow
  0.50–0.79 or 1.21–1.50, red otherwise and missed, grey unplanned; upcoming has none; a paired
  workout without a planned measure is green.

Plans tab: compliance = (completed + partial) ÷ (completed + partial + missed) of the workouts on
or before today — a partial workout counts as done (its shortfall shows in its colour), and
today's workout is due only once it is done. None while nothing is due.
"""

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from analytics.metrics.sports import RUN_SPORTS

RUN_WORKOUTS = frozenset({"easy", "long", "tempo", "threshold", "interval", "race"})
GREEN_RANGE = (0.80, 1.20)
YELLOW_RANGE = (0.50, 1.50)


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


@dataclass(frozen=True)
class PlannedItem:
    """A planned workout on its local date; `key` identifies it, `order` sorts ties (plan order)."""

    key: Hashable
    day: date
    type: str
    distance: float | None  # metres
    duration: float | None  # seconds
    order: tuple = ()


@dataclass(frozen=True)
class DoneItem:
    """An activity on its local date (the athlete's zone); `order` sorts ties (start time)."""

    key: Hashable
    day: date
    sport: str
    distance: float  # metres
    duration: float  # seconds
    order: tuple = ()


def compliance_ratio(planned: PlannedItem, done: DoneItem) -> float | None:
    """Done ÷ planned duration, else distance (plan gives only a distance), 2 decimals half up."""
    if planned.duration:
        value = done.duration / planned.duration
    elif planned.distance:
        value = done.distance / planned.distance
    else:
        return None
    return float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def ratio_colour(ratio: float | None) -> str:
    if ratio is None or GREEN_RANGE[0] <= ratio <= GREEN_RANGE[1]:
        return "green"
    if YELLOW_RANGE[0] <= ratio <= YELLOW_RANGE[1]:
        return "yellow"
    return "red"


def _match_cost(planned: PlannedItem, done: DoneItem) -> float:
    ratio = compliance_ratio(planned, done)
    return float("inf") if ratio is None else abs(ratio - 1)


def workout_pairs(planned: Iterable[PlannedItem], done: Iterable[DoneItem]) -> dict[Hashable, DoneItem]:
    """{planned key: the activity paired with it} by the module's pairing rule (best match first)."""
    activities = defaultdict(list)
    for item in done:
        activities[(item.day, sport_family(item.sport))].append(item)
    candidates = []
    for item in planned:
        family = workout_family(item.type)
        for activity in activities.get((item.day, family), ()) if family else ():
            candidates.append((_match_cost(item, activity), item.order, activity.order, item, activity))
    candidates.sort(key=lambda candidate: candidate[:3])
    pairs: dict[Hashable, DoneItem] = {}
    used: set[Hashable] = set()
    for *_, item, activity in candidates:
        if item.key not in pairs and activity.key not in used:
            pairs[item.key] = activity
            used.add(activity.key)
    return pairs


def workout_compliance(planned: PlannedItem, activity: DoneItem | None, today: date) -> dict:
    """{status, ratio, colour} of one planned workout (not rest) given its paired activity."""
    if activity is None:
        if planned.day < today:
            return {"status": "missed", "ratio": None, "colour": "red"}
        return {"status": "upcoming", "ratio": None, "colour": None}
    ratio = compliance_ratio(planned, activity)
    status = "partial" if ratio is not None and ratio < GREEN_RANGE[0] else "completed"
    return {"status": status, "ratio": ratio, "colour": ratio_colour(ratio)}


UNPLANNED = {"status": "unplanned", "ratio": None, "colour": "grey"}


def compliance(
    *, planned: Iterable[tuple[date, str]], done: Iterable[tuple[date, str]], today: date
) -> tuple[int, int, float | None]:
    """(done, due, ratio) for the Plans tab, from planned (date, workout type) and done (local
    date, sport) pairs: the counts of the calendar's statuses on or before `today` — done =
    completed + partial, due = done + missed. How many of a day's workouts of one family are
    paired is min(workouts, activities) whatever the best match, so counts need no durations."""
    available = Counter((day, sport_family(sport)) for day, sport in done)
    due = completed = 0
    for day, workout_type in sorted(planned):
        family = workout_family(workout_type)
        if family is None or day > today:
            continue
        if available[(day, family)] > 0:
            available[(day, family)] -= 1
            completed += 1
            due += 1
        elif day < today:  # missed; today's unpaired workout is upcoming, not yet due
            due += 1
    return completed, due, (round(completed / due, 3) if due else None)
