"""VDOT after Daniels & Gilbert (1979), "Oxygen Power"; also Daniels' Running Formula (3rd ed.).

Units: distance in metres, time in seconds at the edges; the formulas use metres per minute
(v) and minutes (t), as published:

    VO2(v)  = -4.60 + 0.182258·v + 0.000104·v²
    %max(t) = 0.8 + 0.1894393·e^(-0.012778·t) + 0.2989558·e^(-0.1932605·t)
    VDOT    = VO2(d / t) / %max(t)
"""

import math

# Daniels' training paces as fractions of VDOT, fitted to his published table (Running Formula,
# 3rd ed., Table 5.2) for VDOT 30–70: E a range (fast, slow), T and I single paces. M is the
# equivalent marathon race pace and R follows I by his "6-second rule" (training_paces).
EASY_FRACTIONS = (0.73, 0.63)
THRESHOLD_FRACTION = 0.88
INTERVAL_FRACTION = 0.975
# R is I less 6 s per 400 m (15 s/km) from VDOT 50; his table widens it to 8 s per 400 m (20 s/km)
# by VDOT 46. Between them the gap is interpolated so that R never gets faster as VDOT falls.
REPETITION_GAP_S_PER_KM = ((46.0, 20.0), (50.0, 15.0))
MARATHON_M = 42195.0

EQUIVALENT_DISTANCES_M = {
    "1500m": 1500.0,
    "mile": 1609.344,
    "5k": 5000.0,
    "10k": 10000.0,
    "half_marathon": 21097.5,
    "marathon": 42195.0,
}


def oxygen_cost(speed_m_per_min: float) -> float:
    """VO2 (ml/kg/min) of running at `speed_m_per_min`."""
    return -4.60 + 0.182258 * speed_m_per_min + 0.000104 * speed_m_per_min**2


def fraction_of_max(minutes: float) -> float:
    """The fraction of VO2max that can be sustained for `minutes`."""
    return 0.8 + 0.1894393 * math.exp(-0.012778 * minutes) + 0.2989558 * math.exp(-0.1932605 * minutes)


def vdot_from_race(distance_m: float, time_s: float) -> float:
    """VDOT of a race of `distance_m` metres run in `time_s` seconds."""
    if distance_m <= 0 or time_s <= 0:
        raise ValueError("distance and time must be positive")
    minutes = time_s / 60.0
    return oxygen_cost(distance_m / minutes) / fraction_of_max(minutes)


def speed_at_vo2(vo2: float) -> float:
    """The speed (m/min) whose oxygen cost is `vo2`: the positive root of the VO2 quadratic."""
    a, b, c = 0.000104, 0.182258, -4.60 - vo2
    return (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a)


def race_time_for_vdot(vdot: float, distance_m: float) -> float:
    """Seconds to race `distance_m` at `vdot`: solves VDOT(d, t) = vdot for t by bisection.

    VDOT falls strictly as t grows, so the root is unique."""
    low, high = 1.0, 60.0 * 24 * 7  # minutes: from one minute to a week
    for _ in range(100):
        mid = (low + high) / 2
        if vdot_from_race(distance_m, mid * 60) > vdot:
            low = mid
        else:
            high = mid
    return (low + high) / 2 * 60


def equivalent_times(vdot: float) -> dict[str, float]:
    """Race times (s) over the standard distances for the same VDOT."""
    return {name: race_time_for_vdot(vdot, metres) for name, metres in EQUIVALENT_DISTANCES_M.items()}


def pace_seconds_per_km(speed_m_per_min: float) -> float:
    return 60_000.0 / speed_m_per_min


def pace_at_fraction(vdot: float, fraction: float) -> float:
    """Seconds per km of the speed whose oxygen cost is `fraction` of VDOT."""
    return pace_seconds_per_km(speed_at_vo2(vdot * fraction))


def training_paces(vdot: float) -> dict[str, float | tuple[float, float]]:
    """Daniels' training paces in seconds per km: E a (fast, slow) range; M, T, I, R single paces.

    M is the equivalent marathon race pace; T and I are 88 % and 97.5 % of VDOT; R is I pace less
    Daniels' 6 s per 400 m (8 s at VDOT 46 and below, interpolated between). docs/metrics.md
    compares them with his table."""
    interval = pace_at_fraction(vdot, INTERVAL_FRACTION)
    (low_vdot, low_gap), (high_vdot, high_gap) = REPETITION_GAP_S_PER_KM
    share = min(1.0, max(0.0, (vdot - low_vdot) / (high_vdot - low_vdot)))
    gap = low_gap + share * (high_gap - low_gap)
    return {
        "E": (pace_at_fraction(vdot, EASY_FRACTIONS[0]), pace_at_fraction(vdot, EASY_FRACTIONS[1])),
        "M": race_time_for_vdot(vdot, MARATHON_M) / (MARATHON_M / 1000.0),
        "T": pace_at_fraction(vdot, THRESHOLD_FRACTION),
        "I": interval,
        "R": interval - gap,
    }


def fraction_of_vdot_at_pace(pace_s_per_km: float, vdot: float) -> float:
    """How much of VDOT running at this pace costs (oxygen cost ÷ VDOT), clamped to 0–1.2."""
    if pace_s_per_km <= 0 or vdot <= 0:
        return 0.0
    return max(0.0, min(1.2, oxygen_cost(60_000.0 / pace_s_per_km) / vdot))


def format_pace(seconds_per_km: float | None) -> str | None:
    """`M:SS` per km, rounded to the whole second; None stays None."""
    if seconds_per_km is None:
        return None
    total = int(round(seconds_per_km))
    return f"{total // 60}:{total % 60:02d}"
