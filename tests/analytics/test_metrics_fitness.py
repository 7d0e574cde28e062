"""Current fitness and wellness histories (pure; no database)."""

from datetime import date, timedelta

import pytest

from analytics.metrics.fitness import WellnessDay, fitness_current, wellness_history

TODAY = date(2026, 11, 21)


def day(n_back: int, **values) -> WellnessDay:
    return WellnessDay(date=TODAY - timedelta(days=n_back), **values)


def test_three_weeks_of_hrv_70_then_55():
    # 21 days ending today: HRV 70 on the first 14 (days −20 … −7), 55 on the last 7 (−6 … 0).
    # hrv_avg = mean(55 × 7) = 55.0; hrv_avg_prev (days −13 … −7) = mean(70 × 7) = 70.0
    days = [day(n, hrv=70 if n >= 7 else 55) for n in range(21)]
    current = fitness_current(days, TODAY)
    assert current["hrv_avg"] == 55.0
    assert current["hrv_avg_prev"] == 70.0


def test_empty():
    assert fitness_current([], TODAY) == {
        "vo2_max": None,
        "hrv_avg": None,
        "recovery_score": None,
        "vo2_max_prev": None,
        "hrv_avg_prev": None,
        "recovery_score_prev": None,
    }


def test_hrv_average_over_days_with_data_rounded():
    # Days −6, −3, 0 have HRV 60, 61, 61 (others none): 182 / 3 = 60.666… → 60.7.
    # Day −7 is outside the current window and is the only day of the previous one.
    days = [day(0, hrv=61), day(3, hrv=61), day(6, hrv=60), day(7, hrv=80), day(2, recovery_score=50)]
    current = fitness_current(days, TODAY)
    assert current["hrv_avg"] == 60.7
    assert current["hrv_avg_prev"] == 80.0


def test_previous_window_is_days_13_to_7():
    # Day −14 is outside the previous window ([−13, −7]): only 50 and 60 count → 55.0.
    days = [day(7, hrv=50), day(13, hrv=60), day(14, hrv=200)]
    assert fitness_current(days, TODAY)["hrv_avg_prev"] == 55.0
    assert fitness_current(days, TODAY)["hrv_avg"] is None


def test_latest_values_unsorted_and_future_ignored():
    days = [
        day(-1, vo2_max=60.0, recovery_score=99),  # tomorrow: ignored
        day(3, vo2_max=52.4),
        day(10, vo2_max=50.1, recovery_score=70),
        day(1, vo2_max=None, recovery_score=81),
        day(8, vo2_max=51.0),
        day(20, recovery_score=65),
    ]
    current = fitness_current(days, TODAY)
    assert current["vo2_max"] == 52.4  # day −3 is the latest with VO2max
    assert current["recovery_score"] == 81  # day −1, as stored (int)
    assert current["vo2_max_prev"] == 51.0  # latest on or before day −7: day −8
    assert current["recovery_score_prev"] == 70  # day −10


def test_prev_includes_exactly_seven_days_ago():
    days = [day(7, vo2_max=49.5, recovery_score=40), day(6, vo2_max=50.5, recovery_score=45)]
    current = fitness_current(days, TODAY)
    assert (current["vo2_max_prev"], current["recovery_score_prev"]) == (49.5, 40)
    assert (current["vo2_max"], current["recovery_score"]) == (50.5, 45)


def test_history_window_and_order():
    days = [day(0, hrv=61.5), day(29, hrv=58), day(30, hrv=99), day(-1, hrv=1), day(5, resting_heart_rate=48)]
    # 30 days = [today − 29, today]; day −30 and tomorrow are outside; days without HRV are skipped.
    assert wellness_history(days, "hrv", TODAY) == [
        {"date": "2026-10-23", "value": 58},
        {"date": "2026-11-21", "value": 61.5},
    ]
    assert wellness_history(days, "resting_heart_rate", TODAY, length=7) == [{"date": "2026-11-16", "value": 48}]
    assert wellness_history(days, "vo2_max", TODAY) == []


def test_history_unknown_field():
    with pytest.raises(ValueError, match="unknown wellness field"):
        wellness_history([], "date", TODAY)
