"""Attention signals: flags that surface athletes who may need a coach's attention.

Each flag is `{code, severity, metric, value, previous, change_pct, message}`; `change_pct` is
the percent change from `previous` (1 decimal, negative for a drop) or None where there is no
previous measurement (NO_RECENT_RUN, LOAD_SPIKE).

Thresholds are compared on the numbers the flag shows: the HRV change on its percentage rounded
to 1 decimal, the recovery and VO2max differences rounded to 1 decimal. So a message that says
"down 10.0 %" is always a flag, and float noise (55.1 − 53.1 = 1.99999…) never hides one.
"""

from datetime import date

HRV_DROP_WARNING_PCT = 10.0
HRV_DROP_CRITICAL_PCT = 20.0
RECOVERY_DROP_POINTS = 15.0
RECOVERY_DROP_CRITICAL_POINTS = 30.0
VO2MAX_CHANGE_POINTS = 2.0
NO_RUN_DAYS = 7
ACWR_SPIKE = 1.5
ACWR_CRITICAL = 2.0
ACWR_MIN_HISTORY_DAYS = 28


def _number(value: float) -> str:
    """55.0 → "55", 55.25 → "55.3": whole numbers without a decimal, others with one."""
    rounded = round(float(value), 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def _change_pct(value: float, previous: float) -> float | None:
    return round((value - previous) / previous * 100.0, 1) if previous else None


def _flag(code, severity, metric, value, previous, change_pct, message) -> dict:
    return {
        "code": code,
        "severity": severity,
        "metric": metric,
        "value": value,
        "previous": previous,
        "change_pct": change_pct,
        "message": message,
    }


def _hrv_drop(current: dict) -> dict | None:
    value, previous = current.get("hrv_avg"), current.get("hrv_avg_prev")
    if value is None or not previous or previous <= 0:
        return None
    change = _change_pct(value, previous)
    if -change < HRV_DROP_WARNING_PCT:
        return None
    severity = "critical" if -change >= HRV_DROP_CRITICAL_PCT else "warning"
    message = f"HRV 7-day average {_number(value)} ms, down {-change:.1f} % from {_number(previous)} ms"
    return _flag("HRV_DROP", severity, "hrv_avg", value, previous, change, message)


def _hrv_below_baseline(hrv: dict | None) -> dict | None:
    hrv = hrv or {}
    value, low, high = hrv.get("rolling_7d"), hrv.get("baseline_low"), hrv.get("baseline_high")
    if value is None or low is None or high is None or value >= low:
        return None
    message = f"HRV 7-day average {_number(value)} ms, below the normal range {_number(low)}–{_number(high)} ms"
    return _flag("HRV_BELOW_BASELINE", "warning", "hrv_avg", value, low, _change_pct(value, low), message)


def _recovery_drop(current: dict) -> dict | None:
    value, previous = current.get("recovery_score"), current.get("recovery_score_prev")
    if value is None or previous is None:
        return None
    drop = round(previous - value, 1)
    if drop < RECOVERY_DROP_POINTS:
        return None
    severity = "critical" if drop >= RECOVERY_DROP_CRITICAL_POINTS else "warning"
    message = f"Recovery score {_number(value)}, down {_number(drop)} points from {_number(previous)}"
    return _flag("RECOVERY_DROP", severity, "recovery_score", value, previous, _change_pct(value, previous), message)


def _vo2max_change(current: dict) -> dict | None:
    value, previous = current.get("vo2_max"), current.get("vo2_max_prev")
    if value is None or previous is None:
        return None
    change = round(value - previous, 1)
    if abs(change) < VO2MAX_CHANGE_POINTS:
        return None
    direction, severity = ("down", "warning") if change < 0 else ("up", "info")
    message = f"VO2max {value:.1f}, {direction} {abs(change):.1f} from {previous:.1f} ml/kg/min"
    return _flag("VO2MAX_CHANGE", severity, "vo2_max", value, previous, _change_pct(value, previous), message)


def _no_recent_run(last_run_date: date | None, today: date) -> dict | None:
    if last_run_date is None:
        return _flag("NO_RECENT_RUN", "warning", "last_run", None, None, None, "No run logged yet")
    days_since = (today - last_run_date).days
    if days_since < NO_RUN_DAYS:  # a run on today−6 … today (or a future-dated one) is recent
        return None
    message = f"No run in the last {days_since} days (last run {last_run_date.isoformat()})"
    return _flag("NO_RECENT_RUN", "warning", "last_run", days_since, None, None, message)


def _load_spike(acwr: float | None, history_days: int) -> dict | None:
    if acwr is None or acwr <= ACWR_SPIKE or history_days < ACWR_MIN_HISTORY_DAYS:
        return None
    if acwr > ACWR_CRITICAL:
        severity, reading = "critical", "7-day load more than double the 28-day average"
    else:
        severity, reading = "warning", "7-day load well above the 28-day average"
    message = f"Acute:chronic load ratio {acwr:.2f} ({reading})"
    return _flag("LOAD_SPIKE", severity, "acwr", acwr, None, None, message)


def attention_flags(
    *,
    current: dict,
    acwr: float | None,
    history_days: int,
    last_run_date: date | None,
    today: date,
    hrv: dict | None = None,
) -> list[dict]:
    """Flags `[{code, severity, metric, value, previous, change_pct, message}]`, in this order:

    - HRV_DROP (metric "hrv_avg"): hrv_avg down ≥ 10 % from hrv_avg_prev → "warning", ≥ 20 % →
      "critical"; change_pct negative, 1 decimal. Message e.g.
      "HRV 7-day average 55 ms, down 21.4 % from 70 ms".
    - HRV_BELOW_BASELINE ("hrv_avg"): the 7-day mean rMSSD below the low edge of the 60-day normal
      range (`hrv` is hrv.hrv_point of today: rolling_7d < baseline_low, both as shown, 1 decimal)
      → "warning"; value the 7-day mean, previous the low edge, change_pct the percent from it.
      Message e.g. "HRV 7-day average 48 ms, below the normal range 52.3–68.1 ms".
    - RECOVERY_DROP ("recovery_score"): prev − current ≥ 15 points → "warning" (≥ 30 → "critical").
      change_pct is the percent change from prev. Message e.g.
      "Recovery score 58, down 22 points from 80".
    - VO2MAX_CHANGE ("vo2_max"): |current − prev| ≥ 2.0 → "warning" when it fell, "info" when it rose;
      change_pct the percent change. Message e.g. "VO2max 51.0, down 2.5 from 53.5 ml/kg/min"
      (or "up").
    - NO_RECENT_RUN ("last_run"): no run on any local day in [today−6, today]: "warning"; value is
      the days since the last run (None if never), previous None, change_pct None. Message
      "No run in the last 9 days (last run 2026-11-12)" or "No run logged yet".
    - LOAD_SPIKE ("acwr"): acwr > 1.5 and history_days ≥ 28 → "warning" (> 2.0 → "critical");
      value is the acwr, previous and change_pct None. Message e.g.
      "Acute:chronic load ratio 1.72 (7-day load well above the 28-day average)".
    `current` is the dict of fitness.fitness_current. Missing values never raise a flag (except
    NO_RECENT_RUN). Thresholds are inclusive as written ("≥"), strict for "> 1.5" and "> 2.0".
    """
    candidates = (
        _hrv_drop(current),
        _hrv_below_baseline(hrv),
        _recovery_drop(current),
        _vo2max_change(current),
        _no_recent_run(last_run_date, today),
        _load_spike(acwr, history_days),
    )
    return [flag for flag in candidates if flag is not None]
