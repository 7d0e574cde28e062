"""HRV against the athlete's own normal range (pure): the 60-day band of ln rMSSD with its sample
SD, the 7-day rolling mean, and the HRV_BELOW_BASELINE flag. Expected values are computed by
hand in each test (ln, mean and SD written out), never by the module under test."""

import math
from datetime import date, timedelta

import pytest

from analytics.metrics.attention import attention_flags
from analytics.metrics.hrv import (
    BASELINE_DAYS,
    hrv_normal_range,
    hrv_point,
    hrv_rolling_mean,
    hrv_series,
)
from analytics.metrics.snapshot import WELLNESS_HISTORY_DAYS

TODAY = date(2026, 11, 21)


def d(n: int) -> date:
    return TODAY - timedelta(days=n)


def by_hand_band(values: list[float]) -> tuple[float, float]:
    """exp(mean ± sample SD) of ln values, spelled out."""
    logs = [math.log(v) for v in values]
    mean = sum(logs) / len(logs)
    sd = math.sqrt(sum((x - mean) ** 2 for x in logs) / (len(logs) - 1))
    return round(math.exp(mean - sd), 1), round(math.exp(mean + sd), 1)


# 7 mornings at 50 ms, then 7 at 80 ms (today−13 … today).
FOURTEEN = {d(n): 50.0 if n >= 7 else 80.0 for n in range(14)}


class TestNormalRange:
    def test_fourteen_days_by_hand(self):
        # ln 50 = 3.912023, ln 80 = 4.382027; mean = 4.147025 (= ln √4000 = ln 63.2456).
        # Every deviation is ±0.235002; Σ² = 14 · 0.055226 = 0.773161; sample variance ÷ 13 =
        # 0.059474; SD = 0.243873. exp(4.147025 − 0.243873) = 49.558 → 49.6;
        # exp(4.147025 + 0.243873) = 80.713 → 80.7.
        assert hrv_normal_range(FOURTEEN, TODAY) == (49.6, 80.7)
        assert by_hand_band(list(FOURTEEN.values())) == (49.6, 80.7)

    def test_the_sd_is_the_sample_sd(self):
        # The population SD (÷ 14) would be exactly 0.235002 and give the band 50.0–80.0.
        low, high = hrv_normal_range(FOURTEEN, TODAY)
        assert (low, high) != (50.0, 80.0)
        assert low < 50.0 and high > 80.0

    def test_thirteen_days_are_not_enough(self):
        thirteen = {day: value for day, value in FOURTEEN.items() if day != d(13)}
        assert hrv_normal_range(thirteen, TODAY) is None

    def test_days_without_a_measurement_do_not_count(self):
        # 13 measurements spread over 60 days, plus None, 0 and a negative value: still 13.
        spread = {d(4 * n): 60.0 + n for n in range(13)}
        spread.update({d(1): None, d(2): 0.0, d(3): -5.0})
        assert hrv_normal_range(spread, TODAY) is None
        spread[d(59)] = 60.0  # the 14th
        assert hrv_normal_range(spread, TODAY) is not None

    def test_the_sixty_days_end_on_that_day_and_include_it(self):
        # 14 measurements on today−59 … today−46: the 60 days ending today hold them all.
        old = {d(59 - n): (50.0 if n % 2 else 80.0) for n in range(14)}
        assert hrv_normal_range(old, TODAY) == by_hand_band(list(old.values())) == (49.6, 80.7)
        # One day later, today−59 falls out (the window is day−59 … day): 13 left.
        assert hrv_normal_range(old, TODAY + timedelta(days=1)) is None
        # The day itself counts: 13 days before today plus today make 14.
        with_today = {**{d(n): 70.0 for n in range(1, 14)}, TODAY: 35.0}
        assert hrv_normal_range(with_today, TODAY) == by_hand_band([70.0] * 13 + [35.0])
        # Days after the day never count.
        assert hrv_normal_range(with_today, d(1)) is None

    def test_a_steady_athlete_has_a_band_of_zero_width(self):
        steady = {d(n): 62.0 for n in range(20)}
        assert hrv_normal_range(steady, TODAY) == (62.0, 62.0)

    def test_the_snapshot_reads_enough_wellness_for_the_band(self):
        assert WELLNESS_HISTORY_DAYS >= BASELINE_DAYS


class TestRollingMean:
    def test_mean_of_the_days_with_data_of_the_last_seven(self):
        days = {d(7): 100.0, d(6): 40.0, d(3): 50.0, d(2): None, TODAY: 63.0}
        # today−6 … today: 40, 50, 63 → 153 / 3 = 51.0 (the 100 of today−7 is out).
        assert hrv_rolling_mean(days, TODAY) == 51.0
        # today−1: today−7 … today−1 → (100 + 40 + 50) / 3 = 63.33 → 63.3.
        assert hrv_rolling_mean(days, d(1)) == 63.3

    def test_none_without_data(self):
        assert hrv_rolling_mean({d(7): 60.0}, TODAY) is None
        assert hrv_rolling_mean({}, TODAY) is None


class TestPointAndSeries:
    def test_point_of_a_day_without_a_measurement(self):
        days = {**FOURTEEN}
        del days[TODAY]
        point = hrv_point(days, TODAY)
        # today−6 … today−1 are 80 ms; the band has 13 days only.
        assert point == {"date": TODAY, "value": None, "rolling_7d": 80.0, "baseline_low": None, "baseline_high": None}

    def test_series_in_order(self):
        series = hrv_series(FOURTEEN, [d(1), TODAY])
        assert [p["date"] for p in series] == [d(1), TODAY]
        # today−1: 7 days at 50 (today−13 … today−7) and 6 at 80: 13 measurements, no band;
        # its 7 days today−7 … today−1: (50 + 6 · 80) / 7 = 75.71 → 75.7.
        assert (series[0]["value"], series[0]["rolling_7d"], series[0]["baseline_low"]) == (80.0, 75.7, None)
        assert (series[1]["rolling_7d"], series[1]["baseline_low"], series[1]["baseline_high"]) == (80.0, 49.6, 80.7)


def flags_with(hrv: dict | None) -> list[dict]:
    return attention_flags(current={}, acwr=None, history_days=0, last_run_date=TODAY, today=TODAY, hrv=hrv)


class TestBelowBaselineFlag:
    def test_a_week_below_the_band_is_flagged(self):
        # 7 days each at 50, 80 and then 35 ms (today−20 … today). ln 35 = 3.555348;
        # mean = (3.912023 + 4.382027 + 3.555348) / 3 = 3.949799; deviations −0.037776, 0.432228,
        # −0.394451: Σ² = 7 · (0.001427 + 0.186821 + 0.155592) = 2.406882; ÷ 20 = 0.120344;
        # SD = 0.346906. Band exp(3.602893) = 36.7 … exp(4.296705) = 73.5; the 7-day mean 35.0 < 36.7.
        days = {d(n): (50.0, 80.0, 35.0)[2 - n // 7] for n in range(21)}
        assert by_hand_band(list(days.values())) == (36.7, 73.5)
        (flag,) = flags_with(hrv_point(days, TODAY))
        assert flag == {
            "code": "HRV_BELOW_BASELINE",
            "severity": "warning",
            "metric": "hrv_avg",
            "value": 35.0,
            "previous": 36.7,
            "change_pct": -4.6,  # (35 − 36.7) / 36.7 = −4.63 %
            "message": "HRV 7-day average 35 ms, below the normal range 36.7–73.5 ms",
        }

    @pytest.mark.parametrize(
        ("rolling_7d", "raised"),
        [(52.2, True), (52.3, False), (60.0, False), (90.0, False)],  # at the low edge is inside the band
    )
    def test_threshold_on_the_shown_numbers(self, rolling_7d, raised):
        hrv = {"rolling_7d": rolling_7d, "baseline_low": 52.3, "baseline_high": 68.1}
        assert [f["code"] for f in flags_with(hrv)] == (["HRV_BELOW_BASELINE"] if raised else [])

    @pytest.mark.parametrize(
        "hrv",
        [
            None,
            {"rolling_7d": None, "baseline_low": 52.3, "baseline_high": 68.1},  # no HRV this week
            {"rolling_7d": 30.0, "baseline_low": None, "baseline_high": None},  # fewer than 14 days
        ],
    )
    def test_not_raised_without_both_numbers(self, hrv):
        assert flags_with(hrv) == []

    def test_thirteen_low_days_raise_nothing(self):
        days = {d(n): 20.0 if n < 7 else 80.0 for n in range(13)}
        assert flags_with(hrv_point(days, TODAY)) == []

    def test_listed_right_after_hrv_drop(self):
        current = {"hrv_avg": 35.0, "hrv_avg_prev": 80.0}
        hrv = {"rolling_7d": 35.0, "baseline_low": 36.7, "baseline_high": 73.5}
        result = attention_flags(current=current, acwr=None, history_days=0, last_run_date=d(9), today=TODAY, hrv=hrv)
        assert [f["code"] for f in result] == ["HRV_DROP", "HRV_BELOW_BASELINE", "NO_RECENT_RUN"]
