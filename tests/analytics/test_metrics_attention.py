"""Attention flags and their thresholds, each tested just below and just at/above (pure)."""

from datetime import date, timedelta

import pytest

from analytics.metrics.attention import attention_flags
from analytics.metrics.fitness import WellnessDay, fitness_current

TODAY = date(2026, 11, 21)
RAN_TODAY = TODAY


def flags(current=None, *, acwr=None, history_days=0, last_run_date=RAN_TODAY):
    return attention_flags(
        current=current or {}, acwr=acwr, history_days=history_days, last_run_date=last_run_date, today=TODAY
    )


def codes(result):
    return [flag["code"] for flag in result]


class TestHrvDrop:
    def test_three_weeks_scenario_end_to_end(self):
        # HRV 70 on days −20 … −7, 55 on −6 … 0: 55.0 vs 70.0, (55 − 70) / 70 = −21.43 % → critical.
        days = [WellnessDay(date=TODAY - timedelta(days=n), hrv=70 if n >= 7 else 55) for n in range(21)]
        (flag,) = flags(fitness_current(days, TODAY))
        assert flag == {
            "code": "HRV_DROP",
            "severity": "critical",
            "metric": "hrv_avg",
            "value": 55.0,
            "previous": 70.0,
            "change_pct": -21.4,
            "message": "HRV 7-day average 55 ms, down 21.4 % from 70 ms",
        }
        assert "55" in flag["message"]
        assert "70" in flag["message"]

    @pytest.mark.parametrize(
        ("hrv_avg", "expected"),
        [
            (90.1, None),  # (90.1 − 100) / 100 = −9.9 %
            (90.0, ("warning", -10.0)),  # −10.0 %
            (80.1, ("warning", -19.9)),  # −19.9 %
            (80.0, ("critical", -20.0)),  # −20.0 %
            (110.0, None),  # a rise is not a drop
        ],
    )
    def test_thresholds(self, hrv_avg, expected):
        result = flags({"hrv_avg": hrv_avg, "hrv_avg_prev": 100.0})
        if expected is None:
            assert result == []
        else:
            (flag,) = result
            assert (flag["severity"], flag["change_pct"]) == expected

    def test_ten_percent_despite_float_noise(self):
        # 44.1 vs 49: 4.9 / 49 = 10 % exactly, but floating point gives −9.999999999999998: the
        # change is judged as shown, −10.0 %, so it is flagged.
        assert (44.1 - 49) / 49 * 100 > -10
        (flag,) = flags({"hrv_avg": 44.1, "hrv_avg_prev": 49.0})
        assert (flag["severity"], flag["change_pct"]) == ("warning", -10.0)
        assert flag["message"] == "HRV 7-day average 44.1 ms, down 10.0 % from 49 ms"

    def test_decimal_values_in_message(self):
        # (52.5 − 66.2) / 66.2 = −13.7 / 66.2 = −20.69 % → −20.7, critical
        (flag,) = flags({"hrv_avg": 52.5, "hrv_avg_prev": 66.2})
        assert flag["message"] == "HRV 7-day average 52.5 ms, down 20.7 % from 66.2 ms"
        assert flag["severity"] == "critical"

    def test_missing_values_raise_nothing(self):
        assert flags({"hrv_avg": 40.0, "hrv_avg_prev": None}) == []
        assert flags({"hrv_avg": None, "hrv_avg_prev": 70.0}) == []


class TestRecoveryDrop:
    @pytest.mark.parametrize(
        ("current", "expected"),
        [
            (66, None),  # 80 − 66 = 14 points
            (65, ("warning", -18.8)),  # 15 points; −15 / 80 = −18.75 % → −18.8
            (51, ("warning", -36.2)),  # 29 points; −29 / 80 = −36.25 % → −36.2
            (50, ("critical", -37.5)),  # 30 points; −30 / 80 = −37.5 %
        ],
    )
    def test_thresholds(self, current, expected):
        result = flags({"recovery_score": current, "recovery_score_prev": 80})
        if expected is None:
            assert result == []
        else:
            (flag,) = result
            assert (flag["code"], flag["metric"]) == ("RECOVERY_DROP", "recovery_score")
            assert (flag["severity"], flag["change_pct"]) == expected

    def test_message(self):
        # 80 − 58 = 22 points; −22 / 80 = −27.5 %
        (flag,) = flags({"recovery_score": 58, "recovery_score_prev": 80})
        assert flag["message"] == "Recovery score 58, down 22 points from 80"
        assert (flag["value"], flag["previous"], flag["change_pct"]) == (58, 80, -27.5)

    def test_missing_previous(self):
        assert flags({"recovery_score": 10, "recovery_score_prev": None}) == []


class TestVo2maxChange:
    @pytest.mark.parametrize(
        ("current", "expected"),
        [
            (51.6, None),  # 53.5 − 51.6 = 1.9 down
            (51.5, "warning"),  # 2.0 down
            (55.4, None),  # 1.9 up
            (55.5, "info"),  # 2.0 up
        ],
    )
    def test_thresholds_either_way(self, current, expected):
        result = flags({"vo2_max": current, "vo2_max_prev": 53.5})
        assert [flag["severity"] for flag in result] == ([expected] if expected else [])

    def test_message_down(self):
        # 51.0 − 53.5 = −2.5; −2.5 / 53.5 = −4.67 % → −4.7
        (flag,) = flags({"vo2_max": 51.0, "vo2_max_prev": 53.5})
        assert flag["message"] == "VO2max 51.0, down 2.5 from 53.5 ml/kg/min"
        assert (flag["code"], flag["metric"], flag["change_pct"]) == ("VO2MAX_CHANGE", "vo2_max", -4.7)

    def test_message_up_despite_float_noise(self):
        # 32.8 − 30.8 is 1.9999999999999964 in floating point; it is shown and judged as 2.0.
        # +2.0 / 30.8 = +6.49 % → 6.5
        assert 32.8 - 30.8 < 2.0
        (flag,) = flags({"vo2_max": 32.8, "vo2_max_prev": 30.8})
        assert flag["message"] == "VO2max 32.8, up 2.0 from 30.8 ml/kg/min"
        assert (flag["severity"], flag["change_pct"]) == ("info", 6.5)
        (flag,) = flags({"vo2_max": 30.8, "vo2_max_prev": 32.8})  # and the same fall
        assert (flag["severity"], flag["message"]) == ("warning", "VO2max 30.8, down 2.0 from 32.8 ml/kg/min")


class TestNoRecentRun:
    def test_run_six_days_ago_is_recent(self):
        assert flags(last_run_date=TODAY - timedelta(days=6)) == []

    def test_run_seven_days_ago_is_not(self):
        (flag,) = flags(last_run_date=TODAY - timedelta(days=7))
        assert flag == {
            "code": "NO_RECENT_RUN",
            "severity": "warning",
            "metric": "last_run",
            "value": 7,
            "previous": None,
            "change_pct": None,
            "message": "No run in the last 7 days (last run 2026-11-14)",
        }

    def test_nine_days(self):
        (flag,) = flags(last_run_date=date(2026, 11, 12))
        assert flag["message"] == "No run in the last 9 days (last run 2026-11-12)"

    def test_never(self):
        (flag,) = flags(last_run_date=None)
        assert (flag["value"], flag["message"]) == (None, "No run logged yet")


class TestLoadSpike:
    @pytest.mark.parametrize(
        ("acwr", "history_days", "expected"),
        [
            (1.50, 40, None),  # not > 1.5
            (1.51, 40, "warning"),
            (1.51, 27, None),  # too little history
            (1.51, 28, "warning"),
            (2.00, 40, "warning"),  # not > 2.0
            (2.01, 40, "critical"),
            (None, 40, None),
        ],
    )
    def test_thresholds(self, acwr, history_days, expected):
        result = flags(acwr=acwr, history_days=history_days)
        assert [flag["severity"] for flag in result] == ([expected] if expected else [])

    def test_messages(self):
        (flag,) = flags(acwr=1.72, history_days=60)
        assert flag["message"] == "Acute:chronic load ratio 1.72 (7-day load well above the 28-day average)"
        assert (flag["metric"], flag["value"], flag["previous"], flag["change_pct"]) == ("acwr", 1.72, None, None)
        (flag,) = flags(acwr=2.3, history_days=60)
        assert flag["message"] == "Acute:chronic load ratio 2.30 (7-day load more than double the 28-day average)"


def test_all_flags_in_order():
    current = {
        "hrv_avg": 55.0,
        "hrv_avg_prev": 70.0,
        "recovery_score": 50,
        "recovery_score_prev": 80,
        "vo2_max": 50.0,
        "vo2_max_prev": 53.0,
    }
    result = flags(current, acwr=1.8, history_days=90, last_run_date=None)
    assert codes(result) == ["HRV_DROP", "RECOVERY_DROP", "VO2MAX_CHANGE", "NO_RECENT_RUN", "LOAD_SPIKE"]


def test_missing_keys_raise_nothing_but_no_run():
    assert flags({}) == []
    assert codes(flags({}, last_run_date=None)) == ["NO_RECENT_RUN"]
