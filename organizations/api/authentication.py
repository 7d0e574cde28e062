"""`X-API-Key` for organizations: read access to that organization only (SPEC §3)."""

from dataclasses import dataclass

from django.utils import timezone
from rest_framework import authentication

from accounts import tokens
from astral.api.auth import touch_last_used, unauthorized
from organizations.models import ApiKey


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
            raise unauthorized("Invalid or revoked API key.", "INVALID_API_KEY")
        touch_last_used(ApiKey, key, timezone.now())
        return ApiKeyPrincipal(key), key

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
