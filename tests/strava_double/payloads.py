"""Strava-shaped JSON bodies: athletes, activities, streams, tokens and error bodies.

Field names and value forms follow Strava's documented examples (see the package docstring for
the pages): `start_date` is UTC with a trailing Z, `start_date_local` is the local wall time also
written with a Z (as Strava does), `timezone` reads "(GMT+01:00) Europe/Ljubljana" and
`utc_offset` is in seconds.
"""

import datetime
import statistics
from zoneinfo import ZoneInfo

STREAM_TYPES = (
    "time",
    "latlng",
    "distance",
    "altitude",
    "velocity_smooth",
    "heartrate",
    "cadence",
    "watts",
    "temp",
    "moving",
    "grade_smooth",
)
DETAIL_ONLY = ("description", "calories", "device_name")  # DetailedActivity adds these to SummaryActivity


def fault(message: str, resource: str, field: str, code: str) -> dict:
    """Strava's Fault body: {"message": ..., "errors": [{"resource", "field", "code"}]}."""
    return {"message": message, "errors": [{"resource": resource, "field": field, "code": code}]}


BAD_REQUEST = "Bad Request"
BAD_ACCESS_TOKEN = fault("Authorization Error", "Athlete", "access_token", "invalid")
MISSING_ACTIVITY_READ = fault("Authorization Error", "AccessToken", "activity:read_permission", "missing")
RATE_LIMIT_EXCEEDED = fault("Rate Limit Exceeded", "Application", "rate limit", "exceeded")


def not_found(resource: str) -> dict:
    return fault("Record Not Found", resource, "id", "invalid")


def iso(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def athlete(athlete_id: int, **fields) -> dict:
    """A SummaryAthlete (what the token exchange embeds and GET /athlete returns)."""
    body = {
        "id": athlete_id,
        "username": None,
        "resource_state": 2,
        "firstname": "Test",
        "lastname": f"Runner {athlete_id}",
        "bio": None,
        "city": "Ljubljana",
        "state": None,
        "country": "Slovenia",
        "sex": "F",
        "premium": False,
        "summit": False,
        "created_at": "2020-01-01T08:00:00Z",
        "updated_at": "2024-01-01T08:00:00Z",
        "badge_type_id": 0,
        "profile_medium": "avatar/athlete/medium.png",
        "profile": "avatar/athlete/large.png",
        "friend": None,
        "follower": None,
    }
    return body | fields


def detailed_athlete(summary_athlete: dict) -> dict:
    """GET /athlete's DetailedAthlete: the SummaryAthlete plus the owner-only fields."""
    extra = {"follower_count": 0, "friend_count": 0, "measurement_preference": "meters", "ftp": None, "weight": None}
    return summary_athlete | {"resource_state": 3} | extra | {"clubs": [], "bikes": [], "shoes": []}


def timezone_fields(start: datetime.datetime, tz: str) -> dict:
    local = start.astimezone(ZoneInfo(tz))
    offset = local.utcoffset() or datetime.timedelta()
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    label = f"(GMT{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}) {tz}"
    return {
        "start_date": iso(start.astimezone(datetime.UTC)),
        "start_date_local": iso(local.replace(tzinfo=None)),
        "timezone": label,
        "utc_offset": offset.total_seconds(),
    }


def from_streams(streams: dict[str, list]) -> dict:
    """The summary numbers Strava derives from an activity's streams."""
    derived = {}
    if streams.get("distance"):
        derived["distance"] = float(streams["distance"][-1])
    if streams.get("time"):
        derived["elapsed_time"] = derived["moving_time"] = int(streams["time"][-1])
    if streams.get("heartrate"):
        derived |= {
            "has_heartrate": True,
            "average_heartrate": round(statistics.fmean(streams["heartrate"]), 1),
            "max_heartrate": float(max(streams["heartrate"])),
        }
    if streams.get("altitude"):
        altitude = streams["altitude"]
        gain = sum(max(b - a, 0) for a, b in zip(altitude, altitude[1:], strict=False))
        derived |= {"elev_high": max(altitude), "elev_low": min(altitude), "total_elevation_gain": round(gain, 1)}
    return derived


def activity(activity_id: int, athlete_id: int, start: datetime.datetime, tz: str, streams: dict, **fields) -> dict:
    """A DetailedActivity; `summary()` strips it to the SummaryActivity the list returns."""
    body = {
        "resource_state": 3,
        "athlete": {"id": athlete_id, "resource_state": 1},
        "name": "Morning Run",
        "distance": 10000.0,
        "moving_time": 3000,
        "elapsed_time": 3100,
        "total_elevation_gain": 50.0,
        "type": "Run",
        "sport_type": "Run",
        "workout_type": None,
        "id": activity_id,
        "external_id": f"garmin_push_{activity_id}",
        "upload_id": activity_id + 1_000_000,
        "upload_id_str": str(activity_id + 1_000_000),
        **timezone_fields(start, tz),
        "start_latlng": [],
        "end_latlng": [],
        "achievement_count": 0,
        "kudos_count": 0,
        "comment_count": 0,
        "athlete_count": 1,
        "photo_count": 0,
        "map": {"id": f"a{activity_id}", "summary_polyline": "", "resource_state": 2},
        "trainer": False,
        "commute": False,
        "manual": not streams,
        "private": False,
        "visibility": "everyone",
        "flagged": False,
        "gear_id": None,
        "average_speed": 3.333,
        "max_speed": 4.5,
        "has_heartrate": False,
        "heartrate_opt_out": False,
        "elev_high": None,
        "elev_low": None,
        "pr_count": 0,
        "total_photo_count": 0,
        "description": None,
        "calories": 0.0,
        "device_name": "Garmin Forerunner 265" if streams else None,
    }
    body |= from_streams(streams)
    if body["moving_time"]:
        body["average_speed"] = round(body["distance"] / body["moving_time"], 3)
    return body | fields


def summary(detailed: dict) -> dict:
    return {key: value for key, value in detailed.items() if key not in DETAIL_ONLY} | {"resource_state": 2}


def streams_body(streams: dict[str, list], keys: list[str], key_by_type: bool) -> dict | list:
    """GET /activities/{id}/streams: the requested streams the activity has (others left out)."""
    found = [key for key in keys if key in streams]
    stream = {
        key: {"data": streams[key], "series_type": "distance", "original_size": len(streams[key]), "resolution": "high"}
        for key in found
    }
    if key_by_type:
        return stream
    return [{"type": key} | stream[key] for key in found]


def tokens(record: dict, with_athlete: dict | None) -> dict:
    """The POST /oauth/token answer; the authorization-code grant also embeds the athlete."""
    body = {
        "token_type": "Bearer",
        "expires_at": record["expires_at"],
        "expires_in": max(record["expires_at"] - int(datetime.datetime.now(datetime.UTC).timestamp()), 0),
        "refresh_token": record["refresh_token"],
        "access_token": record["access_token"],
    }
    return body | ({"athlete": with_athlete} if with_athlete else {})
