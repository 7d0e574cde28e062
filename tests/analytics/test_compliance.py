"""Plan compliance: pairing, ratio, colour and the Plans tab counts (pure, no database)."""

from collections import Counter
from datetime import date, timedelta

import pytest

from analytics.metrics.compliance import (
    DoneItem,
    PlannedItem,
    compliance_ratio,
    compliance_ratio_of,
    overlap_slots,
    plan_counts,
    plan_slots,
    planned_date,
    ratio_colour,
    sport_family,
    workout_compliance,
    workout_pairs,
)

MON = date(2026, 11, 2)


def test_planned_date():
    assert planned_date(MON, 1, 1) == MON
    assert planned_date(MON, 1, 7) == date(2026, 11, 8)
    assert planned_date(MON, 6, 1) == date(2026, 12, 7)  # 35 days later is week 6


def compliance(*, planned, done, today):
    """(done, due, ratio) of one plan instance from (date, workout type) and (date, sport) pairs."""
    items = [PlannedItem(("i1", n), day, kind, None, None, (n,)) for n, (day, kind) in enumerate(planned)]
    counts = Counter((day, sport_family(sport)) for day, sport in done)
    completed, due = plan_counts(plan_slots(items, today), counts, [], today).get("i1", (0, 0))
    return completed, due, compliance_ratio_of(completed, due)


def test_matches_same_day_and_family_and_ignores_rest_and_future():
    planned = [
        (date(2026, 11, 2), "easy"),
        (date(2026, 11, 3), "interval"),
        (date(2026, 11, 4), "rest"),
        (date(2026, 11, 5), "cross"),
        (date(2026, 11, 6), "tempo"),
        (date(2026, 11, 9), "long"),  # after today
    ]
    done = [
        (date(2026, 11, 2), "trail_run"),  # easy ✓
        (date(2026, 11, 3), "ride"),  # interval ✗ (wrong family)
        (date(2026, 11, 4), "run"),  # rest: not planned work
        (date(2026, 11, 5), "swim"),  # cross ✓
        (date(2026, 11, 7), "run"),  # tempo was on the 6th ✗
    ]
    assert compliance(planned=planned, done=done, today=date(2026, 11, 8)) == (2, 4, 0.5)


def test_one_activity_completes_one_workout():
    planned = [(MON, "easy"), (MON, "interval")]
    # Today: the paired workout is due and done; the unpaired one is upcoming, not yet due.
    assert compliance(planned=planned, done=[(MON, "run")], today=MON) == (1, 1, 1.0)
    assert compliance(planned=planned, done=[(MON, "run")], today=MON + timedelta(days=1)) == (1, 2, 0.5)
    assert compliance(planned=planned, done=[(MON, "run"), (MON, "treadmill")], today=MON) == (2, 2, 1.0)


def test_nothing_due_yet():
    assert compliance(planned=[(date(2026, 12, 1), "easy")], done=[], today=MON) == (0, 0, None)


def test_overlapping_plans_give_the_run_to_the_best_match_as_the_calendar_does():
    # Two instances plan a run on Monday: A (started earlier) an easy 3000 s, B a tempo 1800 s.
    easy = PlannedItem(("A", 1), MON, "easy", None, 3000.0, (date(2026, 10, 1), 1))
    tempo = PlannedItem(("B", 1), MON, "tempo", None, 1800.0, (date(2026, 10, 20), 1))
    run = DoneItem("act_1", MON, "run", 6000.0, 1800.0, (1,))
    assert overlap_slots(plan_slots([easy, tempo], MON)) == {(MON, "run")}
    assert workout_pairs([easy, tempo], [run]) == {("B", 1): run}  # ratio 1.00 beats 0.60
    tuesday = MON + timedelta(days=1)
    # Counting alone would have paired plan order's first workout (A's); the calendar gives it to B.
    assert plan_counts(plan_slots([easy, tempo], tuesday), Counter({(MON, "run"): 1}), [run], tuesday) == {
        "A": (0, 1),
        "B": (1, 1),
    }
    # Monday itself: A's unpaired workout is upcoming, not yet due.
    assert plan_counts(plan_slots([easy, tempo], MON), Counter({(MON, "run"): 1}), [run], MON) == {"B": (1, 1)}
    # Two runs: both paired, one each.
    second = DoneItem("act_2", MON, "treadmill", 9000.0, 3100.0, (2,))
    assert plan_counts(plan_slots([easy, tempo], tuesday), Counter({(MON, "run"): 2}), [run, second], tuesday) == {
        "A": (1, 1),
        "B": (1, 1),
    }


def plan(key, kind="easy", duration=None, distance=None, day=MON, order=()):
    return PlannedItem(key=key, day=day, type=kind, distance=distance, duration=duration, order=order or (key,))


def act(key, duration=3600, distance=10000, sport="run", day=MON, order=()):
    return DoneItem(key=key, day=day, sport=sport, distance=distance, duration=duration, order=order or (key,))


def test_ratio_is_duration_first_then_distance_rounded_half_up():
    assert compliance_ratio(plan(1, duration=3000, distance=8000), act(1, duration=2550, distance=99999)) == 0.85
    assert compliance_ratio(plan(1, distance=10000), act(1, distance=13000)) == 1.3
    assert compliance_ratio(plan(1), act(1)) is None
    assert compliance_ratio(plan(1, duration=1000), act(1, duration=795)) == 0.8  # 0.795 → 0.80, not 0.79
    assert compliance_ratio(plan(1, duration=1000), act(1, duration=1205)) == 1.21
    assert compliance_ratio(plan(1, duration=1000), act(1, duration=1204.9)) == 1.2


@pytest.mark.parametrize(
    ("ratio", "colour"),
    [
        (0.49, "red"),
        (0.5, "yellow"),
        (0.79, "yellow"),
        (0.8, "green"),
        (1.0, "green"),
        (1.2, "green"),
        (1.21, "yellow"),
        (1.5, "yellow"),
        (1.51, "red"),
        (0.0, "red"),
        (None, "green"),
    ],
)
def test_trainingpeaks_colour_bands(ratio, colour):
    assert ratio_colour(ratio) == colour


def test_statuses():
    workout = plan(1, duration=3600)
    assert workout_compliance(workout, act(1, duration=1800), MON) == {
        "status": "partial",
        "ratio": 0.5,
        "colour": "yellow",
    }
    assert workout_compliance(workout, act(1, duration=1000), MON) == {
        "status": "partial",
        "ratio": 0.28,
        "colour": "red",
    }
    assert workout_compliance(workout, act(1, duration=5760), MON) == {
        "status": "completed",
        "ratio": 1.6,
        "colour": "red",
    }
    assert workout_compliance(workout, None, MON + timedelta(days=1)) == {
        "status": "missed",
        "ratio": None,
        "colour": "red",
    }
    assert workout_compliance(workout, None, MON) == {"status": "upcoming", "ratio": None, "colour": None}
    assert workout_compliance(plan(1), act(1), MON) == {"status": "completed", "ratio": None, "colour": "green"}


def test_pairing_takes_the_best_match_then_plan_order():
    easy, interval = plan("easy", duration=2400, order=(0,)), plan("interval", "interval", duration=4800, order=(1,))
    long_run, short_run = act("long", duration=4800, order=(0,)), act("short", duration=2400, order=(1,))
    assert workout_pairs([easy, interval], [long_run, short_run]) == {"easy": short_run, "interval": long_run}
    # Equal costs: plan order, then the earlier activity.
    first, second = plan("a", duration=3600, order=(0,)), plan("b", duration=3600, order=(1,))
    only = act("x", duration=3600)
    assert workout_pairs([second, first], [only]) == {"a": only}
    # No measure: still paired, after measured candidates.
    assert workout_pairs([plan("bare", order=(0,)), plan("timed", duration=3600, order=(1,))], [only]) == {
        "timed": only
    }


def test_pairing_needs_the_same_day_and_family_and_skips_rest():
    ride = act("ride", sport="ride")
    assert workout_pairs([plan("run", duration=3600)], [ride]) == {}
    assert workout_pairs([plan("cross", "cross", duration=3600)], [ride]) == {"cross": ride}
    assert workout_pairs([plan("rest", "rest")], [act("r")]) == {}
    assert workout_pairs([plan("tue", duration=3600, day=MON + timedelta(days=1))], [act("r")]) == {}
