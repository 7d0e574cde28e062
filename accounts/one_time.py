"""One-time secrets for the links we mail (email verification, password reset).

The secret travels only in the link (`?token=…`); the database keeps its SHA-256
(accounts.tokens.digest), when it expires and when it was used. A token works once: using it
is a conditional UPDATE (`used_at IS NULL`), so two concurrent confirmations cannot both win.
"""

import secrets
from datetime import datetime, timedelta

from django.utils import timezone

from accounts import tokens
from accounts.models import OneTimeToken, TokenPurpose, User
from astral.exceptions import ApplicationError, InvalidInput

TOKEN_TTL = {
    TokenPurpose.VERIFY_EMAIL: timedelta(hours=24),
    TokenPurpose.PASSWORD_RESET: timedelta(hours=1),
}
INVALID_MESSAGE = "This link is invalid, has expired or was already used; ask for a new one."


def invalid_token_error() -> ApplicationError:
    return InvalidInput(INVALID_MESSAGE, "INVALID_OR_EXPIRED_TOKEN", field="token")


def one_time_token_issue(*, user: User, purpose: str, now: datetime | None = None) -> str:
    """A new secret for `user`'s current address; returns the plain secret (it is mailed, never stored)."""
    now = now or timezone.now()
    secret = secrets.token_urlsafe(32)
    OneTimeToken.objects.create(
        user=user,
        purpose=purpose,
        email=user.email.lower(),
        token_hash=tokens.digest(secret),
        created_at=now,
        expires_at=now + TOKEN_TTL[purpose],
    )
    return secret


def one_time_token_find(*, secret: str, purpose: str, lock: bool = False) -> OneTimeToken:
    """The unused, unexpired token of `purpose` for `secret`, else 400 INVALID_OR_EXPIRED_TOKEN
    (one answer for unknown, expired, used and another purpose's token)."""
    rows = OneTimeToken.objects.select_related("user").filter(
        token_hash=tokens.digest(secret), purpose=purpose, used_at__isnull=True, expires_at__gt=timezone.now()
    )
    if lock:
        rows = rows.select_for_update(of=("self",))
    token = rows.first()
    if token is None or not token.user.is_active:
        raise invalid_token_error()
    return token


def one_time_token_use(*, token: OneTimeToken) -> None:
    """Spend the token; 400 when a concurrent request spent it first."""
    now = timezone.now()
    if not OneTimeToken.objects.filter(pk=token.pk, used_at__isnull=True).update(used_at=now):
        raise invalid_token_error()
    token.used_at = now


def one_time_tokens_spend_all(*, user: User, purpose: str) -> None:
    """Spend every outstanding token of `purpose` (an older reset link dies with a new password)."""
    OneTimeToken.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(used_at=timezone.now())
