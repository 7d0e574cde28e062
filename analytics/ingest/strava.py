"""A Strava activity (the JSON of GET /athlete/activities or GET /activities/{id}) and its streams
→ ParsedActivity, so it enters the same pipeline as a device file. Pure Python, no Django.

- Totals are Strava's own (`distance`, `moving_time`, `elapsed_time`, `average_heartrate`,
  `max_heartrate`, `total_elevation_gain`, `calories`), as a FIT session's are for a file; one
  Strava leaves out is computed from the streams (summary.py), as for a file without totals.
- Samples come from the `time` (seconds from the start), `distance` (cumulative metres),
  `heartrate` and `altitude` streams, index by index. Positions (`latlng`) are never asked for.
- `start_date` is the UTC start; `timezone` ("(GMT+01:00) Europe/Ljubljana") gives the IANA
  zone (`strava_timezone_name`).
- Sport (`sport_type`, else the older `type`): Run → run, or treadmill when Strava marks it
  `trainer` (recorded indoors); TrailRun → trail_run; VirtualRun → treadmill (a run on a treadmill
  driving a virtual course, e.g. Zwift: indoors, belt pace); Walk and Hike → walk; the ride types
  → ride; Swim → swim; anything else → other.
"""

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from analytics.ingest.summary import heart_rate_or_none, number_or_none, round_half_up, summarize_samples
from analytics.ingest.types import InvalidActivityFile, ParsedActivity, Sample

STRAVA_SPORTS = {
    "Run": "run",
    "TrailRun": "trail_run",
    "VirtualRun": "treadmill",
    "Walk": "walk",
    "Hike": "walk",
    "Ride": "ride",
    "MountainBikeRide": "ride",
    "GravelRide": "ride",
    "EBikeRide": "ride",
    "EMountainBikeRide": "ride",
    "VirtualRide": "ride",
    "Velomobile": "ride",
    "Handcycle": "ride",
    "Swim": "swim",
}
STREAM_TYPES = ("time", "distance", "heartrate", "altitude")
TIMEZONE_LABEL = re.compile(r"\(GMT[+-]\d{2}:\d{2}\)\s*(?P<name>[A-Za-z0-9_+\-/]{1,64})")
EARLIEST_START = datetime(1990, 1, 1, tzinfo=UTC)  # as for files: before GPS watches
MAX_CALORIES = 100_000  # more is a broken value, and would overflow the column


def sport_from_strava(sport_type: object, legacy_type: object = None, trainer: object = False) -> str:
    """Our sport for Strava's `sport_type` (or the older `type` when it is missing)."""
    name = sport_type if isinstance(sport_type, str) and sport_type else legacy_type
    ours = STRAVA_SPORTS.get(name, "other") if isinstance(name, str) else "other"
    return "treadmill" if ours == "run" and trainer is True else ours


def strava_timezone_name(label: object) -> str:
    """The IANA zone in Strava's "(GMT+01:00) Europe/Ljubljana"; "" when there is none we know."""
    match = TIMEZONE_LABEL.fullmatch(label.strip()) if isinstance(label, str) else None
    if not match:
        return ""
    try:
        ZoneInfo(match["name"])
    except (ZoneInfoNotFoundError, ValueError):
        return ""
    return match["name"]


def _start(value: object) -> datetime:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:  # Strava writes start_date in UTC with a Z
        raise InvalidActivityFile("This Strava activity has no readable start time.", code="NO_TIMESTAMPS")
    moment = moment.astimezone(UTC)
    if moment < EARLIEST_START:
        raise InvalidActivityFile(
            f"This Strava activity starts on {moment:%Y-%m-%d}, before 1990.", code="IMPLAUSIBLE_TIMESTAMPS"
        )
    return moment


def _stream(streams: Mapping, key: str) -> list:
    """The data of one stream, whether given as Strava's {data: [...]} or as the bare list."""
    stream = streams.get(key)
    data = stream.get("data") if isinstance(stream, Mapping) else stream
    return data if isinstance(data, list) else []


def samples_from_streams(streams: Mapping | None) -> tuple[Sample, ...]:
    """One Sample per entry of the `time` stream, in time order; entries without a usable time
    are dropped, values that are not finite numbers (or implausible heart rates) become None."""
    if not isinstance(streams, Mapping):
        return ()
    times, distances, heart_rates, altitudes = (_stream(streams, key) for key in STREAM_TYPES)

    def at(values: list, index: int) -> float | None:
        return number_or_none(values[index]) if index < len(values) else None

    samples = []
    for index, raw_time in enumerate(times):
        t_s = number_or_none(raw_time)
        if t_s is None or (samples and t_s < samples[-1].t_s):
            continue
        samples.append(
            Sample(
                t_s=t_s,
                distance_m=at(distances, index),
                heart_rate=heart_rate_or_none(at(heart_rates, index)),
                altitude_m=at(altitudes, index),
            )
        )
    return tuple(samples)


def _seconds(value: object) -> float:
    number = number_or_none(value)
    return number if number is not None and number > 0 else 0.0


def parse_strava_activity(activity: Mapping, streams: Mapping | None = None) -> ParsedActivity:
    """Strava's SummaryActivity or DetailedActivity (and its streams) as a ParsedActivity. Units:
    metres, seconds, bpm; `start_time` in UTC. Raises InvalidActivityFile (`.code`) when it has no
    start time or no duration at all."""
    if not isinstance(activity, Mapping):
        raise InvalidActivityFile("This Strava activity is not an object.", code="INVALID_STRAVA_ACTIVITY")
    start = _start(activity.get("start_date"))
    samples = samples_from_streams(streams)
    totals = summarize_samples(samples)
    elapsed = _seconds(activity.get("elapsed_time")) or totals.elapsed_s
    moving = _seconds(activity.get("moving_time")) or elapsed  # a manual entry has only one time
    if moving <= 0:
        raise InvalidActivityFile("This Strava activity has no duration.", code="NO_MOVING_TIME")
    distance = number_or_none(activity.get("distance"))
    elevation = number_or_none(activity.get("total_elevation_gain"))
    calories = number_or_none(activity.get("calories"))
    avg_hr = heart_rate_or_none(number_or_none(activity.get("average_heartrate")))
    max_hr = heart_rate_or_none(number_or_none(activity.get("max_heartrate")))
    return ParsedActivity(
        sport=sport_from_strava(activity.get("sport_type"), activity.get("type"), activity.get("trainer")),
        start_time=start,
        distance_m=distance if distance is not None and distance >= 0 else totals.distance_m,
        moving_s=moving,
        elapsed_s=max(elapsed, moving),
        avg_hr=avg_hr or totals.avg_hr,
        max_hr=max_hr or totals.max_hr,
        calories=round_half_up(calories) if calories is not None and 0 < calories <= MAX_CALORIES else None,
        elevation_gain_m=elevation if elevation is not None and elevation >= 0 else totals.elevation_gain_m,
        samples=samples,
        source_format="strava",
    )
