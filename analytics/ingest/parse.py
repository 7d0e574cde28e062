"""`parse_activity_file(data)`: the single entry point of activity import (no Django, no database).

Bytes in, a ParsedActivity out — or InvalidActivityFile with a message for the person who
uploaded the file. No other exception type escapes for any input: the third-party decoders are
wrapped where they are called (fit.py, gpx.py, tcx.py, detect.py); our own code is kept honest by
tests, including mutated and truncated real files, rather than by a blanket `except`.

Decisions on the edge files of shared/data/activities (docs/metrics.md, "Activity import"):

- activity-unexpected-eof.fit (the stream ends before its declared size) and
  activity-settings-corruptheader.fit (a second, chained FIT header that is corrupt): rejected,
  "The FIT file is truncated or corrupt…" (code CORRUPT_FILE). Both contain a session message
  before the damage, but truncation, a bad header or a CRC mismatch mean the bytes themselves are
  damaged (a cut-off upload, a broken copy) and we cannot tell what is missing.
- strava-android-app-201.10-b1218918.fit: a valid session message, then a record that uses an
  undefined local message type (FitParseError). Salvaged: the stream is intact but one writer's
  message cannot be interpreted, and the session the app wrote is complete — run,
  2021-09-27T14:13:10Z, 11274.04 m, 3558 s. The samples are dropped (only the first five minutes
  decode, and the last decoded record already reads 2085); `notes` says so.
- cerknicko-without-times.gpx and korita-zbevnica.gpx (no timestamps on most points): rejected,
  "This GPX track has no timestamps…" (NO_TIMESTAMPS) — an activity without a start time cannot be
  placed on a day, and without durations there is no pace or load.
- Mojstrovka.gpx (every point at 1901-12-13T20:45:52, so duration 0): rejected as implausible
  (IMPLAUSIBLE_TIMESTAMPS). A start before 1990-01-01 (before any GPS watch; also what an unset
  device clock produces), more than a day in the future, an elapsed time ≤ 0 or over 14 days is
  implausible. A recording with no moving time at all is refused too (NO_MOVING_TIME).
- Empty bytes, random bytes, JSON, HTML, XML with another root: "not a FIT, GPX or TCX file"
  (UNSUPPORTED_FORMAT). A GPX without track points: NO_ACTIVITY_DATA. XML with a DOCTYPE:
  refused (entity-expansion safety, see detect.py).
"""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from analytics.ingest.detect import FileFormat, detect_format
from analytics.ingest.fit import parse_fit
from analytics.ingest.gpx import parse_gpx
from analytics.ingest.tcx import parse_tcx
from analytics.ingest.types import InvalidActivityFile, ParsedActivity

EARLIEST_START = datetime(1990, 1, 1, tzinfo=UTC)
MAX_CLOCK_AHEAD = timedelta(days=1)
MAX_ELAPSED_S = 14 * 24 * 3600.0

PARSERS = {FileFormat.FIT: parse_fit, FileFormat.GPX: parse_gpx, FileFormat.TCX: parse_tcx}


def parse_activity_file(data: bytes, *, now: datetime | None = None) -> ParsedActivity:
    """Read one activity from the bytes of a FIT, GPX or TCX file (format detected from content).

    `now` (aware; default: the current UTC time) bounds a plausible start time. Units: metres,
    seconds, bpm; `start_time` is UTC. Raises InvalidActivityFile (with `.message` and `.code`)
    for anything that cannot be imported."""
    detected = detect_format(bytes(data))
    activity = PARSERS[detected.format](detected.payload)
    return _plausible(activity, now or datetime.now(UTC))


def _plausible(activity: ParsedActivity, now: datetime) -> ParsedActivity:
    """Refuse implausible times; drop negative calories/ascent (decoding errors, not data)."""
    problems = []
    if activity.start_time < EARLIEST_START:
        problems.append(f"it starts on {activity.start_time:%Y-%m-%d}, before 1990")
    elif activity.start_time > now + MAX_CLOCK_AHEAD:
        problems.append(f"it starts on {activity.start_time:%Y-%m-%d}, in the future")
    if activity.elapsed_s <= 0:
        problems.append(f"its duration is {max(activity.elapsed_s, 0.0):.0f} seconds")
    elif activity.elapsed_s > MAX_ELAPSED_S:
        problems.append(f"it lasts {activity.elapsed_s / 86400:.0f} days")
    if problems:
        raise InvalidActivityFile(
            f"The timestamps in this file are implausible: {' and '.join(problems)}. "
            "The recording device's clock was probably not set; this activity cannot be imported.",
            code="IMPLAUSIBLE_TIMESTAMPS",
        )
    if activity.moving_s <= 0:
        raise InvalidActivityFile(
            "This activity has no moving time (it never moves faster than 0.5 m/s), so it cannot be imported.",
            code="NO_MOVING_TIME",
        )
    return replace(
        activity,
        distance_m=max(activity.distance_m, 0.0),
        elapsed_s=max(activity.elapsed_s, activity.moving_s),
        calories=activity.calories if activity.calories is not None and activity.calories >= 0 else None,
        elevation_gain_m=(
            activity.elevation_gain_m
            if activity.elevation_gain_m is not None and activity.elevation_gain_m >= 0
            else None
        ),
    )
