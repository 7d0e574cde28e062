"""VDOT after Daniels & Gilbert (1979), "Oxygen Power"; also Daniels' Running Formula (3rd ed.).

Units: distance in metres, time in seconds at the edges; the formulas use metres per minute
(v) and minutes (t), as published:

    VO2(v)  = -4.60 + 0.182258·v + 0.000104·v²
    %max(t) = 0.8 + 0.1894393·e^(-0.012778·t) + 0.2989558·e^(-0.1932605·t)
    VDOT    = VO2(d / t) / %max(t)
"""

import math

# Daniels' intensity bands as fractions of VDOT (Running Formula, 3rd ed., ch. 4), slow → fast.
TRAINING_INTENSITY = {
    "E": (0.59, 0.74),
    "M": (0.75, 0.84),
    "T": (0.83, 0.88),
    "I": (0.95, 1.00),
    "R": (1.05, 1.20),
}

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


def training_paces(vdot: float) -> dict[str, tuple[float, float]]:
    """Daniels' training paces as (fast, slow) seconds per km for each of E, M, T, I, R."""
    paces = {}
    for name, (slow_fraction, fast_fraction) in TRAINING_INTENSITY.items():
        fast = pace_seconds_per_km(speed_at_vo2(vdot * fast_fraction))
        slow = pace_seconds_per_km(speed_at_vo2(vdot * slow_fraction))
        paces[name] = (fast, slow)
    return paces


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
