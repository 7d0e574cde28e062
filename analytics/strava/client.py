"""Strava's OAuth and API v3 over HTTP (`requests`), at the configurable STRAVA_OAUTH_BASE and
STRAVA_API_BASE. Nothing here touches the database: callers pass tokens and get JSON.

Failures are typed, so the sync can react: `StravaRateLimited` (429; `retry_after` is the time to
the end of the window Strava counts in — the 15-minute windows start at :00, :15, :30, :45 and the
daily one at midnight UTC, per developers.strava.com/docs/rate-limits), `StravaUnauthorized` (401:
the token is expired or was revoked), `StravaNotFound` (404: no such activity, or not visible to
this token), `StravaUnavailable` (5xx, timeouts, connection errors).
"""

from datetime import UTC, datetime, timedelta

import requests
from django.conf import settings

STREAM_KEYS = "time,distance,heartrate,altitude"


class StravaError(Exception):
    pass


class StravaRateLimited(StravaError):
    def __init__(self, retry_after: int):
        super().__init__(f"Strava's rate limit is reached; try again in {retry_after} s.")
        self.retry_after = retry_after


class StravaUnauthorized(StravaError):
    pass


class StravaUnavailable(StravaError):
    pass


class StravaNotFound(StravaError):
    pass


def _pairs(header: str | None) -> list[int]:
    try:
        return [int(part) for part in (header or "").split(",")]
    except ValueError:
        return []


def seconds_until_window_ends(usage: str | None, limit: str | None, now: datetime) -> int:
    """How long to wait after a 429: to the next quarter hour when the 15-minute budget is spent
    (or nothing says which), to the next UTC midnight when the daily one is."""
    used, allowed = _pairs(usage), _pairs(limit)
    daily_spent = len(used) == 2 and len(allowed) == 2 and used[1] >= allowed[1]
    if daily_spent:
        tomorrow = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        return max(1, int((tomorrow - now).total_seconds()))
    quarter = now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0) + timedelta(minutes=15)
    return max(1, int((quarter - now).total_seconds()))


def _answer(response: requests.Response):
    if response.status_code == 429:
        headers = response.headers
        usage = headers.get("X-ReadRateLimit-Usage") or headers.get("X-RateLimit-Usage")
        limit = headers.get("X-ReadRateLimit-Limit") or headers.get("X-RateLimit-Limit")
        raise StravaRateLimited(seconds_until_window_ends(usage, limit, datetime.now(UTC)))
    if response.status_code == 401:
        raise StravaUnauthorized(response.text[:300])
    if response.status_code == 404:
        raise StravaNotFound(response.text[:300])
    if response.status_code >= 500:
        raise StravaUnavailable(f"Strava answered {response.status_code}.")
    if response.status_code >= 400:
        raise StravaError(f"Strava refused the request ({response.status_code}): {response.text[:300]}")
    return response.json() if response.content else None  # 204 No Content: nothing to read


def _send(method: str, url: str, **kwargs):
    try:
        response = requests.request(method, url, timeout=settings.STRAVA_HTTP_TIMEOUT, **kwargs)
    except requests.RequestException as error:
        raise StravaUnavailable(f"Strava could not be reached: {error.__class__.__name__}.") from error
    return _answer(response)


def _token(form: dict) -> dict:
    body = {"client_id": settings.STRAVA_CLIENT_ID, "client_secret": settings.STRAVA_CLIENT_SECRET, **form}
    return _send("POST", f"{settings.STRAVA_OAUTH_BASE}/token", data=body)


def exchange_code(code: str) -> dict:
    """{token_type, access_token, refresh_token, expires_at, expires_in, athlete: {id, …}}."""
    return _token({"code": code, "grant_type": "authorization_code"})


def refresh_tokens(refresh_token: str) -> dict:
    """New tokens; Strava may hand back a new refresh token, which replaces the old one."""
    return _token({"refresh_token": refresh_token, "grant_type": "refresh_token"})


def deauthorize(access_token: str) -> None:
    _send("POST", f"{settings.STRAVA_OAUTH_BASE}/deauthorize", data={"access_token": access_token})


def _get(path: str, access_token: str, **params):
    headers = {"Authorization": f"Bearer {access_token}"}
    return _send("GET", f"{settings.STRAVA_API_BASE}{path}", headers=headers, params=params)


def athlete(access_token: str) -> dict:
    """The athlete the token belongs to (GET /athlete): the cheapest proof that a token works."""
    return _get("/athlete", access_token)


def athlete_activities(access_token: str, *, after: int, page: int, per_page: int = 100) -> list[dict]:
    """One page of the athlete's activities that started after the Unix time `after`."""
    return _get("/athlete/activities", access_token, after=after, page=page, per_page=per_page)


def activity(access_token: str, activity_id: int) -> dict:
    return _get(f"/activities/{int(activity_id)}", access_token)


def activity_streams(access_token: str, activity_id: int) -> dict[str, dict]:
    """{type: {data, series_type, original_size, resolution}} for time, distance, heart rate and
    altitude (those the activity has)."""
    streams = _get(f"/activities/{int(activity_id)}/streams", access_token, keys=STREAM_KEYS, key_by_type="true")
    if isinstance(streams, list):  # key_by_type ignored: a list of {type, data, …}
        return {stream["type"]: stream for stream in streams if isinstance(stream, dict) and "type" in stream}
    return streams


# Push subscriptions (developers.strava.com/docs/webhooks): one per application, authenticated by
# the application's client id and secret, not by an athlete's token.
def _application() -> dict:
    return {"client_id": settings.STRAVA_CLIENT_ID, "client_secret": settings.STRAVA_CLIENT_SECRET}


def push_subscriptions() -> list[dict]:
    """The application's subscriptions: [{id, callback_url, created_at, …}] (zero or one)."""
    return _send("GET", f"{settings.STRAVA_API_BASE}/push_subscriptions", params=_application())


def push_subscription_create(callback_url: str, verify_token: str) -> dict:
    """Subscribe: Strava first GETs `callback_url` with hub.challenge and this verify token, and
    answers {id} only once the callback echoed it."""
    form = {**_application(), "callback_url": callback_url, "verify_token": verify_token}
    return _send("POST", f"{settings.STRAVA_API_BASE}/push_subscriptions", data=form)


def push_subscription_delete(subscription_id: int) -> None:
    url = f"{settings.STRAVA_API_BASE}/push_subscriptions/{int(subscription_id)}"
    _send("DELETE", url, params=_application())
