"""The Strava double itself (tests/strava_double): OAuth, the API's shapes, its failure modes and
the webhook sender. No database: plain HTTP against the double on a free local port."""

import datetime
import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.strava_double import StravaDouble, event, send_event, validate_subscription
from tests.strava_double.webhooks import Response

REDIRECT = "http://astral.test/strava/callback"
START = datetime.datetime(2024, 5, 1, 6, 30, tzinfo=datetime.UTC)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(_NoRedirect)


def call(method: str, url: str, form: dict | None = None, token: str | None = None) -> Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with OPENER.open(request, timeout=5) as answer:
            return Response(answer.status, answer.read().decode(), dict(answer.headers))
    except urllib.error.HTTPError as error:
        return Response(error.code, error.read().decode(), dict(error.headers))


@pytest.fixture
def strava():
    with StravaDouble() as double:
        yield double


@pytest.fixture
def runner(strava):
    return strava.add_athlete(firstname="Ana")


def token_form(strava, **fields) -> dict:
    return {"client_id": strava.client_id, "client_secret": strava.client_secret} | fields


def authorize_query(strava, **extra) -> str:
    query = {"client_id": strava.client_id, "redirect_uri": REDIRECT, "response_type": "code"}
    return urllib.parse.urlencode(query | {"scope": "activity:read_all", "state": "s-1"} | extra)


def test_consent_page_then_code_then_tokens_then_refresh(strava, runner):
    page = call("GET", f"{strava.oauth_base}/authorize?{authorize_query(strava)}")
    assert page.status == 200
    assert 'action="/oauth/authorize"' in page.body
    assert 'value="authorize"' in page.body
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page.body))
    assert form["redirect_uri"] == REDIRECT
    approved = call("POST", f"{strava.oauth_base}/authorize", form | {"decision": "authorize"})
    assert approved.status == 302
    location = urllib.parse.urlsplit(approved.headers["Location"])
    query = dict(urllib.parse.parse_qsl(location.query))
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    assert query["state"] == "s-1"
    assert query["scope"] == "read,activity:read_all"

    exchanged = call(
        "POST", f"{strava.oauth_base}/token", token_form(strava, code=query["code"], grant_type="authorization_code")
    )
    assert exchanged.status == 200
    tokens = exchanged.json()
    assert set(tokens) == {"token_type", "expires_at", "expires_in", "refresh_token", "access_token", "athlete"}
    assert tokens["token_type"] == "Bearer"
    assert 21590 <= tokens["expires_in"] <= 21600
    assert tokens["athlete"]["id"] == runner["id"]
    assert tokens["athlete"]["firstname"] == "Ana"
    again = call(
        "POST", f"{strava.oauth_base}/token", token_form(strava, code=query["code"], grant_type="authorization_code")
    )
    assert again.status == 400
    assert again.json()["errors"] == [{"resource": "AuthorizationCode", "field": "code", "code": "invalid"}]

    refresh = token_form(strava, refresh_token=tokens["refresh_token"], grant_type="refresh_token")
    refreshed = call("POST", f"{strava.oauth_base}/token", refresh).json()
    assert "athlete" not in refreshed
    assert refreshed["access_token"] != tokens["access_token"]
    assert refreshed["refresh_token"] != tokens["refresh_token"]
    assert call("POST", f"{strava.oauth_base}/token", refresh).status == 400  # the old refresh token is spent
    me = call("GET", f"{strava.api_base}/athlete", token=refreshed["access_token"]).json()
    assert (me["id"], me["resource_state"], me["measurement_preference"]) == (runner["id"], 3, "meters")


def test_token_errors_and_cancel(strava, runner):
    code = strava.issue_code(runner["id"])
    wrong_secret = token_form(strava, client_secret="nope", code=code, grant_type="authorization_code")
    answer = call("POST", f"{strava.oauth_base}/token", wrong_secret)
    assert answer.status == 401
    assert answer.json()["message"] == "Authorization Error"
    wrong_client = call("POST", f"{strava.oauth_base}/token", token_form(strava, client_id="1", code=code))
    assert wrong_client.status == 400
    assert wrong_client.json() == {
        "message": "Bad Request",
        "errors": [{"resource": "Application", "field": "client_id", "code": "invalid"}],
    }
    cancelled = strava.approve_url(f"{strava.oauth_base}/authorize?{authorize_query(strava)}", approve=False)
    assert cancelled == f"{REDIRECT}?state=s-1&error=access_denied"
    strava.accepted_scope = "read"  # the athlete unticks the activity box
    narrowed = strava.approve_url(f"{strava.oauth_base}/authorize?{authorize_query(strava)}")
    assert dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(narrowed).query))["scope"] == "read"


def test_activities_are_paged_newest_first_and_filtered(strava, runner):
    other = strava.add_athlete()
    strava.add_activity(other["id"], start=START)
    ids = [strava.add_activity(runner["id"], start=START + datetime.timedelta(days=day))["id"] for day in range(5)]
    token = strava.connect(runner["id"])["access_token"]
    pages = [
        call("GET", f"{strava.api_base}/athlete/activities?page={n}&per_page=2", token=token).json()
        for n in (1, 2, 3, 4)
    ]
    assert [[a["id"] for a in page] for page in pages] == [ids[4:2:-1], ids[2:0:-1], ids[:1], []]
    summary = pages[0][0]
    assert summary["resource_state"] == 2
    assert "description" not in summary
    assert summary["athlete"] == {"id": runner["id"], "resource_state": 1}
    assert summary["start_date"] == "2024-05-05T06:30:00Z"
    assert summary["start_date_local"] == "2024-05-05T08:30:00Z"
    assert summary["timezone"] == "(GMT+02:00) Europe/Ljubljana"
    assert summary["utc_offset"] == 7200.0
    after, before = (
        int((START + datetime.timedelta(days=1)).timestamp()),
        int((START + datetime.timedelta(days=4)).timestamp()),
    )
    window = call("GET", f"{strava.api_base}/athlete/activities?after={after}&before={before}", token=token).json()
    assert [a["id"] for a in window] == [ids[3], ids[2]]
    detailed = call("GET", f"{strava.api_base}/activities/{ids[0]}", token=token).json()
    assert detailed["resource_state"] == 3
    assert "description" in detailed
    strava.update_activity(ids[0], name="Renamed")
    strava.delete_activity(ids[1])
    assert call("GET", f"{strava.api_base}/activities/{ids[0]}", token=token).json()["name"] == "Renamed"
    assert call("GET", f"{strava.api_base}/activities/{ids[1]}", token=token).status == 404


def test_streams_shape(strava, runner):
    streams = {
        "time": [0, 10, 20],
        "distance": [0.0, 30.5, 61.0],
        "heartrate": [120, 130, 140],
        "altitude": [300.0, 302.5, 301.0],
    }
    activity = strava.add_activity(runner["id"], streams=streams)
    assert (activity["distance"], activity["elapsed_time"], activity["average_heartrate"]) == (61.0, 20, 130.0)
    assert (activity["max_heartrate"], activity["total_elevation_gain"], activity["has_heartrate"]) == (
        140.0,
        2.5,
        True,
    )
    token = strava.connect(runner["id"])["access_token"]
    url = f"{strava.api_base}/activities/{activity['id']}/streams?keys=time,distance,heartrate,altitude,watts"
    keyed = call("GET", url + "&key_by_type=true", token=token).json()
    assert set(keyed) == {"time", "distance", "heartrate", "altitude"}  # no watts stream: left out
    assert keyed["heartrate"] == {
        "data": [120, 130, 140],
        "series_type": "distance",
        "original_size": 3,
        "resolution": "high",
    }
    listed = call("GET", url, token=token).json()
    assert [s["type"] for s in listed] == ["time", "distance", "heartrate", "altitude"]


def test_expired_unknown_and_narrow_tokens_get_401(strava, runner):
    private = strava.add_activity(runner["id"], private=True)
    token = strava.connect(runner["id"], scope="read,activity:read")["access_token"]
    assert call("GET", f"{strava.api_base}/athlete/activities", token=token).json() == []  # private needs read_all
    assert call("GET", f"{strava.api_base}/activities/{private['id']}", token=token).status == 404
    strava.expire_token(token)
    expired = call("GET", f"{strava.api_base}/athlete", token=token)
    assert expired.status == 401
    assert expired.json()["errors"] == [{"resource": "Athlete", "field": "access_token", "code": "invalid"}]
    assert call("GET", f"{strava.api_base}/athlete", token="made-up").status == 401
    assert call("GET", f"{strava.api_base}/athlete").status == 401
    strava.token_lifetime = 0
    born_expired = strava.connect(runner["id"])
    assert born_expired["expires_in"] == 0
    assert call("GET", f"{strava.api_base}/athlete", token=born_expired["access_token"]).status == 401
    strava.token_lifetime = 3600
    read_only = strava.connect(runner["id"], scope="read")["access_token"]
    missing = call("GET", f"{strava.api_base}/athlete/activities", token=read_only)
    assert missing.status == 401
    assert missing.json()["errors"][0]["field"] == "activity:read_permission"


def test_rate_limit_429_headers_and_recorded_requests(strava, runner):
    token = strava.connect(runner["id"])["access_token"]
    ok = call("GET", f"{strava.api_base}/athlete", token=token)
    assert ok.headers["X-RateLimit-Limit"] == "200,2000"
    assert ok.headers["X-RateLimit-Usage"] == "1,1"
    assert ok.headers["X-ReadRateLimit-Limit"] == "100,1000"
    strava.rate_limit_next(2)
    limited = [call("GET", f"{strava.api_base}/athlete/activities?page=1", token=token) for _ in range(2)]
    assert [r.status for r in limited] == [429, 429]
    assert limited[0].json()["message"] == "Rate Limit Exceeded"
    assert limited[0].headers["X-RateLimit-Usage"] == "201,2"
    assert limited[0].headers["X-ReadRateLimit-Usage"] == "101,2"
    assert call("GET", f"{strava.api_base}/athlete", token=token).status == 200
    strava.fail_next(1, status=503)
    assert call("GET", f"{strava.api_base}/athlete", token=token).status == 503
    recorded = strava.requests_to("/api/v3/athlete/activities", "GET")
    assert len(recorded) == 2
    assert recorded[0].query == {"page": "1"}
    assert recorded[0].headers["authorization"] == f"Bearer {token}"


def test_deauthorize_revokes_every_token(strava, runner):
    first, second = strava.connect(runner["id"]), strava.connect(runner["id"])
    answer = call("POST", f"{strava.oauth_base}/deauthorize", {"access_token": first["access_token"]})
    assert answer.json() == {"access_token": first["access_token"]}
    assert call("GET", f"{strava.api_base}/athlete", token=second["access_token"]).status == 401
    refresh = token_form(strava, refresh_token=second["refresh_token"], grant_type="refresh_token")
    assert call("POST", f"{strava.oauth_base}/token", refresh).status == 400


@pytest.fixture
def receiver():
    """A tiny webhook callback: echoes hub.challenge on GET, records POSTed events, answers
    `statuses` in turn (then 200)."""
    got: dict = {"events": [], "statuses": [], "verify_token": "astral-verify"}

    class Callback(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
            ok = query.get("hub.mode") == "subscribe" and query.get("hub.verify_token") == got["verify_token"]
            self.answer(200 if ok else 403, {"hub.challenge": query.get("hub.challenge")} if ok else {})

        def do_POST(self):  # noqa: N802
            got["events"].append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.answer(got["statuses"].pop(0) if got["statuses"] else 200, {})

        def answer(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Callback)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    got["url"] = f"http://127.0.0.1:{server.server_address[1]}/strava/webhook"
    yield got
    server.shutdown()
    server.server_close()


def test_webhook_sender_and_subscription_validation(strava, runner, receiver):
    checked = validate_subscription(receiver["url"], "astral-verify", challenge="15f7d1a91c1f40")
    assert (checked.status, checked.json()) == (200, {"hub.challenge": "15f7d1a91c1f40"})
    assert validate_subscription(receiver["url"], "wrong").status == 403

    body = event("activity", 1360128428, "update", runner["id"], 120475, {"title": "Messy"}, event_time=1516126040)
    assert send_event(receiver["url"], body).status == 200
    assert receiver["events"] == [
        {
            "aspect_type": "update",
            "event_time": 1516126040,
            "object_id": 1360128428,
            "object_type": "activity",
            "owner_id": runner["id"],
            "subscription_id": 120475,
            "updates": {"title": "Messy"},
        }
    ]
    receiver["statuses"] = [500, 500]
    activity = strava.add_activity(runner["id"])
    retried = strava.push(receiver["url"], "activity", activity["id"], "create", attempts=3)
    assert (retried.status, retried.attempts) == (200, 3)
    assert receiver["events"][-1]["owner_id"] == runner["id"]

    token = strava.connect(runner["id"])["access_token"]
    pushed = strava.deauthorize_athlete(runner["id"], receiver["url"])
    assert pushed.status == 200
    assert receiver["events"][-1] | {"event_time": 0} == {
        "aspect_type": "update",
        "event_time": 0,
        "object_id": runner["id"],
        "object_type": "athlete",
        "owner_id": runner["id"],
        "subscription_id": strava.subscription_id,
        "updates": {"authorized": "false"},
    }
    assert call("GET", f"{strava.api_base}/athlete", token=token).status == 401


def test_push_subscription_is_created_only_after_the_callback_echoes(strava, receiver):
    subscribe = token_form(strava, callback_url=receiver["url"], verify_token="wrong")
    refused = call("POST", f"{strava.api_base}/push_subscriptions", subscribe)
    assert refused.status == 400
    assert refused.json()["errors"][0]["resource"] == "PushSubscription"
    created = call("POST", f"{strava.api_base}/push_subscriptions", subscribe | {"verify_token": "astral-verify"})
    assert created.status == 200
    assert created.json()["id"] == strava.subscription_id
    listed = call("GET", f"{strava.api_base}/push_subscriptions?{urllib.parse.urlencode(token_form(strava))}").json()
    assert [s["callback_url"] for s in listed] == [receiver["url"]]
    delete = (
        f"{strava.api_base}/push_subscriptions/{strava.subscription_id}?{urllib.parse.urlencode(token_form(strava))}"
    )
    assert call("DELETE", delete).status == 204
    assert strava.subscriptions == {}
