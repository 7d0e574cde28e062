"""Weekly loads, CTL/ATL/TSB and ACWR (pure; no database). Every expected value is worked out by
hand in the test."""

import math
from datetime import date, timedelta

import pytest

from analytics.metrics.training import exponential_load, training_summary

MONDAY = date(2026, 11, 16)  # ISO week 47 of 2026: Monday 16 … Sunday 22 November
SUNDAY = date(2026, 11, 22)
K42 = 1 - math.exp(-1 / 42)  # 0.0235283…
K7 = 1 - math.exp(-1 / 7)  # 0.1331221…


def days_before(today: date, n: int) -> date:
    return today - timedelta(days=n)


class TestEmpty:
    def test_no_loads(self):
        assert training_summary({}, MONDAY) == {
            "current_week_load": 0.0,
            "four_week_avg_load": 0.0,
            "ctl": 0.0,
            "atl": 0.0,
            "tsb": 0.0,
            "acwr": None,
            "history_days": 0,
        }

    def test_zero_loads_are_no_loads(self):
        summary = training_summary({days_before(MONDAY, 3): 0.0}, MONDAY)
        assert summary["history_days"] == 0
        assert summary["acwr"] is None

    def test_only_future_loads_are_ignored(self):
        summary = training_summary({MONDAY + timedelta(days=1): 80.0}, MONDAY)
        assert summary["current_week_load"] == 0.0
        assert summary["ctl"] == 0.0
        assert summary["history_days"] == 0


class TestCtlAtl:
    def test_single_load_on_the_first_day(self):
        # Seeded at 0: ctl_1 = 0 + k42·(100 − 0) = 100 × 0.0235283 = 2.35283 → 2.4
        #              atl_1 = 100 × (1 − e^(−1/7)) = 100 × 0.1331221 = 13.31221 → 13.3
        # tsb = 2.4 − 13.3 = −10.9
        summary = training_summary({MONDAY: 100.0}, MONDAY)
        assert exponential_load({MONDAY: 100.0}, MONDAY, 42) == pytest.approx(2.35283, abs=1e-5)
        assert summary["ctl"] == 2.4
        assert summary["atl"] == 13.3
        assert summary["tsb"] == -10.9

    def test_then_two_days_without_load(self):
        # Day 3 (two empty days): ctl = 2.35283 × e^(−2/42) = 2.35283 × 0.953497 = 2.24342 → 2.2
        #                         atl = 13.31221 × e^(−2/7) = 13.31221 × 0.751477 = 10.00382 → 10.0
        today = MONDAY + timedelta(days=2)
        assert exponential_load({MONDAY: 100.0}, today, 42) == pytest.approx(100 * K42 * math.exp(-2 / 42))
        assert exponential_load({MONDAY: 100.0}, today, 42) == pytest.approx(2.24342, abs=1e-5)
        assert exponential_load({MONDAY: 100.0}, today, 7) == pytest.approx(10.00382, abs=1e-5)
        summary = training_summary({MONDAY: 100.0}, today)
        assert (summary["ctl"], summary["atl"], summary["tsb"]) == (2.2, 10.0, -7.8)

    def test_two_consecutive_loads(self):
        # Day 2: ctl = 2.35283 + k42·(50 − 2.35283) = 2.35283 + 0.0235283 × 47.64717 = 3.47389 → 3.5
        #        atl = 13.31221 + k7·(50 − 13.31221) = 13.31221 + 0.1331221 × 36.68779 = 18.19617 → 18.2
        loads = {MONDAY: 100.0, MONDAY + timedelta(days=1): 50.0}
        today = MONDAY + timedelta(days=1)
        assert exponential_load(loads, today, 42) == pytest.approx(3.47389, abs=1e-5)
        assert exponential_load(loads, today, 7) == pytest.approx(18.19617, abs=1e-5)
        summary = training_summary(loads, today)
        assert (summary["ctl"], summary["atl"], summary["tsb"]) == (3.5, 18.2, -14.7)

    def test_jumping_gaps_equals_walking_every_day(self):
        # The day-by-day recurrence of the docstring, walked naively from the first load to today.
        loads = {date(2026, 1, 5) + timedelta(days=3 * i + i % 2): 20.0 + 7 * (i % 5) for i in range(60)}
        today = date(2026, 9, 1)

        def walk(tau: float) -> float:
            k, value, day = 1 - math.exp(-1 / tau), 0.0, min(loads)
            while day <= today:
                value += k * (loads.get(day, 0.0) - value)
                day += timedelta(days=1)
            return value

        assert exponential_load(loads, today, 42) == pytest.approx(walk(42), rel=1e-9)
        assert exponential_load(loads, today, 7) == pytest.approx(walk(7), rel=1e-9)

    def test_loads_after_today_do_not_count(self):
        loads = {MONDAY: 100.0, MONDAY + timedelta(days=1): 500.0}
        assert training_summary(loads, MONDAY)["ctl"] == 2.4


class TestWeeks:
    def test_today_a_monday_counts_only_monday(self):
        # Sunday 15 Nov belongs to ISO week 46: not this week.
        loads = {MONDAY: 40.0, MONDAY - timedelta(days=1): 70.0}
        assert training_summary(loads, MONDAY)["current_week_load"] == 40.0

    def test_today_a_sunday_counts_monday_to_sunday(self):
        # 40 (Mon) + 25.5 (Thu) + 60 (Sun) = 125.5; the Sunday before Monday is last week.
        loads = {MONDAY: 40.0, MONDAY + timedelta(days=3): 25.5, SUNDAY: 60.0, MONDAY - timedelta(days=1): 70.0}
        assert training_summary(loads, SUNDAY)["current_week_load"] == 125.5

    def test_year_boundary_week(self):
        # ISO week 53 of 2026 runs Monday 2026-12-28 … Sunday 2027-01-03: 30 + 45 + 50 = 125.
        loads = {date(2026, 12, 27): 99.0, date(2026, 12, 28): 30.0, date(2026, 12, 31): 45.0, date(2027, 1, 3): 50.0}
        assert training_summary(loads, date(2027, 1, 3))["current_week_load"] == 125.0
        assert training_summary(loads, date(2027, 1, 1))["current_week_load"] == 75.0  # 30 + 45
        # Monday 2027-01-04 starts week 1 of 2027.
        assert training_summary(loads, date(2027, 1, 4))["current_week_load"] == 0.0

    def test_four_week_average_of_the_complete_weeks_before(self):
        # Weeks before Monday 16 Nov: 19–25 Oct, 26 Oct–1 Nov, 2–8 Nov, 9–15 Nov.
        loads = {
            date(2026, 10, 18): 1000.0,  # Sunday of the 5th week back: outside
            date(2026, 10, 19): 100.0,  # first day of the window
            date(2026, 10, 28): 150.0,
            date(2026, 11, 4): 60.0,
            date(2026, 11, 15): 90.0,  # last day of the window
            MONDAY: 500.0,  # current week: outside
        }
        # (100 + 150 + 60 + 90) / 4 = 400 / 4 = 100.0
        assert training_summary(loads, date(2026, 11, 18))["four_week_avg_load"] == 100.0

    def test_four_week_average_divides_by_four_even_with_less_history(self):
        # Only one of the four weeks has load: 90 / 4 = 22.5
        assert training_summary({date(2026, 11, 10): 90.0}, MONDAY)["four_week_avg_load"] == 22.5


class TestAcwr:
    def test_even_load_is_one(self):
        # 50 every day for 28 days: (350 / 7) / (1400 / 28) = 50 / 50 = 1.0
        loads = {days_before(MONDAY, n): 50.0 for n in range(28)}
        assert training_summary(loads, MONDAY)["acwr"] == 1.0

    def test_by_hand(self):
        # 10 a day on days −27 … −7 (21 days = 210), 30 a day on −6 … 0 (7 days = 210):
        # acute 210 / 7 = 30, chronic 420 / 28 = 15 → 2.0
        loads = {days_before(MONDAY, n): (30.0 if n < 7 else 10.0) for n in range(28)}
        assert training_summary(loads, MONDAY)["acwr"] == 2.0

    def test_rounded_to_two_decimals(self):
        # 100 today, 200 on day −20: (100 / 7) / (300 / 28) = 14.2857 / 10.7143 = 1.3333 → 1.33
        loads = {MONDAY: 100.0, days_before(MONDAY, 20): 200.0}
        assert training_summary(loads, MONDAY)["acwr"] == 1.33

    def test_window_edges(self):
        # Day −27 is inside the 28 days (acute 0 → 0.0), day −28 is not (28-day sum 0 → None).
        assert training_summary({days_before(MONDAY, 27): 80.0}, MONDAY)["acwr"] == 0.0
        assert training_summary({days_before(MONDAY, 28): 80.0}, MONDAY)["acwr"] is None
        # Day −6 is acute: (80 / 7) / (80 / 28) = 4.0; day −7 is only chronic: 0.0.
        assert training_summary({days_before(MONDAY, 6): 80.0}, MONDAY)["acwr"] == 4.0
        assert training_summary({days_before(MONDAY, 7): 80.0}, MONDAY)["acwr"] == 0.0


class TestHistoryDays:
    def test_counts_inclusive_from_the_first_load(self):
        # Loads on day −27 and today: 27 + 1 = 28 days of history.
        loads = {days_before(MONDAY, 27): 10.0, MONDAY: 10.0}
        assert training_summary(loads, MONDAY)["history_days"] == 28
        assert training_summary({MONDAY: 10.0}, MONDAY)["history_days"] == 1

    def test_rounding_of_loads(self):
        # 10.04 + 10.04 = 20.08 → 20.1
        loads = {MONDAY: 10.04, MONDAY + timedelta(days=1): 10.04}
        assert training_summary(loads, MONDAY + timedelta(days=1))["current_week_load"] == 20.1
