"""GPX 1.0/1.1 tracks read with gpxpy. GPX carries no totals, so everything comes from the points.

- Every track and segment of the file is one activity; distance is summed within segments only
  (the jump between two segments is a pause, not a distance), so it equals gpxpy's `length_2d()`.
- Every track point must have a timestamp: without them the start time and the duration are
  unknown (a planned route, or a track with times stripped). A partly timed track is refused too.
- Heart rate comes from Garmin's TrackPointExtension (`gpxtpx:hr`) or any `hr`/`heartrate`
  extension element.
- Sport: the first track `<type>`, else inferred from the average moving speed (sports.py).
"""

import re
from datetime import UTC, datetime

import gpxpy

from analytics.ingest import geo
from analytics.ingest.sports import sport_from_gpx_type, sport_from_speed
from analytics.ingest.summary import heart_rate_or_none, number_or_none, summarize_samples
from analytics.ingest.types import InvalidActivityFile, ParsedActivity, Sample

XML_ENCODING = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
HEART_RATE_TAGS = {"hr", "heartrate"}
UNREADABLE_GPX = "This GPX file could not be read: it is damaged or is not valid GPX."


def parse_gpx(payload: bytes) -> ParsedActivity:
    """Parse a GPX file (BOM and leading whitespace already stripped). Raises InvalidActivityFile."""
    try:
        document = gpxpy.parse(_decode(payload))
    except InvalidActivityFile:
        raise
    except Exception as error:  # gpxpy's GPXXMLSyntaxException/GPXException, or a value it cannot convert
        raise InvalidActivityFile(UNREADABLE_GPX, code="CORRUPT_FILE") from error
    segments = [segment.points for track in document.tracks for segment in track.segments if segment.points]
    points = [point for segment in segments for point in segment]
    if not points:
        raise InvalidActivityFile(
            "This GPX file has no track points, so there is no activity to import.", code="NO_ACTIVITY_DATA"
        )
    untimed = sum(1 for point in points if point.time is None)
    if untimed:
        detail = "" if untimed == len(points) else f" on {untimed} of its {len(points)} points"
        raise InvalidActivityFile(
            f"This GPX track has no timestamps{detail}, so its start time and duration are unknown. "
            "Upload the file your watch or app recorded (a planned route has no times).",
            code="NO_TIMESTAMPS",
        )
    start = _utc(points[0].time)
    samples = _samples(segments, start)
    totals = summarize_samples(samples)
    track_type = next((track.type for track in document.tracks if getattr(track, "type", None)), None)
    sport = sport_from_gpx_type(track_type) or sport_from_speed(totals.distance_m, totals.moving_s)
    return ParsedActivity(
        sport=sport,
        start_time=start,
        distance_m=totals.distance_m,
        moving_s=totals.moving_s,
        elapsed_s=totals.elapsed_s,
        avg_hr=totals.avg_hr,
        max_hr=totals.max_hr,
        calories=None,
        elevation_gain_m=totals.elevation_gain_m,
        samples=samples,
        source_format="gpx",
    )


def _decode(payload: bytes) -> str:
    """The document as text, in the encoding its XML declaration names (UTF-8 by default)."""
    declared = XML_ENCODING.match(payload)
    encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    if payload.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    try:
        return payload.decode(encoding)
    except (LookupError, UnicodeDecodeError) as error:
        raise InvalidActivityFile(
            f"This GPX file is not readable {encoding} text, as its XML declaration says.", code="CORRUPT_FILE"
        ) from error


def _utc(moment: datetime) -> datetime:
    """GPX times are UTC by the schema; a time without an offset is taken as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _heart_rate(point) -> int | None:
    for extension in point.extensions or ():
        for element in extension.iter():
            tag = element.tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower() if isinstance(element.tag, str) else ""
            if tag in HEART_RATE_TAGS and element.text:
                try:
                    return heart_rate_or_none(float(element.text))
                except ValueError:
                    return None
    return None


def _position(point) -> tuple[float | None, float | None]:
    lat, lon = point.latitude, point.longitude
    if -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0:
        return lat, lon
    return None, None


def _samples(segments, start: datetime) -> tuple[Sample, ...]:
    """One Sample per track point; cumulative distance grows within segments, never across them."""
    samples, distance = [], 0.0
    for segment in segments:
        previous = None
        for point in segment:
            lat, lon = _position(point)
            if lat is not None and previous is not None:
                distance += geo.haversine_m(previous[0], previous[1], lat, lon)
            if lat is not None:
                previous = (lat, lon)
            samples.append(
                Sample(
                    t_s=(_utc(point.time) - start).total_seconds(),
                    distance_m=distance,
                    heart_rate=_heart_rate(point),
                    altitude_m=number_or_none(point.elevation),
                    lat=lat,
                    lon=lon,
                    speed_m_s=number_or_none(getattr(point, "speed", None)),
                )
            )
    return tuple(samples)
