"""Training load "NR ETE+": Banister's TRIMP (Banister 1991; Morton, Fitz-Clarke & Banister 1990).

    TRIMP = minutes × HRr × k·e^(b·HRr),  HRr = (avg HR − rest) / (max − rest)
    men: k = 0.64, b = 1.92;  women: k = 0.86, b = 1.67

Without heart-rate data HRr is the pace's fraction of VDOT (oxygen cost ÷ VDOT, see vdot.py);
without either it is DEFAULT_HRR, a moderate aerobic effort.
"""

import math

from analytics.metrics.vdot import fraction_of_vdot_at_pace

TRIMP_CONSTANTS = {"male": (0.64, 1.92), "female": (0.86, 1.67)}
DEFAULT_HRR = 0.6  # documented default when neither HR nor pace+VDOT is known
DEFAULT_RESTING_HR = 60
DEFAULT_MAX_HR = 190


def heart_rate_reserve_fraction(avg_hr: float, resting_hr: float, max_hr: float) -> float:
    """HRr clamped to 0–1 (a bad profile must not create negative or runaway loads)."""
    if max_hr <= resting_hr:
        return DEFAULT_HRR
    return max(0.0, min(1.0, (avg_hr - resting_hr) / (max_hr - resting_hr)))


def banister_trimp(duration_s: float, hrr: float, sex: str | None = None) -> float:
    """TRIMP for `duration_s` seconds at heart-rate reserve fraction `hrr`. Sex defaults to male
    constants (the more conservative weighting) when unknown."""
    k, b = TRIMP_CONSTANTS.get(sex or "male", TRIMP_CONSTANTS["male"])
    return (duration_s / 60.0) * hrr * k * math.exp(b * hrr)


def activity_training_load(
    *,
    duration_s: float,
    distance_m: float,
    avg_hr: float | None,
    resting_hr: float | None,
    max_hr: float | None,
    vdot: float | None,
    sex: str | None,
) -> float:
    """Training load of one activity, rounded to 0.1, choosing HRr from the best data we have."""
    if duration_s <= 0:
        return 0.0
    if avg_hr:
        hrr = heart_rate_reserve_fraction(avg_hr, resting_hr or DEFAULT_RESTING_HR, max_hr or DEFAULT_MAX_HR)
    elif vdot and distance_m > 0:
        hrr = min(1.0, fraction_of_vdot_at_pace(duration_s / (distance_m / 1000.0), vdot))
    else:
        hrr = DEFAULT_HRR
    return round(banister_trimp(duration_s, hrr, sex), 1)
