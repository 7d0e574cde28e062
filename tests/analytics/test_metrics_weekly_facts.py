"""The numbers of the weekly summary: the week so far against the same days of the 4 weeks before
(pure; no database)."""

from datetime import date, timedelta

from analytics.insight_backends import TemplateInsightsBackend
from analytics.metrics.snapshot import DayTotals, weekly_facts

TUESDAY = date(2026, 11, 17)  # the ISO week began Monday 2026-11-16
MONDAY = date(2026, 11, 16)


def run(km: float, load: float) -> DayTotals:
    return DayTotals(load=load, run_distance=km * 1000, run_duration=km * 300, runs=1)


def plan_weeks() -> dict[date, DayTotals]:
    """An athlete on plan: each of the 4 weeks before runs Tue 8 km, Thu 10 km, Sat 12 km and
    Sun 20 km (50 km), and this week's Tuesday 8 km is done."""
    days = {}
    for weeks_back in range(1, 5):
        monday = MONDAY - timedelta(weeks=weeks_back)
        for offset, km in ((1, 8.0), (3, 10.0), (5, 12.0), (6, 20.0)):
            days[monday + timedelta(days=offset)] = run(km, load=km * 10)
    days[TUESDAY] = run(8.0, load=80.0)
    # Five weeks back: outside the 4 weeks, ignored.
    days[MONDAY - timedelta(weeks=5)] = run(30.0, load=300.0)
    return days


def test_a_tuesday_on_plan_is_in_line_with_the_same_days_before():
    facts = weekly_facts(plan_weeks(), TUESDAY, {"current_week_load": 80.0}, [])
    # Monday–Tuesday of each previous week: 0 + 8 km, load 80 → average 8.0 km and 80.
    assert facts == {
        "week_start": MONDAY,
        "days_into_week": 2,
        "week_distance_km": 8.0,
        "week_runs": 1,
        "week_load": 80.0,
        "same_days_avg_distance_km": 8.0,
        "same_days_avg_load": 80.0,
        "longest_run_km": None,
    }
    # The whole-week average (50 km) would have read "84 % below"; like with like it is in line.
    assert TemplateInsightsBackend().weekly_summary(**facts) == (
        "8.0 km over 1 run this week, in line with your 4-week average for Monday–Tuesday of 8.0 km; "
        "load 80 vs 80 on average."
    )


def test_sunday_compares_whole_weeks():
    days = plan_weeks()
    sunday = MONDAY + timedelta(days=6)
    days[sunday] = run(30.0, load=300.0)
    facts = weekly_facts(days, sunday, {"current_week_load": 380.0}, [])
    # Whole weeks: 50 km and load 500 each → (38 − 50) / 50 = −24 %.
    assert (facts["days_into_week"], facts["same_days_avg_distance_km"], facts["same_days_avg_load"]) == (
        7,
        50.0,
        500.0,
    )
    assert (
        TemplateInsightsBackend()
        .weekly_summary(**facts)
        .startswith("38.0 km over 2 runs this week, 24 % below your 4-week average of 50.0 km;")
    )


def test_thursday_counts_monday_to_thursday_of_each_week():
    thursday = MONDAY + timedelta(days=3)
    facts = weekly_facts(plan_weeks(), thursday, {"current_week_load": 80.0}, [])
    # Mon–Thu of each week before: 8 + 10 = 18 km, load 180.
    assert (facts["days_into_week"], facts["same_days_avg_distance_km"], facts["same_days_avg_load"]) == (
        4,
        18.0,
        180.0,
    )
