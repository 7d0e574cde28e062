"""Users (athletes and coaches), their integrations and their API access tokens."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower

from astral.ids import PublicIdField


class Role(models.TextChoices):
    ATHLETE = "athlete", "Athlete"
    COACH = "coach", "Coach"


class UnitSystem(models.TextChoices):
    METRIC = "metric", "Metric"
    IMPERIAL = "imperial", "Imperial"


class Sex(models.TextChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"


class User(AbstractUser):
    """The custom user model. Profile fields live on the row: one read serves a whole profile.

    `timezone` and `unit_system` are empty until the athlete chooses them, so the data-quality
    score can tell a choice from a default; read `effective_timezone` / `effective_unit_system`.
    """

    public_id = PublicIdField(prefix="usr")
    email = models.EmailField("email address", blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.ATHLETE)
    display_name = models.CharField(max_length=150, blank=True)
    profile_image_url = models.URLField(max_length=500, blank=True)
    timezone = models.CharField(max_length=64, blank=True, help_text="IANA name; empty = not set (UTC)")
    unit_system = models.CharField(max_length=16, choices=UnitSystem.choices, blank=True)
    sex = models.CharField(max_length=8, choices=Sex.choices, blank=True)
    max_heart_rate = models.PositiveSmallIntegerField(null=True, blank=True)
    resting_heart_rate = models.PositiveSmallIntegerField(null=True, blank=True)
    hr_zones = models.JSONField(null=True, blank=True, help_text="Upper bounds (bpm) of zones 1–5")
    pace_zones = models.JSONField(null=True, blank=True, help_text="Zone bounds in seconds per km")
    vdot = models.FloatField(null=True, blank=True)
    push_token = models.CharField(max_length=255, blank=True)
    # Bumped by every write to the athlete's data; snapshots and caches compare against it.
    data_version = models.PositiveIntegerField(default=0)
    # The address a verification link was confirmed for: changing `email` (anywhere) leaves it
    # behind, so `email_verified` turns false without every writer having to remember it.
    verified_email = models.EmailField(blank=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("email"), name="accounts_user_email_ci_unique", condition=~models.Q(email="")
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def email_verified(self) -> bool:
        return bool(self.email) and self.verified_email.lower() == self.email.lower()

    @property
    def effective_timezone(self) -> str:
        return self.timezone or "UTC"

    @property
    def effective_unit_system(self) -> str:
        return self.unit_system or UnitSystem.METRIC


class Provider(models.TextChoices):
    STRAVA = "strava", "Strava"
    GARMIN = "garmin", "Garmin"
    APPLE_HEALTH = "apple_health", "Apple Health"


class Integration(models.Model):
    """A provider on an athlete's profile. For Strava, a real OAuth connection: the tokens (stored
    sealed, astral.secret_box), the Strava athlete id and what the last sync did; `status` is
    derived from that (connected | syncing | error | disconnected). Apple Health and Garmin, which
    cannot be connected server-side, keep the hand-set `connected` flag."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="integrations")
    provider = models.CharField(max_length=32, choices=Provider.choices)
    connected = models.BooleanField(default=False)
    status = models.CharField(max_length=32, default="disconnected")
    connected_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    external_id = models.CharField(max_length=64, blank=True, help_text="the provider's athlete id")
    access_token = models.TextField(blank=True, help_text="sealed (astral.secret_box)")
    refresh_token = models.TextField(blank=True, help_text="sealed (astral.secret_box)")
    token_expires_at = models.DateTimeField(null=True, blank=True)
    scope = models.CharField(max_length=200, blank=True)
    last_sync_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, help_text="what the last sync failed on; empty when it worked")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "provider"], name="integration_user_provider"),
            models.UniqueConstraint(
                fields=["provider", "external_id"],
                condition=~models.Q(external_id=""),
                name="integration_provider_external_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.provider}"


class AccessToken(models.Model):
    """A Bearer token. Only the SHA-256 of the token is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12, help_text="First characters, to recognise a token")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class TokenPurpose(models.TextChoices):
    VERIFY_EMAIL = "verify_email", "Email verification"
    PASSWORD_RESET = "password_reset", "Password reset"


class OneTimeToken(models.Model):
    """The secret of a link sent by mail. Only its SHA-256 is stored; it expires and works once.
    `email` is the address it was sent to (a verification confirms that address only)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="one_time_tokens")
    purpose = models.CharField(max_length=32, choices=TokenPurpose.choices)
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["purpose", "email", "created_at"], name="onetimetoken_rate")]

    def __str__(self) -> str:
        return f"{self.purpose} for {self.user}"


class OAuthState(models.Model):
    """A pending OAuth authorization: the `state` sent to the provider is `<public id>.<secret>`;
    only the secret's SHA-256 is stored, bound to the user, used once, valid 10 minutes."""

    public_id = PublicIdField(prefix="oas")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    provider = models.CharField(max_length=32, choices=Provider.choices)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.provider} authorization of {self.user}"
