"""Connecting an athlete's Strava account (OAuth2 authorization code flow, as
developers.strava.com/docs/authentication describes it).

1. `strava_authorize_url(user)`: a single-use `state` bound to the user — `<oas_… id>.<secret>`,
   only the secret's SHA-256 stored (accounts.OAuthState), valid 10 minutes — and the URL of
   `{STRAVA_OAUTH_BASE}/authorize` (response_type=code, scope=activity:read_all, redirect_uri =
   this installation's callback).
2. `strava_callback(...)`: the state is checked (exists, unexpired, the secret matches) and used
   up whatever happens next; the code is exchanged at `{STRAVA_OAUTH_BASE}/token`; the tokens are
   stored sealed (astral.secret_box) on the athlete's Strava Integration, with Strava's athlete
   id (one Astral account per Strava account) and the granted scope; a backfill of the last 90
   days is queued after commit (analytics.strava.sync), so the status reads `syncing` at once.
"""

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction

from accounts.models import Integration, OAuthState, Provider, Role, User
from analytics.strava import client
from analytics.strava.sync import strava_backfill_queue
from astral.exceptions import Conflict, InvalidInput, NotAllowed, NotFound, Unavailable
from astral.ids import is_public_id
from astral.secret_box import seal

STATE_TTL = timedelta(minutes=10)
SCOPE = "activity:read_all"
CALLBACK_PATH = "/api/v1/integrations/strava/callback"
WEBHOOK_PATH = "/api/v1/integrations/strava/webhook"


def strava_configured() -> bool:
    return bool(settings.STRAVA_CLIENT_ID and settings.STRAVA_CLIENT_SECRET)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def strava_authorize_url(user: User) -> str:
    if not strava_configured():  # a 404, not a 5xx: this server has no Strava connection to offer
        raise NotFound(
            "This Astral server has no Strava application configured (STRAVA_CLIENT_ID, STRAVA_CLIENT_SECRET).",
            "STRAVA_NOT_CONFIGURED",
        )
    if user.role != Role.ATHLETE:
        raise NotAllowed("Only athlete accounts connect Strava.", "INVALID_ROLE")
    secret = secrets.token_urlsafe(32)
    state = OAuthState.objects.create(user=user, provider=Provider.STRAVA, secret_hash=_digest(secret))
    query = {
        "client_id": settings.STRAVA_CLIENT_ID,
        "response_type": "code",
        "redirect_uri": f"{settings.PUBLIC_URL}{CALLBACK_PATH}",
        "approval_prompt": "auto",
        "scope": SCOPE,
        "state": f"{state.public_id}.{secret}",
    }
    return f"{settings.STRAVA_OAUTH_BASE}/authorize?{urlencode(query)}"


def _used_up_state(state: str, now: datetime) -> User:
    """The user the state was issued to; the state row is deleted (single use) in any case."""
    public_id, _, secret = (state or "").partition(".")
    # The shape first: a NUL byte or 5,000 characters never reach the database.
    row = (
        OAuthState.objects.filter(public_id=public_id).select_related("user").first()
        if is_public_id(public_id, OAuthState)
        else None
    )
    if row is None:
        raise InvalidInput("This Strava authorization is unknown or was already used.", "INVALID_STATE", field="state")
    OAuthState.objects.filter(pk=row.pk).delete()
    if not hmac.compare_digest(row.secret_hash, _digest(secret)) or row.provider != Provider.STRAVA:
        raise InvalidInput("This Strava authorization is unknown or was already used.", "INVALID_STATE", field="state")
    if row.created_at < now - STATE_TTL:
        raise InvalidInput("This Strava authorization expired; connect again.", "STATE_EXPIRED", field="state")
    return row.user


def strava_callback(*, state: str, code: str = "", scope: str = "", error: str = "") -> Integration:
    """Finish the connection the athlete approved on Strava; the athlete's Strava Integration."""
    now = datetime.now(UTC)
    user = _used_up_state(state, now)
    if error or not code:
        raise NotAllowed("Strava access was not granted.", "STRAVA_DENIED")
    if "activity:read" not in scope:
        raise NotAllowed("Astral needs permission to read your activities (activity:read_all).", "STRAVA_SCOPE")
    try:
        tokens = client.exchange_code(code)
    except client.StravaError as failure:
        raise Unavailable(f"Strava did not complete the connection: {failure}", "STRAVA_UNAVAILABLE") from None
    athlete_id = str(tokens["athlete"]["id"])
    with transaction.atomic():
        taken = Integration.objects.filter(provider=Provider.STRAVA, external_id=athlete_id).exclude(user=user)
        if taken.exists():
            raise Conflict("This Strava account is connected to another Astral account.", "STRAVA_ACCOUNT_TAKEN")
        integration, _ = Integration.objects.select_for_update().get_or_create(user=user, provider=Provider.STRAVA)
        integration.external_id = athlete_id
        integration.access_token = seal(tokens["access_token"])
        integration.refresh_token = seal(tokens["refresh_token"])
        integration.token_expires_at = datetime.fromtimestamp(int(tokens["expires_at"]), UTC)
        integration.scope = scope
        integration.connected, integration.status = True, "connected"
        integration.connected_at, integration.error = now, ""
        integration.save()
        strava_backfill_queue(user_id=user.pk)
    integration.status = "syncing"
    return integration
