"""A local test double of Strava's OAuth2 and API v3 (standard library only), for Astral's tests.

    with StravaDouble() as strava:               # a ThreadingHTTPServer on a free 127.0.0.1 port
        settings.STRAVA_OAUTH_BASE = strava.oauth_base   # http://127.0.0.1:PORT/oauth
        settings.STRAVA_API_BASE = strava.api_base       # http://127.0.0.1:PORT/api/v3
        athlete = strava.add_athlete()
        strava.add_activity(athlete["id"], streams={"time": [0, 1], "heartrate": [120, 121]})
        callback = strava.approve_url(astral_authorize_url)   # what the browser would be sent to

Served (shapes as Strava documents them; a Strava-shaped Fault body on every error):
- GET/POST /oauth/authorize: the consent page (a form; "Authorize" redirects 302 to
  redirect_uri?state=&code=&scope=, "Cancel" to redirect_uri?state=&error=access_denied).
- POST /oauth/token: grant_type authorization_code (embeds the athlete) and refresh_token
  (a new access token; the refresh token rotates and the old one stops working, see
  `rotate_refresh_tokens`). POST /oauth/deauthorize revokes every token of the athlete.
- Bearer-token API: GET /athlete, /athlete/activities (before, after, page, per_page; newest
  first), /activities/{id}, /activities/{id}/streams (keys, key_by_type). Activity reads need
  activity:read (or activity:read_all for private ones). Every answer carries X-RateLimit-Limit,
  X-RateLimit-Usage, X-ReadRateLimit-Limit and X-ReadRateLimit-Usage.
- Push subscriptions (client_id + client_secret): POST /api/v3/push_subscriptions validates the
  callback with the hub.challenge GET first; GET lists, DELETE /push_subscriptions/{id} removes.

Test controls: add_athlete, add_activity (with streams), update_activity, delete_activity,
connect (tokens without the browser), approve_url, expire_token(s), token_lifetime (<= 0 issues
already expired tokens), rate_limit_next(n), fail_next(n, status), hold(path) (requests to it wait
until the returned event is set), `requests` (every request
received, see Recorded), push / deauthorize_athlete (webhook events to a callback URL).

Modules: payloads (the JSON shapes), oauth (the OAuth endpoints), webhooks (event sender,
subscription validation GET, push subscriptions endpoint).

Based on Strava's documentation:
- https://developers.strava.com/docs/authentication/ (authorize parameters, redirect query,
  token exchange and refresh responses, deauthorization)
- https://developers.strava.com/docs/reference/ (getLoggedInAthlete,
  getLoggedInAthleteActivities, getActivityById, getActivityStreams; SummaryActivity,
  DetailedActivity, SummaryAthlete, StreamSet models; Fault/Error)
- https://strava.github.io/api/v3/streams/ (stream object: type, data, series_type,
  original_size, resolution; the 11 stream types)
- https://developers.strava.com/docs/rate-limits/ (the four headers, "15-minute, daily"
  values, default limits 200/2,000 overall and 100/1,000 read, 429 Too Many Requests)
- https://developers.strava.com/docs/webhooks/ (event fields, subscription validation,
  200 within two seconds, three attempts, {"authorized": "false"} on deauthorization)
Error bodies are those Strava returns in practice, as reported in public issue threads
(e.g. stravalib/stravalib#185, yihong0618/running_page#523, dblock/slack-strava#38,
googledatastudio/community-connectors#291); the documentation gives the Fault shape only.
"""

import datetime
import itertools
import json
import re
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.strava_double import payloads
from tests.strava_double.oauth import OAuth, query_values
from tests.strava_double.webhooks import Response, Subscriptions, event, send_event, validate_subscription

__all__ = ["Recorded", "Response", "StravaDouble", "event", "send_event", "validate_subscription"]

DEFAULT_SCOPE = "read,activity:read_all"


@dataclass
class Recorded:
    """One request the double received; header names are lower-cased, query and form values are
    the last given for each name."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    form: dict[str, str]


class _Handler(BaseHTTPRequestHandler):
    double: "StravaDouble"

    def do_GET(self):  # noqa: N802 - http.server's hook names
        self.double._handle(self)

    do_POST = do_PUT = do_DELETE = do_GET

    def log_message(self, format, *args):  # noqa: A002 - keep test output quiet
        pass


class StravaDouble(OAuth, Subscriptions):
    def __init__(self, client_id: str = "163999", client_secret: str = "double-client-secret"):
        self.client_id, self.client_secret = client_id, client_secret
        self.lock = threading.RLock()
        self.athletes: dict[int, dict] = {}
        self.activities: dict[int, dict] = {}
        self.streams: dict[int, dict[str, list]] = {}
        self.codes: dict[str, tuple[int, str]] = {}
        self.access: dict[str, dict] = {}  # access token -> its record
        self.refresh: dict[str, dict] = {}  # live refresh token -> the latest record
        self.subscriptions: dict[int, dict] = {}
        self.requests: list[Recorded] = []
        self.token_lifetime = 6 * 3600  # Strava's access tokens live six hours
        self.rotate_refresh_tokens = True
        self.signed_in: int | None = None  # who approves /oauth/authorize; default: the last athlete added
        self.accepted_scope: str | None = None  # None: the athlete accepts every scope asked for
        self.limits, self.read_limits = (200, 2000), (100, 1000)
        self.usage, self.read_usage = [0, 0], [0, 0]
        self.forced: list[tuple[int, dict]] = []
        self.gates: dict[str, threading.Event] = {}  # path → requests wait until it is set (`hold`)
        self.ids, self.subscription_ids = itertools.count(8_000_000_001), itertools.count(120475)
        self.server: ThreadingHTTPServer | None = None

    # --- lifecycle ----------------------------------------------------------------------------
    def start(self) -> "StravaDouble":
        handler = type("StravaHandler", (_Handler,), {"double": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(timeout=5)
            self.server = None

    __enter__ = start

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def oauth_base(self) -> str:
        return self.base_url + "/oauth"

    @property
    def api_base(self) -> str:
        return self.base_url + "/api/v3"

    # --- test controls ------------------------------------------------------------------------
    def add_athlete(self, athlete_id: int | None = None, **fields) -> dict:
        with self.lock:
            athlete = payloads.athlete(athlete_id or next(self.ids), **fields)
            self.athletes[athlete["id"]] = athlete
            return athlete

    def add_activity(self, athlete_id: int, *, start=None, tz="Europe/Ljubljana", streams=None, **fields) -> dict:
        """A DetailedActivity of the athlete; distance, times, heart rate and elevation follow
        from `streams` ({type: data}) unless given in `fields`. `start`: an aware datetime."""
        assert start is None or start.tzinfo, "start must be an aware datetime"
        start = start or datetime.datetime.now(datetime.UTC).replace(microsecond=0) - datetime.timedelta(hours=2)
        with self.lock:
            activity_id = fields.pop("id", None) or next(self.ids)
            unknown = set(streams or {}) - set(payloads.STREAM_TYPES)
            assert not unknown, f"not Strava stream types: {unknown}"
            activity = payloads.activity(activity_id, athlete_id, start, tz, streams or {}, **fields)
            self.activities[activity_id], self.streams[activity_id] = activity, dict(streams or {})
            return activity

    def update_activity(self, activity_id: int, **fields) -> dict:
        with self.lock:
            self.activities[activity_id].update(fields)
            return self.activities[activity_id]

    def delete_activity(self, activity_id: int) -> None:
        with self.lock:
            del self.activities[activity_id], self.streams[activity_id]

    def issue_code(self, athlete_id: int, scope: str = DEFAULT_SCOPE) -> str:
        code = secrets.token_hex(20)
        with self.lock:
            self.codes[code] = (athlete_id, scope)
        return code

    def approve_url(self, authorize_url: str, approve: bool = True) -> str:
        """The redirect Location the consent page would send the browser to (no HTTP)."""
        status, location = self._authorize(query_values(urllib.parse.urlsplit(authorize_url).query), approve)
        assert status == 302, location
        return location

    def connect(self, athlete_id: int, scope: str = DEFAULT_SCOPE) -> dict:
        """The token exchange's answer for an athlete, skipping the browser and the code."""
        with self.lock:
            return payloads.tokens(self._issue(athlete_id, scope), self.athletes[athlete_id])

    def expire_token(self, access_token: str) -> None:
        with self.lock:
            self.access[access_token]["expires_at"] = int(time.time()) - 1

    def expire_tokens(self, athlete_id: int) -> None:
        with self.lock:
            for token, record in self.access.items():
                if record["athlete_id"] == athlete_id:
                    self.expire_token(token)

    def rate_limit_next(self, count: int = 1) -> None:
        """The next `count` API requests answer 429 with the usage headers over the limit."""
        with self.lock:
            self.forced += [(429, payloads.RATE_LIMIT_EXCEEDED)] * count

    def fail_next(self, count: int = 1, status: int = 503, body: dict | None = None) -> None:
        with self.lock:
            self.forced += [(status, body or payloads.fault("Service Unavailable", "Application", "", "error"))] * count

    def hold(self, path: str) -> threading.Event:
        """Requests to `path` wait (up to 30 s) until the returned event is set: a sync caught
        in the middle, as a slow Strava would leave it."""
        gate = threading.Event()
        with self.lock:
            self.gates[path] = gate
        return gate

    def requests_to(self, path: str, method: str | None = None) -> list[Recorded]:
        with self.lock:
            return [r for r in self.requests if r.path == path and method in (None, r.method)]

    def push(self, callback_url: str, object_type: str, object_id: int, aspect_type: str, updates=None, attempts=1):
        """Send a webhook event about a known activity or athlete (owner and subscription filled in)."""
        owner = self.activities[object_id]["athlete"]["id"] if object_type == "activity" else object_id
        body = event(object_type, object_id, aspect_type, owner, self.subscription_id, updates)
        return send_event(callback_url, body, attempts)

    def deauthorize_athlete(self, athlete_id: int, callback_url: str | None = None) -> Response | None:
        """The athlete revokes Astral in their Strava settings: tokens die, the event is pushed."""
        self._revoke(athlete_id)
        if callback_url:
            return self.push(callback_url, "athlete", athlete_id, "update", {"authorized": "false"})
        return None

    @property
    def subscription_id(self) -> int:
        return next(iter(self.subscriptions), 120475)

    # --- HTTP ---------------------------------------------------------------------------------
    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        url = urllib.parse.urlsplit(h.path)
        raw = h.rfile.read(int(h.headers.get("Content-Length") or 0)).decode()
        form = json.loads(raw) if "json" in (h.headers.get("Content-Type") or "") and raw else query_values(raw)
        query, headers = query_values(url.query), {k.lower(): v for k, v in h.headers.items()}
        with self.lock:
            form = {k: str(v) for k, v in form.items()}
            self.requests.append(Recorded(h.command, url.path, query, headers, form))
        params = query | form
        if gate := self.gates.get(url.path):
            gate.wait(timeout=30)
        status, body, extra = self._route(h.command, url.path, params, headers)
        if isinstance(body, str) and status == 302:
            extra, data, kind = extra | {"Location": body}, b"", "text/html"
        elif isinstance(body, str):
            data, kind = body.encode(), "text/html; charset=utf-8"
        else:
            data, kind = (b"" if body is None else json.dumps(body).encode()), "application/json; charset=utf-8"
        h.send_response(status)
        for name, value in (extra | {"Content-Type": kind, "Content-Length": str(len(data))}).items():
            h.send_header(name, value)
        h.end_headers()
        h.wfile.write(data)

    def _route(self, method: str, path: str, params: dict, headers: dict):
        if path == "/favicon.ico":  # a browser on the consent page asks for it
            return 204, None, {}
        if path == "/oauth/authorize" and method in ("GET", "POST"):
            if method == "GET":
                return self._consent_page(params)
            status, location = self._authorize(params, params.get("decision") == "authorize")
            return status, location, {}
        if path == "/oauth/token" and method == "POST":
            with self.lock:
                return (*self._token(params), {})
        if path == "/oauth/deauthorize" and method == "POST":
            record = self._record(params.get("access_token") or _bearer(headers))
            if not record:
                return 401, payloads.BAD_ACCESS_TOKEN, {}
            self._revoke(record["athlete_id"])
            return 200, {"access_token": record["access_token"]}, {}
        if not path.startswith("/api/v3/"):
            return 404, payloads.not_found("Resource"), {}
        with self.lock:
            self.usage = [n + 1 for n in self.usage]
            self.read_usage = [n + 1 for n in self.read_usage] if method == "GET" else self.read_usage
            forced = self.forced.pop(0) if self.forced else None
            if forced and forced[0] == 429:
                self.usage[0] = max(self.usage[0], self.limits[0] + 1)
                self.read_usage[0] = max(self.read_usage[0], self.read_limits[0] + 1)
            pairs = {"X-RateLimit": (self.limits, self.usage), "X-ReadRateLimit": (self.read_limits, self.read_usage)}
            limit_headers = {
                f"{prefix}-{name}": ",".join(map(str, values))
                for prefix, (limits, usage) in pairs.items()
                for name, values in (("Limit", limits), ("Usage", usage))
            }
        if forced:
            return forced[0], forced[1], limit_headers
        status, body = self._api(method, path.removeprefix("/api/v3"), params, headers)
        return status, body, limit_headers

    def _api(self, method: str, path: str, params: dict, headers: dict):
        if path.startswith("/push_subscriptions"):
            return self._subscriptions(method, path, params)
        with self.lock:
            record = self._record(_bearer(headers))
            if not record:
                return 401, payloads.BAD_ACCESS_TOKEN
            athlete_id, scopes = record["athlete_id"], record["scope"].split(",")
            if method == "GET" and path == "/athlete":
                return 200, payloads.detailed_athlete(self.athletes[athlete_id])
            if not {"activity:read", "activity:read_all"} & set(scopes):
                return 401, payloads.MISSING_ACTIVITY_READ
            visible = {
                key: activity
                for key, activity in self.activities.items()
                if activity["athlete"]["id"] == athlete_id
                and (not activity["private"] or "activity:read_all" in scopes)
            }
            if method == "GET" and path == "/athlete/activities":
                return self._list(visible.values(), params)
            match = re.fullmatch(r"/activities/(\d+)(/streams)?", path)
            if method != "GET" or not match or int(match[1]) not in visible:
                return 404, payloads.not_found("Activity")
            activity_id = int(match[1])
            if not match[2]:
                return 200, visible[activity_id]
            keys = params.get("keys", "").split(",")
            return 200, payloads.streams_body(self.streams[activity_id], keys, params.get("key_by_type") == "true")

    def _list(self, activities, params: dict):
        try:
            before, after = int(params.get("before") or 2**40), int(params.get("after") or 0)
            page, per_page = int(params.get("page") or 1), min(int(params.get("per_page") or 30), 200)
        except ValueError:
            return 400, payloads.fault(payloads.BAD_REQUEST, "Activity", "page", "invalid")
        epoch = {a["id"]: _epoch(a["start_date"]) for a in activities}
        chosen = sorted((a for a in activities if after < epoch[a["id"]] < before), key=lambda a: -epoch[a["id"]])
        return 200, [payloads.summary(a) for a in chosen[(page - 1) * per_page : page * per_page]]


def _bearer(headers: dict) -> str | None:
    scheme, _, token = headers.get("authorization", "").partition(" ")
    return token if scheme.lower() == "bearer" else None


def _epoch(iso: str) -> int:
    return int(datetime.datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.UTC).timestamp())
