"""Writes for accounts: registration, access tokens, login with throttling, the profile."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts import tokens
from accounts.models import AccessToken, Integration, Role, User
from accounts.signals import athlete_data_changed, athlete_profile_changed
from astral.counters import counter_hit
from astral.exceptions import Conflict, NotAuthenticated, RateLimited
from astral.installation import installation_key

LOGIN_FAILED_MESSAGE = "Invalid username or password."


@transaction.atomic
def user_register(
    *, username: str, email: str, password: str, display_name: str = "", role: str = Role.ATHLETE
) -> User:
    """Create a user; 409 USERNAME_TAKEN / EMAIL_TAKEN when either is in use (case-insensitive)."""
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict("That username is already taken.", "USERNAME_TAKEN", field="username")
    if email and User.objects.filter(email__iexact=email).exists():
        raise Conflict("An account with that email already exists.", "EMAIL_TAKEN", field="email")
    try:
        with transaction.atomic():
            return User.objects.create_user(
                username=username, email=email, password=password, display_name=display_name, role=role
            )
    except IntegrityError:  # a concurrent registration won the race
        raise Conflict("That username or email is already taken.", "USERNAME_TAKEN", field="username") from None


def access_token_issue(*, user: User) -> tuple[str, AccessToken]:
    """A new Bearer token for `user`: returns the plain token (shown once) and its stored row."""
    secret = tokens.new_secret(tokens.ACCESS_TOKEN_PREFIX)
    record = AccessToken.objects.create(
        user=user,
        token_hash=tokens.digest(secret),
        prefix=secret[:12],
        expires_at=timezone.now() + settings.ACCESS_TOKEN_TTL,
    )
    return secret, record


def access_token_revoke(*, token: AccessToken) -> None:
    AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def _failure_names(login: str, ip: str) -> list[str]:
    return [f"login-failures:user:{login.strip().lower()}", f"login-failures:ip:{ip}"]


def _failure_keys(login: str, ip: str) -> list[str]:
    # Per installation: another deployment on the same Redis must not lock this one's users out.
    return [installation_key(name) for name in _failure_names(login, ip)]


def login_is_throttled(*, login: str, ip: str) -> bool:
    counts = cache.get_many(_failure_keys(login, ip))
    return any(count >= settings.LOGIN_FAILURE_LIMIT for count in counts.values())


def login_failure_record(*, login: str, ip: str) -> None:
    # The 15-minute window starts at the first failure.
    for key in _failure_names(login, ip):
        counter_hit(key, settings.LOGIN_FAILURE_WINDOW_SECONDS)


def user_login(*, login: str, password: str, ip: str) -> tuple[str, AccessToken]:
    """Check credentials (username or email) and issue a token.

    After LOGIN_FAILURE_LIMIT failures for the same username or the same IP within the window,
    every further attempt is refused with 429 until the window ends. Unknown user and wrong
    password give the same 401 message.
    """
    if login_is_throttled(login=login, ip=ip):
        raise RateLimited("Too many failed login attempts; try again in 15 minutes.", "RATE_LIMITED")
    username = login
    if "@" in login:
        match = User.objects.filter(email__iexact=login).values_list("username", flat=True).first()
        username = match or login
    else:
        match = User.objects.filter(username__iexact=login).values_list("username", flat=True).first()
        username = match or login
    user = authenticate(username=username, password=password)
    if user is None:
        login_failure_record(login=login, ip=ip)
        raise NotAuthenticated(LOGIN_FAILED_MESSAGE, "INVALID_CREDENTIALS")
    cache.delete(_failure_keys(login, ip)[0])
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    return access_token_issue(user=user)


def user_data_changed(*, user_ids, queue_refresh: bool = True) -> None:
    """Mark athletes' data as changed: bumps `data_version`, which stales every snapshot and cached
    answer built from the older version, then sends `accounts.signals.athlete_data_changed`: the
    apps above react (organizations stales their organizations' cached rosters and dashboards,
    analytics queues a background rebuild of their snapshots).

    One UPDATE here (and one per receiver) whatever the number of users. `queue_refresh=False`
    only bumps the versions, for a bulk writer that has more data to add after its transaction
    (the demo seed): a rebuild queued now would run before that data exists, and reads rebuild
    stale snapshots anyway."""
    user_ids = list(user_ids)
    User.objects.filter(pk__in=user_ids).update(data_version=F("data_version") + 1)
    athlete_data_changed.send(sender=User, user_ids=user_ids, queue_refresh=queue_refresh)


PROFILE_FIELDS = (
    "display_name",
    "profile_image_url",
    "timezone",
    "unit_system",
    "sex",
    "max_heart_rate",
    "resting_heart_rate",
    "hr_zones",
    "pace_zones",
    "vdot",
    "push_token",
)


@transaction.atomic
def user_profile_update(*, user: User, **changes) -> User:
    """Apply validated profile changes (keys from PROFILE_FIELDS), mark the data changed and send
    `athlete_profile_changed` with the changed fields."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(user, name, "" if value is None and name in ("timezone", "unit_system", "sex") else value)
    if changes:
        user.save(update_fields=list(changes))
        user_data_changed(user_ids=[user.pk])
        user.refresh_from_db(fields=["data_version"])
        athlete_profile_changed.send(sender=User, user=user, fields=set(changes))
    return user


@transaction.atomic
def integration_set(*, user: User, provider: str, connected: bool, now: datetime | None = None) -> Integration:
    now = now or timezone.now()
    integration, _ = Integration.objects.select_for_update().get_or_create(user=user, provider=provider)
    if connected and not integration.connected:
        integration.connected_at = now
    integration.connected = connected
    integration.status = "connected" if connected else "disconnected"
    if not connected:
        integration.connected_at = None
    integration.save()
    user_data_changed(user_ids=[user.pk])
    return integration
