"""Bearer access tokens for people (SPEC §3); stored as SHA-256 digests (accounts.tokens)."""

from django.utils import timezone
from rest_framework import authentication

from accounts import tokens
from accounts.models import AccessToken
from astral.api.auth import refuse_two_credentials, touch_last_used, unauthorized


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").strip()
        if not header:
            return None
        refuse_two_credentials(request)
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip() or " " in token.strip():
            raise unauthorized("Malformed Authorization header; expected 'Bearer <token>'.", "INVALID_TOKEN")
        record = AccessToken.objects.select_related("user").filter(token_hash=tokens.digest(token.strip())).first()
        if record is None or not record.user.is_active:
            raise unauthorized("Invalid access token.", "INVALID_TOKEN")
        if record.revoked_at is not None:
            raise unauthorized("This access token has been revoked.", "TOKEN_REVOKED")
        now = timezone.now()
        if record.expires_at <= now:
            raise unauthorized("This access token has expired; log in again.", "TOKEN_EXPIRED")
        touch_last_used(AccessToken, record, now)
        return record.user, record

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
