"""Current fitness from daily wellness: latest VO2max and recovery, 7-day HRV average, each also
as of 7 days earlier, and 30-day histories.

`days` is a plain list in any order; entries dated after `today` are ignored. Dates are the
athlete's local dates (wellness is recorded per local day).
"""

from dataclasses import dataclass, fields
from datetime import date, timedelta

HRV_WINDOW_DAYS = 7
PREVIOUS_OFFSET_DAYS = 7


@dataclass(frozen=True)
class WellnessDay:
    date: date
    resting_heart_rate: float | None = None
    hrv: float | None = None
    vo2_max: float | None = None
    recovery_score: float | None = None


WELLNESS_FIELDS = frozenset(f.name for f in fields(WellnessDay)) - {"date"}


def _latest(days: list[WellnessDay], field: str, as_of: date) -> float | None:
    """The value of the latest day on or before `as_of` that has `field` (as stored)."""
    best: WellnessDay | None = None
    for day in days:
        if getattr(day, field) is not None and day.date <= as_of and (best is None or day.date >= best.date):
            best = day
    return None if best is None else getattr(best, field)


def _hrv_average(days: list[WellnessDay], as_of: date) -> float | None:
    """Mean HRV (ms) of the days in [as_of − 6, as_of] that have HRV, 1 decimal; None if none."""
    first = as_of - timedelta(days=HRV_WINDOW_DAYS - 1)
    values = [day.hrv for day in days if day.hrv is not None and first <= day.date <= as_of]
    return round(sum(values) / len(values), 1) if values else None


def fitness_current(days: list[WellnessDay], today: date) -> dict:
    """Return {vo2_max, hrv_avg, recovery_score, vo2_max_prev, hrv_avg_prev, recovery_score_prev}.

    - vo2_max / recovery_score: the latest value on or before `today` (None if never), as stored
      (no rounding, no staleness limit).
    - hrv_avg: mean HRV over the days in [today−6, today] that have HRV (None if none), 1 decimal.
    - *_prev: the same measure computed as of `today − 7` (so hrv_avg_prev covers
      [today−13, today−7], and vo2_max_prev is the latest value on or before today−7).
    """
    previous = today - timedelta(days=PREVIOUS_OFFSET_DAYS)
    return {
        "vo2_max": _latest(days, "vo2_max", today),
        "hrv_avg": _hrv_average(days, today),
        "recovery_score": _latest(days, "recovery_score", today),
        "vo2_max_prev": _latest(days, "vo2_max", previous),
        "hrv_avg_prev": _hrv_average(days, previous),
        "recovery_score_prev": _latest(days, "recovery_score", previous),
    }


def wellness_history(days: list[WellnessDay], field: str, today: date, length: int = 30) -> list[dict]:
    """[{date: "YYYY-MM-DD", value}] for the days in [today−length+1, today] that have `field`,
    oldest first; values as stored. `field` is one of resting_heart_rate, hrv, vo2_max,
    recovery_score (anything else is a ValueError)."""
    if field not in WELLNESS_FIELDS:
        raise ValueError(f"unknown wellness field {field!r}")
    first = today - timedelta(days=length - 1)
    chosen = sorted(
        (day for day in days if getattr(day, field) is not None and first <= day.date <= today),
        key=lambda day: day.date,
    )
    return [{"date": day.date.isoformat(), "value": getattr(day, field)} for day in chosen]
