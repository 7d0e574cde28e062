"""Password reset (by mail) and password change, both revoking every credential of the user.

Revocation: every AccessToken gets `revoked_at`; web sessions need no step of their own —
Django keeps a hash of the password hash in each session and logs a session out once it no
longer matches (django.contrib.auth.get_user), so a new password ends every other session.
"""

import hashlib
import time

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone

from accounts import services
from accounts.models import AccessToken, TokenPurpose, User
from accounts.one_time import (
    TOKEN_TTL,
    one_time_token_find,
    one_time_token_issue,
    one_time_token_use,
    one_time_tokens_spend_all,
)
from astral.counters import counter_hit
from astral.exceptions import InvalidInput, RateLimited
from astral.mail import mail_send_on_commit, public_link

RESET_PAGE = "/accounts/reset/"
RESET_WINDOW_SECONDS = 3600
RESET_LIMIT_PER_ADDRESS = 3  # a 4th request for one address within the clock hour → 429
RESET_LIMIT_PER_IP = 20  # one client trying many addresses


def _hit(key: str, limit: int, now: float) -> int | None:
    """Count one request in the current clock-hour window; seconds until it ends once over `limit`."""
    window = int(now // RESET_WINDOW_SECONDS)
    count = counter_hit(f"{key}:{window}", RESET_WINDOW_SECONDS)
    if count is None or count <= limit:  # None: the cache is down → no limit
        return None
    return max(1, int((window + 1) * RESET_WINDOW_SECONDS - now))


def password_reset_request(*, email: str, ip: str) -> None:
    """Mail a reset link when `email` belongs to an active account; the same (silent) outcome
    otherwise. Limited per address and per IP before any lookup, so a 429 says nothing about
    whether the address has an account. With the cache down the limit is inactive."""
    now = time.time()
    address_key = "pwreset:addr:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()
    waits = [_hit(address_key, RESET_LIMIT_PER_ADDRESS, now), _hit(f"pwreset:ip:{ip}", RESET_LIMIT_PER_IP, now)]
    waits = [wait for wait in waits if wait]
    if waits:
        raise RateLimited("Too many password reset requests; try again later.", "RATE_LIMITED", retry_after=max(waits))
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None:
            return
        secret = one_time_token_issue(user=user, purpose=TokenPurpose.PASSWORD_RESET)
        minutes = int(TOKEN_TTL[TokenPurpose.PASSWORD_RESET].total_seconds() // 60)
        mail_send_on_commit(
            to=user.email,
            subject="Reset your Astral password",
            body=(
                f"Hello {user.name},\n\nsomeone (hopefully you) asked to reset the password of the "
                f"Astral account {user.username}. Choose a new one here:\n\n"
                f"{public_link(RESET_PAGE, token=secret)}\n\n"
                f"The link works once, for {minutes} minutes. If you did not ask for it, ignore this "
                f"mail: your password stays as it is.\n"
            ),
        )


def password_validate(*, password: str, user: User, field: str = "password") -> None:
    """Django's AUTH_PASSWORD_VALIDATORS → 400 WEAK_PASSWORD on `field`."""
    try:
        password_validation.validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), "WEAK_PASSWORD", field=field) from None


def credentials_revoke_all(*, user: User) -> int:
    """Revoke every live access token of `user`; returns how many."""
    return AccessToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def _password_set(user: User, password: str) -> None:
    user.set_password(password)  # changes the hash, which ends every web session of the user
    user.save(update_fields=["password"])
    credentials_revoke_all(user=user)
    one_time_tokens_spend_all(user=user, purpose=TokenPurpose.PASSWORD_RESET)


def password_reset_token_user(*, secret: str) -> User:
    """The user a live reset token belongs to (no side effect; for the page that shows the form)."""
    return one_time_token_find(secret=secret, purpose=TokenPurpose.PASSWORD_RESET).user


@transaction.atomic
def password_reset_confirm(*, secret: str, password: str) -> User:
    """Set a new password with a reset token. A weak password is refused without spending the token."""
    token = one_time_token_find(secret=secret, purpose=TokenPurpose.PASSWORD_RESET, lock=True)
    user = token.user
    password_validate(password=password, user=user)
    one_time_token_use(token=token)
    _password_set(user, password)
    return user


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str, ip: str) -> User:
    """Change a known password. Wrong old passwords count as failed logins for the username (a
    stolen token cannot be used to guess the password); every token of the user is revoked."""
    if services.login_is_throttled(login=user.username, ip=ip):
        raise RateLimited("Too many failed attempts; try again in 15 minutes.", "RATE_LIMITED")
    if not user.check_password(old_password):
        services.login_failure_record(login=user.username, ip=ip)
        raise InvalidInput("The current password is not correct.", "WRONG_PASSWORD", field="old_password")
    password_validate(password=new_password, user=user, field="new_password")
    _password_set(user, new_password)
    return user
