"""FIT files (Garmin FIT SDK protocol) read with fitdecode.

Totals come from the file's `session` messages (summed when a multisport file has several);
whatever a session lacks is computed from the `record` messages (see summary.py).

Decoding is strict about integrity: a CRC mismatch, a truncated stream or a corrupt header
rejects the file. One documented salvage: when the decoder meets data it cannot interpret
(fitdecode's FitParseError, e.g. a record that uses an undefined local message type, as the
Strava Android app writes) *after* a complete session message, the activity is built from the
session alone and the samples are dropped — the records decoded before the error are only a
prefix of the activity, and the last of them is already garbage.
"""

import io
from datetime import UTC, datetime, timedelta

import fitdecode

from analytics.ingest.sports import sport_from_fit
from analytics.ingest.summary import (
    heart_rate_or_none,
    number_or_none,
    round_half_up,
    summarize_samples,
    weighted_mean,
)
from analytics.ingest.types import InvalidActivityFile, ParsedActivity, Sample

# fitdecode's data processor is skipped for speed; FIT timestamps are then raw seconds since
# 1989-12-31T00:00:00Z, and values below 0x10000000 are relative to the device's power-on.
FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
FIT_MIN_ABSOLUTE_TIME = 0x10000000
FIT_MAX_TIME = 0xFFFFFFFE  # uint32; anything larger is a decoding error
SEMICIRCLES_TO_DEGREES = 180.0 / 2**31
CRC_CHECK = fitdecode.CrcCheck.RAISE
CORRUPT_FIT = (
    "The FIT file is truncated or corrupt, so it cannot be imported. "
    "Copy the file from the device or export it from your app again, and upload the complete file."
)
SALVAGE_NOTE = (
    "The end of this FIT file could not be decoded; distance, time and heart rate come from the "
    "activity summary the device wrote, and the recorded samples were not kept."
)


def parse_fit(payload: bytes) -> ParsedActivity:
    """Parse a FIT activity file. Raises InvalidActivityFile for anything we cannot import."""
    file_types, sports, sessions, records, salvaged = _read_messages(payload)
    non_activity = [t for t in file_types if t != "activity"]
    if non_activity:
        raise InvalidActivityFile(
            f"This FIT file is a {non_activity[0]} file, not a recorded activity. Upload the activity file instead.",
            code="NOT_AN_ACTIVITY",
        )
    if not sessions and not records:
        raise InvalidActivityFile("This FIT file contains no activity data.", code="NO_ACTIVITY_DATA")

    start = _start_time(sessions, records)
    samples = () if salvaged else _samples(records, start)
    from_samples = summarize_samples(samples)
    timer = _sum(sessions, "total_timer_time")
    elapsed = _sum(sessions, "total_elapsed_time")
    distance = _sum(sessions, "total_distance")
    ascent = _sum(sessions, "total_ascent")
    calories = _sum(sessions, "total_calories")
    session_sports = {sport_from_fit(s.get("sport"), s.get("sub_sport")) for s in sessions}
    if not session_sports and sports:
        session_sports = {sport_from_fit(sports[0][0], sports[0][1])}
    return ParsedActivity(
        sport=session_sports.pop() if len(session_sports) == 1 else "other",
        start_time=start,
        distance_m=distance if distance is not None else from_samples.distance_m,
        moving_s=timer if timer is not None else from_samples.moving_s,
        elapsed_s=elapsed if elapsed is not None else max(from_samples.elapsed_s, timer or 0.0),
        avg_hr=_session_avg_hr(sessions) or from_samples.avg_hr,
        max_hr=_session_max_hr(sessions) or from_samples.max_hr,
        calories=int(calories) if calories is not None else None,
        elevation_gain_m=ascent if ascent is not None else from_samples.elevation_gain_m,
        samples=samples,
        source_format="fit",
        notes=(SALVAGE_NOTE,) if salvaged else (),
    )


def _read_messages(payload: bytes):
    """(file types, [(sport, sub_sport)], sessions, records, salvaged) — messages as plain dicts."""
    file_types, sports, sessions, records = [], [], [], []
    reader = fitdecode.FitReader(
        io.BytesIO(payload), processor=None, check_crc=CRC_CHECK, error_handling=fitdecode.ErrorHandling.IGNORE
    )
    try:
        with reader:
            for frame in reader:
                if frame.frame_type != fitdecode.FIT_FRAME_DATA:
                    continue
                name = frame.name
                if name == "record":
                    records.append({field.name: field.value for field in frame.fields})
                elif name == "session":
                    sessions.append({field.name: field.value for field in frame.fields})
                elif name == "file_id":
                    file_types.append(frame.get_value("type", fallback=None))
                elif name == "sport":
                    sports.append(
                        (frame.get_value("sport", fallback=None), frame.get_value("sub_sport", fallback=None))
                    )
    except fitdecode.FitParseError as error:
        if not sessions:
            raise InvalidActivityFile(CORRUPT_FIT, code="CORRUPT_FILE") from error
        return [t for t in file_types if t is not None], sports, sessions, records, True
    except Exception as error:  # FitEOFError, FitHeaderError, FitCRCError, or the decoder tripping over junk
        raise InvalidActivityFile(CORRUPT_FIT, code="CORRUPT_FILE") from error
    return [t for t in file_types if t is not None], sports, sessions, records, False


def _datetime(value: object) -> datetime | None:
    raw = number_or_none(value)
    if raw is None or not FIT_MIN_ABSOLUTE_TIME <= raw <= FIT_MAX_TIME:
        return None
    return FIT_EPOCH + timedelta(seconds=raw)


def _sum(sessions: list[dict], field: str) -> float | None:
    values = [v for v in (number_or_none(s.get(field)) for s in sessions) if v is not None]
    return sum(values) if values else None


def _start_time(sessions: list[dict], records: list[dict]) -> datetime:
    starts = [t for t in (_datetime(s.get("start_time")) for s in sessions) if t is not None]
    if not starts:
        starts = [t for t in (_datetime(r.get("timestamp")) for r in records[:1]) if t is not None]
    if not starts:
        raise InvalidActivityFile(
            "This FIT file has no start time, so the activity cannot be placed on a day.", code="NO_TIMESTAMPS"
        )
    return min(starts)


def _session_avg_hr(sessions: list[dict]) -> int | None:
    """Sessions' average heart rates, weighted by their timer time."""
    pairs = [
        (hr, number_or_none(s.get("total_timer_time")) or 0.0)
        for s in sessions
        if (hr := heart_rate_or_none(number_or_none(s.get("avg_heart_rate"))))
    ]
    return round_half_up(weighted_mean(pairs))


def _session_max_hr(sessions: list[dict]) -> int | None:
    values = [v for v in (heart_rate_or_none(number_or_none(s.get("max_heart_rate"))) for s in sessions) if v]
    return max(values) if values else None


def _degrees(value: object, limit: float) -> float | None:
    semicircles = number_or_none(value)
    if semicircles is None:
        return None
    degrees = semicircles * SEMICIRCLES_TO_DEGREES
    return degrees if -limit <= degrees <= limit else None


def _first_number(record: dict, *fields: str) -> float | None:
    for field in fields:
        value = number_or_none(record.get(field))
        if value is not None:
            return value
    return None


def _samples(records: list[dict], start: datetime) -> tuple[Sample, ...]:
    """Every record with an absolute timestamp, as a Sample (none are merged or dropped otherwise)."""
    samples = []
    for record in records:
        timestamp = _datetime(record.get("timestamp"))
        if timestamp is None:
            continue
        samples.append(
            Sample(
                t_s=(timestamp - start).total_seconds(),
                distance_m=number_or_none(record.get("distance")),
                heart_rate=heart_rate_or_none(number_or_none(record.get("heart_rate"))),
                altitude_m=_first_number(record, "enhanced_altitude", "altitude"),
                lat=_degrees(record.get("position_lat"), 90.0),
                lon=_degrees(record.get("position_long"), 180.0),
                speed_m_s=_first_number(record, "enhanced_speed", "speed"),
            )
        )
    return tuple(samples)
