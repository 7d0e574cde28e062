"""The plain values the parsers produce: no Django, no database.

Units are SI throughout: metres, seconds, metres per second, beats per minute, degrees (WGS-84).
"""

from dataclasses import dataclass
from datetime import datetime

SPORTS = ("run", "trail_run", "treadmill", "walk", "ride", "swim", "other")


class InvalidActivityFile(Exception):
    """The uploaded bytes are not an activity we can import. `message` is written for the person
    who uploaded the file; `code` is a stable machine code for the API's error `details`."""

    def __init__(self, message: str, *, code: str = "INVALID_ACTIVITY_FILE") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True, slots=True)
class Sample:
    """One recorded point. `t_s` is seconds since the activity's `start_time` (may be slightly
    negative when a device logs a point before it starts the timer); `distance_m` is cumulative."""

    t_s: float
    distance_m: float | None = None
    heart_rate: int | None = None
    altitude_m: float | None = None
    lat: float | None = None
    lon: float | None = None
    speed_m_s: float | None = None

    def to_json(self) -> dict:
        """The row shape of `ActivitySamples.data`: {t, distance, heart_rate, altitude, lat, lon, speed}."""
        return {
            "t": self.t_s,
            "distance": self.distance_m,
            "heart_rate": self.heart_rate,
            "altitude": self.altitude_m,
            "lat": self.lat,
            "lon": self.lon,
            "speed": self.speed_m_s,
        }


@dataclass(frozen=True, slots=True)
class ParsedActivity:
    """One activity read from a FIT, GPX or TCX file (or from Strava, analytics/ingest/strava.py).

    `start_time` is an aware datetime in UTC. `moving_s` is timer/moving time (pauses and stops
    excluded), `elapsed_s` wall-clock time from start to end. `samples` are in file order.
    `notes` are human-readable remarks about how the file was read (for example a salvage).
    """

    sport: str
    start_time: datetime
    distance_m: float
    moving_s: float
    elapsed_s: float
    avg_hr: int | None
    max_hr: int | None
    calories: int | None
    elevation_gain_m: float | None
    samples: tuple[Sample, ...]
    source_format: str  # "fit", "gpx", "tcx" or "strava"
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Guards against bugs in our own parsers, not against bad files (those raise InvalidActivityFile).
        if self.sport not in SPORTS:
            raise ValueError(f"unknown sport {self.sport!r}")
        if self.start_time.tzinfo is None:
            raise ValueError("start_time must be aware")
