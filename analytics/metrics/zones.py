"""Pace zones Z1–Z5 (easy, marathon, threshold, interval, repetition) and seconds per zone.

Zones are four boundaries in seconds per km, decreasing (slower → faster): a pace slower than
bounds[0] is Z1, between bounds[0] and bounds[1] is Z2, … faster than bounds[3] is Z5.

From VDOT the boundaries sit between Daniels' intensity bands as % of VDOT (Running Formula,
3rd ed., ch. 4: E 59–74, M 75–84, T 83–88, I 95–100, R 105–120): at 74.5 % (E|M), 83.5 % (M|T),
91.5 % (T|I) and 102.5 % (I|R) — the midpoints of the gaps or overlaps between neighbouring
bands. Zones classify every pace, so they use the bands, not the single training paces. An
athlete's own `pace_zones` take precedence.
"""

from collections.abc import Iterable, Sequence

from analytics.metrics.vdot import pace_seconds_per_km, speed_at_vo2

ZONE_BOUNDARY_FRACTIONS = (0.745, 0.835, 0.915, 1.025)
# Sports whose pace means something on a running scale; others get no pace-zone time.
PACE_ZONE_SPORTS = frozenset({"run", "trail_run", "treadmill", "walk"})
MAX_SEGMENT_GAP_S = 30.0  # a longer gap between samples is a pause, not time at some pace


def pace_zone_bounds(*, vdot: float | None, pace_zones: Sequence[float] | None) -> tuple[float, ...] | None:
    """The athlete's four zone boundaries (s/km), or None when neither zones nor VDOT are known."""
    if pace_zones and len(pace_zones) == 4:
        return tuple(float(bound) for bound in pace_zones)
    if vdot:
        return tuple(pace_seconds_per_km(speed_at_vo2(vdot * fraction)) for fraction in ZONE_BOUNDARY_FRACTIONS)
    return None


def zone_of_pace(pace_s_per_km: float, bounds: Sequence[float]) -> int:
    """1–5. A pace exactly on a boundary belongs to the faster zone."""
    zone = 1
    for bound in bounds:
        if pace_s_per_km <= bound:
            zone += 1
    return zone


def zone_seconds_from_average(*, duration_s: float, distance_m: float, bounds: Sequence[float]) -> list[float]:
    seconds = [0.0] * 5
    if duration_s <= 0:
        return seconds
    if distance_m <= 0:
        seconds[0] = float(duration_s)  # no distance: no pace, count it as easy time
        return seconds
    seconds[zone_of_pace(duration_s / (distance_m / 1000.0), bounds) - 1] = float(duration_s)
    return seconds


def zone_seconds_from_samples(
    samples: Iterable[tuple[float, float | None]], bounds: Sequence[float]
) -> list[float] | None:
    """Seconds per zone from (t_s, distance_m) samples: each step's time goes to the zone of its
    own pace. Steps without movement or longer than MAX_SEGMENT_GAP_S (pauses) are skipped.
    Returns None when the samples carry no usable distance."""
    seconds = [0.0] * 5
    previous = None
    used = False
    for t, distance in samples:
        if distance is None:
            continue
        if previous is not None:
            dt, dd = t - previous[0], distance - previous[1]
            if 0 < dt <= MAX_SEGMENT_GAP_S and dd > 0:
                seconds[zone_of_pace(dt / (dd / 1000.0), bounds) - 1] += dt
                used = True
        previous = (t, distance)
    return seconds if used else None


def activity_zone_seconds(
    *,
    sport: str,
    duration_s: float,
    distance_m: float,
    bounds: Sequence[float] | None,
    samples: Iterable[tuple[float, float | None]] | None = None,
) -> list[float]:
    """Seconds in Z1–Z5 for one activity: from samples when they have distance, else from the
    average pace; all zeros for non-running sports or when the athlete has no zones."""
    if bounds is None or sport not in PACE_ZONE_SPORTS:
        return [0.0] * 5
    if samples is not None:
        from_samples = zone_seconds_from_samples(samples, bounds)
        if from_samples is not None:
            return [round(value, 1) for value in from_samples]
    return zone_seconds_from_average(duration_s=duration_s, distance_m=distance_m, bounds=bounds)
