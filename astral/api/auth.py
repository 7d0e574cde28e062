"""API authentication plumbing shared by every app: the helpers the authentication classes use
(accounts.api.authentication: Bearer access tokens; organizations.api.authentication: X-API-Key),
and the checks views make of who is calling.

Both secrets are random and stored only as SHA-256 digests (accounts.tokens), so a database
leak does not leak credentials. The web UI uses Django sessions, not these classes.
"""

from rest_framework import exceptions, permissions

from astral.principals import is_api_key

LAST_USED_RESOLUTION_SECONDS = 300  # write last_used_at at most every 5 minutes per credential


def unauthorized(message: str, code: str) -> exceptions.AuthenticationFailed:
    return exceptions.AuthenticationFailed(message, code)


def refuse_two_credentials(request) -> None:
    """A request names one caller: a Bearer token and an X-API-Key together are refused (401),
    so a bad credential is never ignored because another one happened to be valid."""
    if request.META.get("HTTP_AUTHORIZATION", "").strip() and request.META.get("HTTP_X_API_KEY", "").strip():
        raise unauthorized("Send either an Authorization bearer token or an X-API-Key, not both.", "TWO_CREDENTIALS")


def touch_last_used(model, record, now) -> None:
    last = record.last_used_at
    if last is None or (now - last).total_seconds() > LAST_USED_RESOLUTION_SECONDS:
        model.objects.filter(pk=record.pk).update(last_used_at=now)


class IsPerson(permissions.BasePermission):
    """A logged-in person (Bearer token); API keys are refused with 403."""

    message = "This endpoint needs a user's access token; API keys cannot use it."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and not is_api_key(request.user))
