"""What the Strava sync tests share: a connected athlete, a run whose numbers are worked out by
hand, the same run as a TCX file, and a spy on the retries' countdowns (the `strava` fixture, the
double wired into settings, is in conftest.py)."""

from datetime import UTC, datetime, timedelta

from accounts.models import Integration
from astral.secret_box import seal
from tests.factories import UserFactory
from tests.strava_double import StravaDouble

# The athlete's profile the hand-computed numbers use.
PROFILE = {"resting_heart_rate": 50, "max_heart_rate": 190, "sex": "female", "pace_zones": [360, 300, 270, 240]}


def connect(strava: StravaDouble, user=None, **profile):
    """An athlete whose Strava is connected (tokens as the token exchange gave them, sealed):
    (user, Strava's athlete, the Integration)."""
    user = user or UserFactory(timezone="Europe/Ljubljana", **(PROFILE | profile))
    athlete = strava.add_athlete()
    tokens = strava.connect(athlete["id"])
    integration = Integration.objects.create(
        user=user,
        provider="strava",
        external_id=str(athlete["id"]),
        access_token=seal(tokens["access_token"]),
        refresh_token=seal(tokens["refresh_token"]),
        token_expires_at=datetime.fromtimestamp(tokens["expires_at"], UTC),
        scope="read,activity:read_all",
        connected=True,
        status="connected",
        connected_at=datetime.now(UTC),
    )
    return user, athlete, integration


def two_pace_run() -> dict[str, list]:
    """20 minutes at 1 Hz: 600 s at 2.5 m/s (6:40 /km, zone 1 of PROFILE) at 140 bpm, then 600 s
    at 3.75 m/s (4:26.7 /km, zone 4) at 160 bpm; 1 m of climb every 100 s."""
    time = list(range(1201))
    return {
        "time": time,
        "distance": [2.5 * t if t <= 600 else 1500 + 3.75 * (t - 600) for t in time],
        "heartrate": [140 if t <= 600 else 160 for t in time],
        "altitude": [300.0 + t // 100 for t in time],
    }


def tcx_of(streams: dict[str, list], start: datetime, *, distance: float, seconds: int, avg_hr: int) -> bytes:
    """The same recording as a watch's TCX file, with the lap totals Strava reports."""
    points = "".join(
        f"<Trackpoint><Time>{(start + timedelta(seconds=t)).strftime('%Y-%m-%dT%H:%M:%SZ')}</Time>"
        f"<AltitudeMeters>{alt}</AltitudeMeters><DistanceMeters>{d}</DistanceMeters>"
        f"<HeartRateBpm><Value>{hr}</Value></HeartRateBpm></Trackpoint>"
        for t, d, hr, alt in zip(
            streams["time"], streams["distance"], streams["heartrate"], streams["altitude"], strict=True
        )
    )
    begin = start.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        f'<Activities><Activity Sport="Running"><Id>{begin}</Id><Lap StartTime="{begin}">'
        f"<TotalTimeSeconds>{seconds}</TotalTimeSeconds><DistanceMeters>{distance}</DistanceMeters>"
        f"<AverageHeartRateBpm><Value>{avg_hr}</Value></AverageHeartRateBpm>"
        f"<Track>{points}</Track></Lap></Activity></Activities></TrainingCenterDatabase>"
    ).encode()


class RetrySpy:
    """Records the countdown each retry of a Strava task asked for, then lets it run again at
    once: only the waiting is taken out, the retry itself goes through Celery (the broker in the
    services pass; inline in the embedded one, which has no worker to wait)."""

    def __init__(self, monkeypatch):
        from analytics import tasks

        self.countdowns: list[int] = []
        original = tasks._retry_later

        def retry_later(task, error, countdown, limit):
            self.countdowns.append(countdown)
            return original(task, error, 0, limit)

        monkeypatch.setattr(tasks, "_retry_later", retry_later)


def freeze_strava_clock(monkeypatch, at: datetime) -> None:
    """The clock the Strava client reads a 429's window from (nothing else's)."""
    from analytics.strava import client

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):
            return at

    monkeypatch.setattr(client, "datetime", Clock)
