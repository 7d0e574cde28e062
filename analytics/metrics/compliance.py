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

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

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


class PlannedItem(NamedTuple):
    """A planned workout on its local date; `key` identifies it, `order` sorts ties (plan order).
    A named tuple: the Plans tab makes one per past workout of every athlete on a plan."""

    key: Hashable
    day: date
    type: str
    distance: float | None  # metres
    duration: float | None  # seconds
    order: tuple = ()


class DoneItem(NamedTuple):
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


Slots = dict[tuple[date, str], list[PlannedItem]]


def plan_slots(planned: Iterable[PlannedItem], today: date) -> Slots:
    """The planned workouts on or before `today` (rest days left out) by (day, family) slot."""
    slots: Slots = defaultdict(list)
    for item in planned:
        family = workout_family(item.type)
        if family is not None and item.day <= today:
            slots[(item.day, family)].append(item)
    return slots


def _shared(items: list[PlannedItem]) -> bool:
    return len(items) > 1 and len({item.key[0] for item in items}) > 1


def overlap_slots(slots: Slots) -> set[tuple[date, str]]:
    """The slots where more than one plan instance has a workout (overlapping plans)."""
    return {slot for slot, items in slots.items() if _shared(items)}


def plan_counts(
    slots: Slots,
    done_counts: Mapping[tuple[date, str], int],
    done_items: Iterable[DoneItem],
    today: date,
) -> dict[Hashable, tuple[int, int]]:
    """{instance: (done, due)} for the Plans tab from `plan_slots` (each PlannedItem's key is
    (instance, workout)): the calendar's statuses on or before `today` counted per instance —
    done = completed + partial, due = done + missed (today's unpaired workout is upcoming, not
    yet due).

    Where one instance alone plans a slot's workouts, min(workouts, activities) of them are
    paired whatever the best match, so the day's activity count per family (`done_counts`
    {(day, family): n}) suffices. Where several instances plan the same slot (overlapping
    plans), which one's workout gets the activity depends on the best match: those slots
    (`overlap_slots`) are paired exactly as the calendar pairs them, from `done_items`, the
    activities of those slots."""
    exact = defaultdict(list)
    for activity in done_items:
        exact[(activity.day, sport_family(activity.sport))].append(activity)
    counts: dict[Hashable, list[int]] = defaultdict(lambda: [0, 0])
    for (day, family), items in slots.items():
        if _shared(items):
            paired = workout_pairs(items, exact[(day, family)])
            for item in items:
                if item.key in paired or day < today:
                    counts[item.key[0]][1] += 1
                    counts[item.key[0]][0] += item.key in paired
            continue
        instance = counts[items[0].key[0]]
        done = min(len(items), done_counts.get((day, family), 0))
        instance[0] += done
        instance[1] += len(items) if day < today else done
    return {instance: (done, due) for instance, (done, due) in counts.items()}


def compliance_ratio_of(done: int, due: int) -> float | None:
    """The Plans tab's compliance: done ÷ due, 3 decimals; None while nothing is due."""
    return round(done / due, 3) if due else None
