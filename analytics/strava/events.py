"""Strava's webhook events (developers.strava.com/docs/webhooks): the POST body checked, then the
work queued as a Celery task after commit, so the callback answers within Strava's two seconds.

An event body: {object_type: "activity" | "athlete", object_id, aspect_type: "create" | "update"
| "delete", updates: {…}, owner_id, subscription_id, event_time}; a deauthorization is an athlete
update with updates {"authorized": "false"}. Unknown extra fields are ignored (Strava may add
some); a wrong shape is InvalidInput with the field; an event for an athlete nobody here has
connected is accepted and ignored. Events are not signed by Strava, so the task treats each one
as a hint to re-read Strava (analytics.strava.sync.strava_event_handle), never as the data.
"""

from collections.abc import Mapping

from django.db import transaction

from accounts.models import Integration, Provider
from astral.exceptions import InvalidInput, Unavailable

OBJECT_TYPES = ("activity", "athlete")
ASPECT_TYPES = ("create", "update", "delete")
MAX_ID = 2**63 - 1  # Strava's ids are 64-bit ("long")
MAX_UPDATES = 20
QUEUE_RETRY_AFTER = 5  # seconds; Strava itself retries an event that was not answered 200


def _choice(payload: Mapping, field: str, choices: tuple[str, ...]) -> str:
    value = payload.get(field)
    if not isinstance(value, str) or value not in choices:
        raise InvalidInput(f"{field} must be one of {', '.join(choices)}.", field=field)
    return value


def _identifier(payload: Mapping, field: str, *, required: bool = True) -> int | None:
    value = payload.get(field)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
        raise InvalidInput(f"{field} must be a positive 64-bit integer.", field=field)
    return value


def _authorized(payload: Mapping) -> dict:
    """The only update we act on: {"authorized": "false"}. Titles and the like are re-read from
    Strava anyway, so they are checked for shape and dropped."""
    updates = payload.get("updates")
    if updates is None:
        return {}
    if not isinstance(updates, Mapping) or len(updates) > MAX_UPDATES:
        raise InvalidInput(f"updates must be an object of at most {MAX_UPDATES} fields.", field="updates")
    if any(not isinstance(key, str) for key in updates):
        raise InvalidInput("updates must be an object.", field="updates")
    authorized = updates.get("authorized")
    if authorized is None:
        return {}
    if authorized not in ("true", "false"):
        raise InvalidInput('updates.authorized must be "true" or "false".', field="updates")
    return {"authorized": authorized}


def strava_event_validate(payload: object) -> dict:
    """The event's fields we use, checked: {object_type, aspect_type, object_id, owner_id,
    updates}. Raises InvalidInput (with `field`) for anything not shaped like a Strava event."""
    if not isinstance(payload, Mapping):
        raise InvalidInput("The body must be a Strava webhook event (a JSON object).", field="body")
    event = {
        "object_type": _choice(payload, "object_type", OBJECT_TYPES),
        "aspect_type": _choice(payload, "aspect_type", ASPECT_TYPES),
        "object_id": _identifier(payload, "object_id"),
        "owner_id": _identifier(payload, "owner_id"),
        "updates": _authorized(payload),
    }
    _identifier(payload, "subscription_id", required=False)
    _identifier(payload, "event_time", required=False)
    return event


def strava_event_accept(payload: dict) -> None:
    """Check a webhook POST body and queue `analytics.tasks.strava_event` after commit. Raises
    InvalidInput on a bad shape; Unavailable when the broker cannot take the task (the callback
    then answers 503 and Strava sends the event again)."""
    from analytics.tasks import strava_event

    event = strava_event_validate(payload)
    owner = Integration.objects.filter(provider=Provider.STRAVA, external_id=str(event["owner_id"]), connected=True)
    if not owner.exists():
        return  # accepted and ignored: nobody here connected this Strava athlete

    def send():
        try:
            strava_event.apply_async(kwargs={"event": event})
        except Exception:  # noqa: BLE001 - the broker is down, or (eager mode) the task failed
            message = "The event could not be queued; send it again."
            raise Unavailable(message, "STRAVA_EVENT_NOT_QUEUED", retry_after=QUEUE_RETRY_AFTER) from None

    transaction.on_commit(send)
