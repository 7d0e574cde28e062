"""Activities, daily wellness, cached metric snapshots and generated insights (attention flags and
conversations in their own modules, re-exported here)."""

from django.conf import settings
from django.db import models

from analytics.metrics.sports import RUN_SPORTS as RUN_SPORTS  # re-exported beside Sport
from astral.ids import PublicIdField


class Sport(models.TextChoices):
    RUN = "run", "Run"
    TRAIL_RUN = "trail_run", "Trail run"
    TREADMILL = "treadmill", "Treadmill"
    WALK = "walk", "Walk"
    RIDE = "ride", "Ride"
    SWIM = "swim", "Swim"
    OTHER = "other", "Other"


class Source(models.TextChoices):
    MANUAL = "manual", "Manual"
    FILE = "file", "File import"
    STRAVA = "strava", "Strava"
    GARMIN = "garmin", "Garmin"
    APPLE_HEALTH = "apple_health", "Apple Health"


class Activity(models.Model):
    """One workout. Units are SI: metres, seconds, bpm. `start_time` is an aware instant;
    `timezone` is where it was recorded (IANA), used for the activity's own local date."""

    public_id = PublicIdField(prefix="act")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activities")
    sport = models.CharField(max_length=16, choices=Sport.choices, default=Sport.RUN)
    start_time = models.DateTimeField()
    timezone = models.CharField(max_length=64, blank=True)
    distance = models.FloatField(default=0, help_text="metres")
    duration = models.FloatField(help_text="moving time, seconds")
    elapsed_time = models.FloatField(null=True, blank=True, help_text="seconds")
    elevation_gain = models.FloatField(null=True, blank=True, help_text="metres")
    avg_heart_rate = models.PositiveSmallIntegerField(null=True, blank=True)
    max_heart_rate = models.PositiveSmallIntegerField(null=True, blank=True)
    calories = models.PositiveIntegerField(null=True, blank=True)
    training_load = models.FloatField(default=0, help_text="NR ETE+ (Banister TRIMP)")
    pace_z1_time = models.FloatField(default=0)
    pace_z2_time = models.FloatField(default=0)
    pace_z3_time = models.FloatField(default=0)
    pace_z4_time = models.FloatField(default=0)
    pace_z5_time = models.FloatField(default=0)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.MANUAL)
    external_id = models.CharField(max_length=128, blank=True)
    file_hash = models.CharField(max_length=64, blank=True, help_text="SHA-256 of an imported file")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "activities"
        ordering = ["-start_time"]
        indexes = [
            models.Index(fields=["user", "start_time"], name="activity_user_start"),
            models.Index(fields=["user", "sport", "start_time"], name="activity_user_sport_start"),
            # Organization-wide windows (Group Dashboard: a week or a month of every member) read
            # the rows of the window only, from the index alone (an index-only scan, no table).
            models.Index(
                fields=["start_time"],
                include=["user", "sport", "distance", "duration", "training_load", "id"],
                name="activity_window_covering",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "external_id"], condition=~models.Q(external_id=""), name="activity_user_external_id"
            ),
            models.UniqueConstraint(
                fields=["user", "file_hash"], condition=~models.Q(file_hash=""), name="activity_user_file_hash"
            ),
            # The same athlete cannot start the same sport twice at one instant: the database, not a
            # check-then-insert, keeps two identical imports sent at once from both landing.
            models.UniqueConstraint(fields=["user", "start_time", "sport"], name="activity_user_start_sport"),
        ]

    def __str__(self) -> str:
        return f"{self.sport} {self.distance / 1000:.1f} km on {self.start_time:%Y-%m-%d}"


class ActivitySamples(models.Model):
    """The recorded samples of an activity, kept apart so aggregate scans stay narrow."""

    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="samples")
    data = models.JSONField(help_text="[{t (s from start), distance (m), heart_rate, altitude, lat, lon}]")

    class Meta:
        verbose_name_plural = "activity samples"

    def __str__(self) -> str:
        return f"samples of {self.activity_id}"


class DailyWellness(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wellness")
    date = models.DateField()
    resting_heart_rate = models.PositiveSmallIntegerField(null=True, blank=True)
    hrv = models.FloatField(null=True, blank=True, help_text="rMSSD, ms")
    hrv_sdnn = models.FloatField(null=True, blank=True, help_text="SDNN, ms (Apple Health); never mixed with rMSSD")
    vo2_max = models.FloatField(null=True, blank=True, help_text="ml/kg/min")
    recovery_score = models.PositiveSmallIntegerField(null=True, blank=True, help_text="0–100")
    sleep_hours = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "daily wellness"
        ordering = ["-date"]
        constraints = [models.UniqueConstraint(fields=["user", "date"], name="wellness_user_date")]

    def __str__(self) -> str:
        return f"{self.user} {self.date}"


class MetricsSnapshot(models.Model):
    """The cached fitness metrics of one athlete (JSON-ready), rebuilt by Celery.

    `data_version` is the athlete's `User.data_version` it was computed from: a snapshot whose
    version is older than the user's is stale and is never served.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="metrics_snapshot")
    data = models.JSONField(default=dict)
    data_version = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"metrics of {self.user} (v{self.data_version})"


class InsightKind(models.TextChoices):
    ACTIVITY = "activity", "Activity summary"
    WEEKLY_SUMMARY = "weekly_summary", "Weekly summary"
    GROUP = "group", "Group insight"


class Insight(models.Model):
    kind = models.CharField(max_length=32, choices=InsightKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="insights"
    )
    group = models.ForeignKey(
        "organizations.Group", on_delete=models.CASCADE, null=True, blank=True, related_name="insights"
    )
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="insights")
    text = models.TextField()
    generated_at = models.DateTimeField()

    class Meta:
        ordering = ["-generated_at"]
        indexes = [
            models.Index(fields=["user", "kind", "generated_at"]),
            models.Index(fields=["group", "kind", "generated_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.text[:60]}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ImportKind(models.TextChoices):
    ARCHIVE = "archive", "Archive of device files"
    APPLE_HEALTH = "apple_health", "Apple Health export"


class ImportJob(models.Model):
    """A large import (an archive of device files, an Apple Health export) run by `run_import`.

    The upload is kept in the default file storage (MEDIA_ROOT, shared by web processes and
    workers) until the job ends. `counts` {imported, duplicate, invalid, wellness_days}; `errors`
    [{file, code, message}] for every file or workout not imported; `progress` 0–1."""

    public_id = PublicIdField(prefix="imp")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs")
    kind = models.CharField(max_length=16, choices=ImportKind.choices, default=ImportKind.ARCHIVE)
    status = models.CharField(max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    upload = models.FileField(upload_to="imports/", blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    timezone = models.CharField(max_length=64, blank=True)
    total = models.PositiveIntegerField(default=0, help_text="entries in the archive")
    processed = models.PositiveIntegerField(default=0, help_text="entries done: a resumed run starts after them")
    progress = models.FloatField(default=0.0)
    counts = models.JSONField(default=dict)
    errors = models.JSONField(default=list)
    message = models.TextField(blank=True, help_text="why a failed job failed")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"]), models.Index(fields=["status", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.public_id} ({self.status})"


from analytics.models.attention import AttentionFlag, AttentionFlagSeen, Severity  # noqa: E402
from analytics.models.conversation import (  # noqa: E402
    Comment,
    DigestFrequency,
    MailPreferences,
    Notification,
    NotificationKind,
)

__all__ = [
    "Activity",
    "ActivitySamples",
    "AttentionFlag",
    "AttentionFlagSeen",
    "Comment",
    "DailyWellness",
    "DigestFrequency",
    "ImportJob",
    "ImportKind",
    "ImportStatus",
    "Insight",
    "InsightKind",
    "MailPreferences",
    "MetricsSnapshot",
    "Notification",
    "NotificationKind",
    "RUN_SPORTS",
    "Severity",
    "Sport",
    "Source",
]
