"""Training-load summary: weekly loads, CTL/ATL/TSB and ACWR from daily loads.

Input is a plain mapping of local date → summed training load of that day (days without
activities may be absent = 0). `today` is the athlete's local date; loads dated after `today`
are ignored.

CTL/ATL are Banister's impulse-response fitness and fatigue terms in the exponentially weighted
form of the TrainingPeaks Performance Manager (Banister et al. 1975; Coggan, "Training and Racing
with a Power Meter"): with k = 1 − e^(−1/τ),

    x_t = x_{t−1} + k·(load_t − x_{t−1})      τ = 42 days (CTL), 7 days (ATL)

ACWR is the rolling-average acute:chronic workload ratio (Hulin et al. 2014; Gabbett 2016,
Br J Sports Med 50:273): mean daily load of the last 7 days ÷ that of the last 28 days.
"""

import math
from datetime import date, timedelta

CTL_DAYS = 42
ATL_DAYS = 7
ACUTE_DAYS = 7
CHRONIC_DAYS = 28
AVERAGE_WEEKS = 4


def _iso_week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def same_days_of_previous_weeks(day: date, today: date, weeks: int) -> bool:
    """True when `day` is one of the weekdays Monday … today's weekday of the `weeks` ISO weeks
    before today's: what a week so far is compared with, like with like (on a Tuesday, the
    Mondays and Tuesdays of those weeks)."""
    monday = _iso_week_start(today)
    return day < monday and (monday - day).days <= 7 * weeks and day.weekday() <= today.weekday()


def _sum_between(loads: dict[date, float], first: date, last: date) -> float:
    return sum(load for day, load in loads.items() if first <= day <= last)


def exponential_load(loads: dict[date, float], today: date, time_constant: float) -> float:
    """The exponentially weighted daily load through `today` (unrounded), seeded at 0 on the
    first day with a load; 0.0 without loads.

    Days without load are the step x_t = (1 − k)·x_{t−1} = e^(−1/τ)·x_{t−1}, so a gap of n empty
    days is one multiplication by e^(−n/τ): the walk costs one step per day *with* a load, and
    gives the same value as a day-by-day walk."""
    decay_per_day = math.exp(-1.0 / time_constant)
    k = 1.0 - decay_per_day
    value = 0.0
    previous: date | None = None
    for day in sorted(day for day, load in loads.items() if load > 0 and day <= today):
        if previous is not None:
            value *= decay_per_day ** ((day - previous).days - 1)  # the empty days in between
        value += k * (loads[day] - value)
        previous = day
    if previous is not None:
        value *= decay_per_day ** (today - previous).days
    return value


def training_summary(daily_loads: dict[date, float], today: date) -> dict:
    """Return {current_week_load, four_week_avg_load, ctl, atl, tsb, acwr, history_days}.

    - current_week_load: sum over the ISO week containing `today` (Monday … today).
    - four_week_avg_load: mean weekly sum of the 4 complete ISO weeks before the current week
      (their total ÷ 4: weeks without load count as 0, also before the athlete's first load).
    - ctl / atl: exponentially weighted daily load with time constants 42 and 7 days
      (k = 1 − e^(−1/τ); x_t = x_{t−1} + k·(load_t − x_{t−1}); seeded at 0 on the first day with
      a load), evaluated through `today`; 0.0 without loads.
    - tsb = ctl − atl, taken from the two rounded values (so the three shown numbers agree).
    - acwr: mean daily load of the last 7 days ÷ mean daily load of the last 28 days (both
      windows end today, the 28 days include the 7); None when the 28-day load is 0.
    - history_days: days from the first day with a load (> 0) to today, inclusive (0 without
      loads).
    All floats rounded to 1 decimal (acwr to 2). Loads dated after `today` are ignored.
    """
    loads = {day: float(load) for day, load in daily_loads.items() if day <= today}
    monday = _iso_week_start(today)
    current_week_load = _sum_between(loads, monday, today)
    previous_weeks = _sum_between(loads, monday - timedelta(weeks=AVERAGE_WEEKS), monday - timedelta(days=1))

    ctl = round(exponential_load(loads, today, CTL_DAYS), 1)
    atl = round(exponential_load(loads, today, ATL_DAYS), 1)

    acute = _sum_between(loads, today - timedelta(days=ACUTE_DAYS - 1), today)
    chronic = _sum_between(loads, today - timedelta(days=CHRONIC_DAYS - 1), today)
    acwr = round((acute / ACUTE_DAYS) / (chronic / CHRONIC_DAYS), 2) if chronic > 0 else None

    load_days = [day for day, load in loads.items() if load > 0]
    history_days = (today - min(load_days)).days + 1 if load_days else 0

    return {
        "current_week_load": round(current_week_load, 1),
        "four_week_avg_load": round(previous_weeks / AVERAGE_WEEKS, 1),
        "ctl": ctl,
        "atl": atl,
        "tsb": round(ctl - atl, 1),
        "acwr": acwr,
        "history_days": history_days,
    }
