"""Authentication for the API: Bearer access tokens for people, `X-API-Key` for organizations.

Both secrets are random and stored only as SHA-256 digests (accounts.tokens), so a database
leak does not leak credentials. The web UI uses Django sessions, not these classes.
"""

from dataclasses import dataclass

from django.utils import timezone
from rest_framework import authentication, exceptions, permissions

from accounts import tokens
from accounts.models import AccessToken
from organizations.models import ApiKey

LAST_USED_RESOLUTION_SECONDS = 300  # write last_used_at at most every 5 minutes per credential


def _unauthorized(message: str, code: str) -> exceptions.AuthenticationFailed:
    return exceptions.AuthenticationFailed(message, code)


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").strip()
        if not header:
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip() or " " in token.strip():
            raise _unauthorized("Malformed Authorization header; expected 'Bearer <token>'.", "INVALID_TOKEN")
        record = AccessToken.objects.select_related("user").filter(token_hash=tokens.digest(token.strip())).first()
        if record is None or not record.user.is_active:
            raise _unauthorized("Invalid access token.", "INVALID_TOKEN")
        if record.revoked_at is not None:
            raise _unauthorized("This access token has been revoked.", "TOKEN_REVOKED")
        now = timezone.now()
        if record.expires_at <= now:
            raise _unauthorized("This access token has expired; log in again.", "TOKEN_EXPIRED")
        _touch(AccessToken, record, now)
        return record.user, record

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


@dataclass(frozen=True)
class ApiKeyPrincipal:
    """request.user for an organization's API key: read access to that organization only."""

    api_key: ApiKey

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_superuser = False
    is_staff = False
    is_api_key = True
    pk = None

    @property
    def organization_id(self) -> int:
        return self.api_key.organization_id

    def __str__(self) -> str:
        return f"API key {self.api_key.public_id}"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    header = "HTTP_X_API_KEY"

    def authenticate(self, request):
        raw = request.META.get(self.header, "").strip()
        if not raw:
            return None
        key = ApiKey.objects.select_related("organization").filter(key_hash=tokens.digest(raw)).first()
        if key is None or key.revoked_at is not None:
            raise _unauthorized("Invalid or revoked API key.", "INVALID_API_KEY")
        _touch(ApiKey, key, timezone.now())
        return ApiKeyPrincipal(key), key

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


def _touch(model, record, now) -> None:
    last = record.last_used_at
    if last is None or (now - last).total_seconds() > LAST_USED_RESOLUTION_SECONDS:
        model.objects.filter(pk=record.pk).update(last_used_at=now)


def is_api_key(principal) -> bool:
    return getattr(principal, "is_api_key", False)


class IsPerson(permissions.BasePermission):
    """A logged-in person (Bearer token); API keys are refused with 403."""

    message = "This endpoint needs a user's access token; API keys cannot use it."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and not is_api_key(request.user))
