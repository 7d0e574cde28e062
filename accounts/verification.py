"""Email verification: a mailed link whose one-time token confirms the address it was sent to.

Requests are limited to 3 per address per hour (the seeds' API overview). The count comes from
the database — the tokens issued for that address in the last hour — so the limit holds with
the cache down and across web processes.
"""

import math
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import OneTimeToken, TokenPurpose, User
from accounts.one_time import (
    TOKEN_TTL,
    invalid_token_error,
    one_time_token_find,
    one_time_token_issue,
    one_time_token_use,
)
from astral.exceptions import InvalidInput, RateLimited
from astral.mail import mail_send_on_commit, public_link

VERIFY_LIMIT = 3
VERIFY_WINDOW = timedelta(hours=1)
VERIFY_PAGE = "/accounts/verify-email/"


def _retry_after_seconds(email: str, now) -> int | None:
    """Seconds until the oldest request of the window leaves it, once the limit is reached."""
    recent = OneTimeToken.objects.filter(
        purpose=TokenPurpose.VERIFY_EMAIL, email=email, created_at__gt=now - VERIFY_WINDOW
    ).order_by("created_at")
    times = list(recent.values_list("created_at", flat=True)[:VERIFY_LIMIT])
    if len(times) < VERIFY_LIMIT:
        return None
    return max(1, math.ceil((times[0] + VERIFY_WINDOW - now).total_seconds()))


@transaction.atomic
def email_verification_request(*, user: User) -> bool:
    """Mail a verification link to `user.email`. False (nothing sent) when already verified;
    429 RATE_LIMITED with `retry_after` on the 4th request for the address within an hour."""
    user = User.objects.select_for_update().get(pk=user.pk)  # one request at a time per user
    if not user.email:
        raise InvalidInput("Your account has no email address.", "NO_EMAIL", field="email")
    if user.email_verified:
        return False
    now = timezone.now()
    retry_after = _retry_after_seconds(user.email.lower(), now)
    if retry_after is not None:
        raise RateLimited(
            f"At most {VERIFY_LIMIT} verification emails per address per hour; try again in {retry_after} s.",
            "RATE_LIMITED",
            retry_after=retry_after,
        )
    secret = one_time_token_issue(user=user, purpose=TokenPurpose.VERIFY_EMAIL, now=now)
    hours = int(TOKEN_TTL[TokenPurpose.VERIFY_EMAIL].total_seconds() // 3600)
    mail_send_on_commit(
        to=user.email,
        subject="Confirm your email address for Astral",
        body=(
            f"Hello {user.name},\n\nplease confirm that {user.email} is your address:\n\n"
            f"{public_link(VERIFY_PAGE, token=secret)}\n\n"
            f"The link works once, for {hours} hours. If you did not ask for it, ignore this mail.\n"
        ),
    )
    return True


@transaction.atomic
def email_verification_confirm(*, secret: str) -> User:
    """Spend a verification token and mark its address verified — only while it is still the
    account's address (a link for an address the user has since changed is refused)."""
    token = one_time_token_find(secret=secret, purpose=TokenPurpose.VERIFY_EMAIL, lock=True)
    user = User.objects.select_for_update().get(pk=token.user_id)
    if user.email.lower() != token.email:
        raise invalid_token_error()
    one_time_token_use(token=token)
    user.verified_email = user.email
    user.email_verified_at = timezone.now()
    user.save(update_fields=["verified_email", "email_verified_at"])
    return user
