"""CTL/ATL/TSB as a daily series (pure: dates and loads in, numbers out).

The formulas are those of analytics.metrics.training (Banister's fitness/fatigue terms in the
exponentially weighted form of the TrainingPeaks Performance Manager): k = 1 − e^(−1/τ),
x_t = x_{t−1} + k·(load_t − x_{t−1}), τ = 42 days (CTL) and 7 days (ATL), seeded at 0 on the first
day with a load. The series is computed in one walk instead of one `exponential_load` call per
day, with the same floating-point steps, so each point equals `exponential_load(loads, day, τ)`.
"""

import math
from datetime import date

from analytics.metrics.training import ATL_DAYS, CTL_DAYS


def exponential_load_series(loads: dict[date, float], days: list[date], time_constant: float) -> list[float]:
    """`exponential_load(loads, day, time_constant)` for each of `days` (ascending local dates,
    gaps allowed), unrounded. Loads after the last day are ignored; days before the first load
    are 0.0."""
    if any(later <= earlier for earlier, later in zip(days, days[1:], strict=False)):
        raise ValueError("days must be strictly ascending")
    decay_per_day = math.exp(-1.0 / time_constant)
    k = 1.0 - decay_per_day
    load_days = sorted(day for day, load in loads.items() if load > 0 and days and day <= days[-1])
    values: list[float] = []
    value = 0.0
    previous: date | None = None
    next_load = 0
    for day in days:
        while next_load < len(load_days) and load_days[next_load] <= day:
            load_day = load_days[next_load]
            if previous is not None:
                value *= decay_per_day ** ((load_day - previous).days - 1)  # the empty days in between
            value += k * (loads[load_day] - value)
            previous = load_day
            next_load += 1
        values.append(value * decay_per_day ** (day - previous).days if previous is not None else 0.0)
    return values


def fitness_load_series(loads: dict[date, float], days: list[date]) -> list[dict]:
    """[{date, ctl, atl, tsb}] for each of `days` (ascending): CTL and ATL rounded to 1 decimal,
    TSB = CTL − ATL from the two rounded values (as in `training_summary`, so the three shown
    numbers agree). `date` stays a `date`."""
    ctl = exponential_load_series(loads, days, CTL_DAYS)
    atl = exponential_load_series(loads, days, ATL_DAYS)
    points = []
    for day, chronic, acute in zip(days, ctl, atl, strict=True):
        chronic, acute = round(chronic, 1), round(acute, 1)
        points.append({"date": day, "ctl": chronic, "atl": acute, "tsb": round(chronic - acute, 1)})
    return points
