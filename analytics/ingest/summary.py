"""Totals of an activity computed from its samples, for files without totals of their own, and
the checks every parser applies to decoded numbers.

The rules (haversine, stop speed, hysteresis, time weighting) are documented in geo.py."""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from analytics.ingest import geo
from analytics.ingest.types import Sample

MAX_HEART_RATE = 250  # bpm; a value above it (or ≤ 0) is a sensor or decoding error


def number_or_none(value: object) -> float | None:
    """A finite number decoded from a file; None for missing, non-numeric, NaN or infinite values."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def heart_rate_or_none(value: float | None) -> int | None:
    """A plausible heart rate as int bpm, else None."""
    if value is None or not 0 < value <= MAX_HEART_RATE:
        return None
    return round_half_up(value)


@dataclass(frozen=True, slots=True)
class SampleTotals:
    distance_m: float
    moving_s: float
    elapsed_s: float
    avg_hr: int | None
    max_hr: int | None
    elevation_gain_m: float | None


def round_half_up(value: float | None) -> int | None:
    """Conventional rounding (88.5 → 89), not Python's round-half-to-even."""
    return None if value is None else math.floor(value + 0.5)


def weighted_mean(pairs: Sequence[tuple[float, float]]) -> float | None:
    """Mean of (value, weight) pairs; the plain mean when no weight is positive; None when empty."""
    if not pairs:
        return None
    total_weight = sum(weight for _, weight in pairs if weight > 0)
    if total_weight <= 0:
        return sum(value for value, _ in pairs) / len(pairs)
    return sum(value * weight for value, weight in pairs if weight > 0) / total_weight


def cumulative_distances(samples: Sequence[Sample]) -> list[float]:
    """Cumulative metres at each sample. The samples' own `distance_m` (a wheel or footpod
    sensor, or the device's GPS filter) is preferred when any sample has one; otherwise the
    haversine length of the positions. Samples without a value carry the previous one forward."""
    if any(s.distance_m is not None for s in samples):
        result, current = [], 0.0
        for s in samples:
            current = s.distance_m if s.distance_m is not None else current
            result.append(current)
        return result
    result, current, previous = [], 0.0, None
    for s in samples:
        if s.lat is not None and s.lon is not None:
            if previous is not None:
                current += geo.haversine_m(previous[0], previous[1], s.lat, s.lon)
            previous = (s.lat, s.lon)
        result.append(current)
    return result


def summarize_samples(samples: Sequence[Sample]) -> SampleTotals:
    """Distance, moving and elapsed time, heart rate and elevation gain of `samples` (in time order)."""
    if not samples:
        return SampleTotals(0.0, 0.0, 0.0, None, None, None)
    times = [s.t_s for s in samples]
    distances = cumulative_distances(samples)
    heart_rates = [s.heart_rate for s in samples]
    present_hr = [hr for hr in heart_rates if hr is not None]
    return SampleTotals(
        distance_m=distances[-1],
        moving_s=geo.moving_time_s(times, distances),
        elapsed_s=times[-1] - times[0],
        avg_hr=round_half_up(geo.time_weighted_mean(times, heart_rates)),
        max_hr=max(present_hr) if present_hr else None,
        elevation_gain_m=geo.elevation_gain_m(times, [s.altitude_m for s in samples]),
    )
