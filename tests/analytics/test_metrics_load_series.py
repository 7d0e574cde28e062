"""CTL/ATL/TSB series over plain dates (pure; no database)."""

import random
from datetime import date, timedelta

import pytest

from analytics.metrics.load_series import exponential_load_series, fitness_load_series
from analytics.metrics.training import exponential_load, training_summary

DAY1 = date(2026, 3, 27)


def days_from(first: date, count: int) -> list[date]:
    return [first + timedelta(days=n) for n in range(count)]


def test_one_load_then_nothing():
    # k42 = 1 − e^(−1/42) = 0.023528, k7 = 1 − e^(−1/7) = 0.133122
    # day 1: CTL = 100·k42 = 2.353 → 2.4; ATL = 100·k7 = 13.312 → 13.3; TSB = 2.4 − 13.3 = −10.9
    # day 2: CTL = 2.353·e^(−1/42) = 2.297 → 2.3; ATL = 13.312·e^(−1/7) = 11.540 → 11.5; TSB = −9.2
    # day 3: CTL = 2.353·e^(−2/42) = 2.243 → 2.2; ATL = 13.312·e^(−2/7) = 10.004 → 10.0; TSB = −7.8
    points = fitness_load_series({DAY1: 100.0}, days_from(DAY1, 3))
    assert points == [
        {"date": DAY1, "ctl": 2.4, "atl": 13.3, "tsb": -10.9},
        {"date": DAY1 + timedelta(days=1), "ctl": 2.3, "atl": 11.5, "tsb": -9.2},
        {"date": DAY1 + timedelta(days=2), "ctl": 2.2, "atl": 10.0, "tsb": -7.8},
    ]


def test_two_consecutive_loads():
    # day 2: CTL = 2.353 + k42·(50 − 2.353) = 3.474 → 3.5; ATL = 13.312 + k7·(50 − 13.312) = 18.196 → 18.2
    points = fitness_load_series({DAY1: 100.0, DAY1 + timedelta(days=1): 50.0}, [DAY1 + timedelta(days=1)])
    assert points == [{"date": DAY1 + timedelta(days=1), "ctl": 3.5, "atl": 18.2, "tsb": -14.7}]


def test_days_before_the_first_load_are_zero_and_later_loads_are_ignored():
    loads = {DAY1: 80.0, DAY1 + timedelta(days=10): 500.0}
    points = fitness_load_series(loads, days_from(DAY1 - timedelta(days=2), 3))
    assert [(p["ctl"], p["atl"], p["tsb"]) for p in points] == [(0.0, 0.0, 0.0), (0.0, 0.0, 0.0), (1.9, 10.6, -8.7)]
    # day 1: 80·k42 = 1.882 → 1.9, 80·k7 = 10.650 → 10.6 (the 500 ten days later is after the series)


def test_equals_exponential_load_on_every_day_exactly():
    rng = random.Random(7)
    loads = {DAY1 + timedelta(days=n): rng.choice([0, 0, 35.5, 80.0, 142.25]) for n in range(200)}
    days = days_from(DAY1 - timedelta(days=5), 220)
    for time_constant in (42, 7):
        series = exponential_load_series(loads, days, time_constant)
        assert series == [exponential_load(loads, day, time_constant) for day in days]


def test_last_point_matches_the_training_summary():
    rng = random.Random(11)
    loads = {DAY1 + timedelta(days=n): rng.uniform(0, 150) for n in range(120) if n % 3}
    today = DAY1 + timedelta(days=130)
    last = fitness_load_series(loads, days_from(today - timedelta(days=89), 90))[-1]
    summary = training_summary(loads, today)
    assert (last["ctl"], last["atl"], last["tsb"]) == (summary["ctl"], summary["atl"], summary["tsb"])


def test_gaps_between_days_are_allowed():
    loads = {DAY1: 100.0}
    days = [DAY1, DAY1 + timedelta(days=2)]
    assert exponential_load_series(loads, days, 42) == [exponential_load(loads, d, 42) for d in days]


def test_no_loads_and_no_days():
    assert fitness_load_series({}, days_from(DAY1, 2)) == [
        {"date": DAY1, "ctl": 0.0, "atl": 0.0, "tsb": 0.0},
        {"date": DAY1 + timedelta(days=1), "ctl": 0.0, "atl": 0.0, "tsb": 0.0},
    ]
    assert fitness_load_series({DAY1: 10.0}, []) == []


def test_days_must_ascend():
    with pytest.raises(ValueError, match="ascending"):
        exponential_load_series({}, [DAY1, DAY1], 42)
