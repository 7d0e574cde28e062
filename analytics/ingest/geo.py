"""Distances, moving time, elevation gain and heart-rate averages from recorded samples.

Used when a file carries no totals of its own (GPX always; FIT without a session message; TCX
laps without totals). Pure functions over plain sequences; times are seconds, distances metres.

- Distance: haversine great-circle distance, R = 6,378,137 m (the WGS-84 equatorial radius).
  The Earth's Gaussian radius of curvature √(M·N) is ≈ 6,378 km at 45° latitude, where most of
  our athletes train, so this radius errs less there than the global mean 6,371 km; it is also
  gpxpy's constant, so a GPX track measures the same here as in gpxpy-based tools. 2-D only
  (no elevation term), the convention of Garmin and Strava for running distance.
- Moving time: an interval between two consecutive samples counts as moving when its mean speed
  is at least 0.5 m/s. So standing still (speed < 0.5 m/s) and a gap in the recording with no
  movement (auto-pause, a café stop: little distance over a long interval) are both stops.
- Elevation gain: a hysteresis of 3 m — a climb is counted only once the altitude has risen 3 m
  above the last reference point, and the reference follows descents of 3 m — so GPS/barometer
  jitter of a metre or two is not summed into hundreds of metres. A step faster than 2 m/s
  vertical (four times the best human-powered climbing rate) is a sensor jump (e.g. a barometer
  settling after power-on) and shifts the reference without counting.
- Heart rate: each value holds until the next sample (time-weighted mean), each interval capped
  at 60 s so a long pause does not weight the value logged before it.
"""

import math
from collections.abc import Sequence

EARTH_RADIUS_M = 6_378_137.0
STOP_SPEED_M_S = 0.5
ELEVATION_HYSTERESIS_M = 3.0
MAX_CLIMB_RATE_M_S = 2.0
HR_MAX_INTERVAL_S = 60.0


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float, *, radius_m: float = EARTH_RADIUS_M) -> float:
    """Great-circle distance in metres between two points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * radius_m * math.asin(min(1.0, math.sqrt(h)))


def path_length_m(points: Sequence[tuple[float, float]]) -> float:
    """Length in metres of a polyline of (lat, lon) points, summed leg by leg."""
    return sum(haversine_m(a[0], a[1], b[0], b[1]) for a, b in zip(points, points[1:], strict=False))


def moving_time_s(
    times_s: Sequence[float], distances_m: Sequence[float], *, stop_speed_m_s: float = STOP_SPEED_M_S
) -> float:
    """Seconds spent moving: the sum of intervals whose mean speed is ≥ `stop_speed_m_s`.

    `distances_m` is cumulative and aligned with `times_s`; intervals with no time are skipped."""
    total = 0.0
    for i in range(1, len(times_s)):
        dt = times_s[i] - times_s[i - 1]
        if dt > 0 and (distances_m[i] - distances_m[i - 1]) / dt >= stop_speed_m_s:
            total += dt
    return total


def elevation_gain_m(
    times_s: Sequence[float],
    altitudes_m: Sequence[float | None],
    *,
    hysteresis_m: float = ELEVATION_HYSTERESIS_M,
    max_climb_rate_m_s: float = MAX_CLIMB_RATE_M_S,
) -> float | None:
    """Total ascent in metres with a hysteresis threshold; None with fewer than two altitudes."""
    points = [(t, alt) for t, alt in zip(times_s, altitudes_m, strict=True) if alt is not None]
    if len(points) < 2:
        return None
    gain = 0.0
    reference = points[0][1]
    for (t0, alt0), (t1, alt1) in zip(points, points[1:], strict=False):
        dt = t1 - t0
        if dt > 0 and abs(alt1 - alt0) / dt > max_climb_rate_m_s:
            reference += alt1 - alt0  # a sensor jump: move the reference with it, count nothing
        elif alt1 - reference >= hysteresis_m:
            gain += alt1 - reference
            reference = alt1
        elif reference - alt1 >= hysteresis_m:
            reference = alt1
    return gain


def time_weighted_mean(
    times_s: Sequence[float], values: Sequence[float | None], *, max_interval_s: float = HR_MAX_INTERVAL_S
) -> float | None:
    """Mean of `values`, each held until the next sample (intervals capped at `max_interval_s`).

    Falls back to the plain mean when no value spans any time (one sample, or equal times);
    None when there is no value at all."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    weighted = weights = 0.0
    for i in range(len(times_s) - 1):
        value = values[i]
        if value is None:
            continue
        weight = min(max(times_s[i + 1] - times_s[i], 0.0), max_interval_s)
        weighted += value * weight
        weights += weight
    return weighted / weights if weights > 0 else sum(present) / len(present)
