"""A working Strava access token for an athlete's Integration, and the Integration's derived status.

Strava's access tokens live six hours; `strava_access_token` refreshes one that expires within
REFRESH_MARGIN (or when forced after a 401) with the refresh token, and stores both new tokens
sealed: Strava may rotate the refresh token, and the old one then stops working
(developers.strava.com/docs/authentication, "Refreshing Expired Access Tokens"). The refresh
happens under a row lock, so two tasks never spend the same refresh token.

Status is written only from what happened (`integration_mark`): `syncing` when a sync is queued
or runs, `connected` with `last_sync_at` after one succeeded, `error` with a message for people
when one failed, `disconnected` after a disconnect (sync.py). A sync never overwrites
`disconnected`.
"""

from datetime import UTC, datetime, timedelta

from django.db import transaction

from accounts.models import Integration
from analytics.strava import client
from astral.secret_box import UnreadableSecret, seal, unseal

REFRESH_MARGIN = timedelta(minutes=5)
REVOKED = "Strava access was revoked; connect again."
UNREADABLE = "The stored Strava tokens cannot be read (the server's token key changed); connect again."


class StravaAccessRevoked(Exception):
    """The athlete's Strava grant no longer works: no token, a refused refresh, or a 401 right
    after a refresh. `message` is written for the athlete."""

    def __init__(self, message: str = REVOKED):
        super().__init__(message)
        self.message = message


def _fresh(integration: Integration, now: datetime) -> bool:
    expires = integration.token_expires_at
    return bool(integration.access_token) and expires is not None and expires - now > REFRESH_MARGIN


def _open(sealed: str) -> str:
    try:
        return unseal(sealed)
    except UnreadableSecret:
        raise StravaAccessRevoked(UNREADABLE) from None


def strava_access_token(*, integration: Integration, force: bool = False) -> str:
    """The athlete's Strava access token, refreshed first when it expires within 5 minutes (or
    `force`, after Strava answered 401 to it). Raises StravaAccessRevoked when Strava refuses the
    refresh; StravaRateLimited / StravaUnavailable pass through (the task retries)."""
    now = datetime.now(UTC)
    if not force and _fresh(integration, now):
        return _open(integration.access_token)
    with transaction.atomic():
        row = Integration.objects.select_for_update().get(pk=integration.pk)
        # Another task may have refreshed while this one waited for the lock: use its token.
        if _fresh(row, now) and (not force or row.access_token != integration.access_token):
            integration.access_token, integration.token_expires_at = row.access_token, row.token_expires_at
            return _open(row.access_token)
        if not row.refresh_token:
            raise StravaAccessRevoked()
        try:
            tokens = client.refresh_tokens(_open(row.refresh_token))
        except (client.StravaRateLimited, client.StravaUnavailable):
            raise
        except client.StravaError:  # 400/401: the refresh token is dead, the grant revoked
            raise StravaAccessRevoked() from None
        try:
            access, expires_at = str(tokens["access_token"]), datetime.fromtimestamp(int(tokens["expires_at"]), UTC)
        except (KeyError, TypeError, ValueError, OverflowError):
            raise client.StravaUnavailable("Strava answered the token refresh without tokens.") from None
        row.access_token, row.token_expires_at = seal(access), expires_at
        row.refresh_token = seal(tokens.get("refresh_token") or _open(row.refresh_token))
        row.save(update_fields=["access_token", "refresh_token", "token_expires_at", "updated_at"])
    integration.access_token, integration.refresh_token = row.access_token, row.refresh_token
    integration.token_expires_at = row.token_expires_at
    return access


def integration_mark(integration_pk: int, status: str, *, error: str = "", synced: bool = False) -> bool:
    """Record what a sync did on a still-connected Integration; False when it was disconnected
    meanwhile (nothing written). One UPDATE, so it never overwrites tokens refreshed meanwhile."""
    now = datetime.now(UTC)
    changes = {"status": status, "error": error[:1000], "updated_at": now}
    if synced:
        changes["last_sync_at"] = now
    return bool(Integration.objects.filter(pk=integration_pk, connected=True).update(**changes))
