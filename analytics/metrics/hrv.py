"""HRV against the athlete's own normal range (pure: plain dates and values, no clock).

The approach of Plews et al. (2012, 2013) and HRV4Training: judge daily rMSSD on its natural
logarithm against the athlete's own 60-day baseline (mean ± 1 SD of ln rMSSD), and read the trend
on a 7-day rolling mean rather than on single mornings.

`rmssd` maps local dates to that day's rMSSD (ms); days without a measurement are absent (or
None). Values ≤ 0 have no logarithm and are ignored everywhere (the API accepts 1–300 ms).
"""

import math
from datetime import date, timedelta
from statistics import fmean, stdev

BASELINE_DAYS = 60
BASELINE_MIN_DAYS = 14
ROLLING_DAYS = 7


def _window(rmssd: dict[date, float | None], day: date, length: int) -> list[float]:
    """The measurements of the `length` days ending on `day` (day − length + 1 … day)."""
    days = (day - timedelta(days=n) for n in range(length))
    return [value for value in (rmssd.get(d) for d in days) if value is not None and value > 0]


def hrv_rolling_mean(rmssd: dict[date, float | None], day: date) -> float | None:
    """Arithmetic mean rMSSD (ms) of the days of day−6 … day that have one, 1 decimal; None when
    none has. The same number as the snapshot's `hrv_avg` for that day."""
    values = _window(rmssd, day, ROLLING_DAYS)
    return round(fmean(values), 1) if values else None


def hrv_normal_range(rmssd: dict[date, float | None], day: date) -> tuple[float, float] | None:
    """(low, high) in ms, 1 decimal: exp(mean − SD), exp(mean + SD) of ln rMSSD over the days of
    day−59 … day (that day included) that have one; SD is the sample SD (n − 1). None with fewer
    than 14 such days."""
    logs = [math.log(value) for value in _window(rmssd, day, BASELINE_DAYS)]
    if len(logs) < BASELINE_MIN_DAYS:
        return None
    mean, sd = fmean(logs), stdev(logs)
    return round(math.exp(mean - sd), 1), round(math.exp(mean + sd), 1)


def hrv_point(rmssd: dict[date, float | None], day: date) -> dict:
    """{date, value, rolling_7d, baseline_low, baseline_high} of one day, all in ms: `value` the
    day's rMSSD as stored (None without one), the rest as in hrv_rolling_mean/hrv_normal_range."""
    band = hrv_normal_range(rmssd, day)
    value = rmssd.get(day)
    return {
        "date": day,
        "value": value if value is not None and value > 0 else None,
        "rolling_7d": hrv_rolling_mean(rmssd, day),
        "baseline_low": band[0] if band else None,
        "baseline_high": band[1] if band else None,
    }


def hrv_series(rmssd: dict[date, float | None], days: list[date]) -> list[dict]:
    """hrv_point for each of `days`, in their order. The windows reach back before the first day
    (59 days for the band), so `rmssd` should hold those days too."""
    return [hrv_point(rmssd, day) for day in days]
