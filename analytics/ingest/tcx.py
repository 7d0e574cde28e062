"""TCX (Garmin Training Center Database v2) read with ElementTree.

tcxreader needs a file path and recomputes totals from trackpoints; we read the laps' own
totals instead. The bytes have passed detect.py's DOCTYPE refusal, so ElementTree sees no
entity declarations.

- Totals: the laps' TotalTimeSeconds (timer time → moving), DistanceMeters and Calories are
  summed; AverageHeartRateBpm is weighted by lap time, MaximumHeartRateBpm is the laps' max.
  A total no lap carries is computed from the trackpoints (summary.py).
- Start: the first lap's StartTime, else the activity's Id, else the first trackpoint's time.
  Elapsed: from the start to the later of the last trackpoint and the end of the last lap
  (its StartTime + TotalTimeSeconds), and never less than the moving time.
- One activity per file: a file with several `Activity` elements is refused rather than silently
  importing only the first.
"""

import xml.etree.ElementTree as ElementTree
from datetime import UTC, datetime

from analytics.ingest.sports import sport_from_tcx
from analytics.ingest.summary import (
    heart_rate_or_none,
    number_or_none,
    round_half_up,
    summarize_samples,
    weighted_mean,
)
from analytics.ingest.types import InvalidActivityFile, ParsedActivity, Sample

UNREADABLE_TCX = "This TCX file could not be read: it is damaged or is not valid TCX."


def parse_tcx(payload: bytes) -> ParsedActivity:
    """Parse a TCX file (BOM and leading whitespace already stripped). Raises InvalidActivityFile."""
    try:
        root = ElementTree.fromstring(payload)
    except (ElementTree.ParseError, ValueError, LookupError) as error:
        raise InvalidActivityFile(UNREADABLE_TCX, code="CORRUPT_FILE") from error
    for element in root.iter():
        if isinstance(element.tag, str):
            element.tag = element.tag.rsplit("}", 1)[-1]  # TCX writers disagree on namespaces; match local names
    activities = root.findall("Activities/Activity")
    if not activities:
        raise InvalidActivityFile(
            "This TCX file contains no recorded activity (it may be a course or a workout).", code="NO_ACTIVITY_DATA"
        )
    if len(activities) > 1:
        raise InvalidActivityFile(
            f"This TCX file contains {len(activities)} activities; upload one activity per file.",
            code="MULTIPLE_ACTIVITIES",
        )
    activity = activities[0]
    laps = activity.findall("Lap")
    points = [(time, point) for point in activity.iter("Trackpoint") if (time := _time(point.findtext("Time")))]
    lap_starts = [start for lap in laps if (start := _time(lap.get("StartTime")))]
    start = next(iter(lap_starts), None) or _time(activity.findtext("Id")) or (points[0][0] if points else None)
    if start is None:
        raise InvalidActivityFile(
            "This TCX file has no timestamps, so its start time and duration are unknown.", code="NO_TIMESTAMPS"
        )
    samples = tuple(_sample(point, (time - start).total_seconds()) for time, point in points)
    totals = summarize_samples(samples)
    lap_time = _lap_sum(laps, "TotalTimeSeconds")
    lap_distance = _lap_sum(laps, "DistanceMeters")
    lap_calories = _lap_sum(laps, "Calories")
    moving = lap_time if lap_time is not None else totals.moving_s
    lap_ends = [
        (lap_start - start).total_seconds() + seconds
        for lap in laps
        if (lap_start := _time(lap.get("StartTime"))) and (seconds := _number(lap.findtext("TotalTimeSeconds")))
    ]
    track_end = [max(sample.t_s for sample in samples)] if samples else []
    return ParsedActivity(
        sport=sport_from_tcx(activity.get("Sport")),
        start_time=start,
        distance_m=lap_distance if lap_distance is not None else totals.distance_m,
        moving_s=moving,
        elapsed_s=max([moving, *lap_ends, *track_end]),
        avg_hr=_lap_avg_hr(laps) or totals.avg_hr,
        max_hr=max(_lap_heart_rates(laps, "MaximumHeartRateBpm/Value"), default=None) or totals.max_hr,
        calories=int(lap_calories) if lap_calories is not None else None,
        elevation_gain_m=totals.elevation_gain_m,
        samples=samples,
        source_format="tcx",
    )


def _number(text: str | None) -> float | None:
    try:
        return number_or_none(float(text)) if text is not None else None
    except ValueError:
        return None


def _time(text: str | None) -> datetime | None:
    """An ISO 8601 instant in UTC; TCX times without an offset are UTC by the schema."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _lap_sum(laps: list[ElementTree.Element], child: str) -> float | None:
    values = [v for v in (_number(lap.findtext(child)) for lap in laps) if v is not None and v >= 0]
    return sum(values) if values else None


def _lap_heart_rates(laps: list[ElementTree.Element], path: str) -> list[int]:
    return [hr for hr in (heart_rate_or_none(_number(lap.findtext(path))) for lap in laps) if hr]


def _lap_avg_hr(laps: list[ElementTree.Element]) -> int | None:
    """Laps' average heart rates weighted by lap time."""
    pairs = [
        (hr, _number(lap.findtext("TotalTimeSeconds")) or 0.0)
        for lap in laps
        if (hr := heart_rate_or_none(_number(lap.findtext("AverageHeartRateBpm/Value"))))
    ]
    return round_half_up(weighted_mean(pairs))


def _sample(point: ElementTree.Element, t_s: float) -> Sample:
    lat = _number(point.findtext("Position/LatitudeDegrees"))
    lon = _number(point.findtext("Position/LongitudeDegrees"))
    if lat is None or lon is None or not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        lat = lon = None
    return Sample(
        t_s=t_s,
        distance_m=_number(point.findtext("DistanceMeters")),
        heart_rate=heart_rate_or_none(_number(point.findtext("HeartRateBpm/Value"))),
        altitude_m=_number(point.findtext("AltitudeMeters")),
        lat=lat,
        lon=lon,
        speed_m_s=_number(point.findtext("Extensions/TPX/Speed")),
    )
