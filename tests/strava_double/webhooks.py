"""What Strava's Webhook Events API sends to an application's callback URL.

- `validate_subscription`: the GET Strava makes when a push subscription is created
  (hub.mode=subscribe, hub.challenge, hub.verify_token); the callback must answer 200 with
  {"hub.challenge": <the challenge>} within two seconds.
- `event` / `send_event`: the POST of one event (object_type, object_id, aspect_type, updates,
  owner_id, subscription_id, event_time). Strava wants a 200 within two seconds and tries up to
  three times in all otherwise (`attempts`).
"""

import datetime
import json
import re
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from tests.strava_double import payloads
from tests.strava_double.payloads import BAD_REQUEST

NOT_VALIDATED = "GET to callback URL does not return 200"  # Strava's code when the challenge is not echoed
TIMEOUT = 2.0  # Strava's acknowledgement deadline, in seconds


@dataclass
class Response:
    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)
    attempts: int = 1

    def json(self):
        return json.loads(self.body)


def request(url: str, *, method: str = "GET", data: bytes | None = None, headers: dict | None = None) -> Response:
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as answer:  # noqa: S310 - local test URLs
            return Response(answer.status, answer.read().decode(), dict(answer.headers))
    except urllib.error.HTTPError as error:
        return Response(error.code, error.read().decode(), dict(error.headers))


def validate_subscription(callback_url: str, verify_token: str, challenge: str | None = None) -> Response:
    query = {
        "hub.mode": "subscribe",
        "hub.challenge": challenge or secrets.token_hex(7),
        "hub.verify_token": verify_token,
    }
    separator = "&" if urllib.parse.urlsplit(callback_url).query else "?"
    return request(callback_url + separator + urllib.parse.urlencode(query))


def challenge_echoed(response: Response, challenge: str) -> bool:
    try:
        return response.status == 200 and response.json().get("hub.challenge") == challenge
    except (ValueError, AttributeError):
        return False


def event(
    object_type: str,
    object_id: int,
    aspect_type: str,
    owner_id: int,
    subscription_id: int,
    updates: dict | None = None,
    event_time: int | None = None,
) -> dict:
    """One event body. Deauthorization: object_type "athlete", aspect_type "update",
    updates {"authorized": "false"}; an activity update carries e.g. {"title": ...}."""
    assert object_type in ("activity", "athlete"), object_type
    assert aspect_type in ("create", "update", "delete"), aspect_type
    return {
        "aspect_type": aspect_type,
        "event_time": int(time.time()) if event_time is None else event_time,
        "object_id": object_id,
        "object_type": object_type,
        "owner_id": owner_id,
        "subscription_id": subscription_id,
        "updates": updates or {},
    }


def send_event(callback_url: str, body: dict, attempts: int = 1) -> Response:
    """POST the event as JSON; with attempts > 1, retry while the answer is not 200 (like Strava)."""
    data = json.dumps(body).encode()
    for attempt in range(1, attempts + 1):
        try:
            response = request(callback_url, method="POST", data=data, headers={"Content-Type": "application/json"})
        except OSError as error:  # timeout or refused: Strava counts it as a failed attempt
            response = Response(0, str(error))
        response.attempts = attempt
        if response.status == 200:
            break
    return response


class Subscriptions:
    """/api/v3/push_subscriptions, as a part of StravaDouble (client_id + client_secret, no Bearer):
    POST validates the callback first (the GET above) and refuses a second subscription, GET lists,
    DELETE /push_subscriptions/{id} removes."""

    def _subscriptions(self, method: str, path: str, params: dict):
        if (params.get("client_id"), params.get("client_secret")) != (self.client_id, self.client_secret):
            return 401, payloads.fault("Authorization Error", "Application", "", "invalid")
        one = re.fullmatch(r"/push_subscriptions/(\d+)", path)
        if method == "GET" and not one:
            return 200, list(self.subscriptions.values())
        if method == "DELETE" and one and int(one[1]) in self.subscriptions:
            with self.lock:
                del self.subscriptions[int(one[1])]
            return 204, None
        if method != "POST" or path != "/push_subscriptions":
            return 404, payloads.not_found("PushSubscription")
        if self.subscriptions:
            return 400, payloads.fault(BAD_REQUEST, "PushSubscription", "", "already exists")
        challenge = secrets.token_hex(7)
        answer = validate_subscription(params.get("callback_url", ""), params.get("verify_token", ""), challenge)
        if not challenge_echoed(answer, challenge):
            return 400, payloads.fault(BAD_REQUEST, "PushSubscription", "callback url", NOT_VALIDATED)
        now = payloads.iso(datetime.datetime.now(datetime.UTC))
        subscription = {"id": next(self.subscription_ids), "resource_state": 2, "application_id": int(self.client_id)}
        subscription |= {"callback_url": params["callback_url"], "created_at": now, "updated_at": now}
        with self.lock:
            self.subscriptions[subscription["id"]] = subscription
        return 200, {"id": subscription["id"]}
