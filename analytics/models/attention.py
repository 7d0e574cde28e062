"""The triage queue's memory: attention flags kept as rows, and what each coach has seen.

A snapshot rebuild raises an athlete's flags (analytics.metrics.attention); the rebuild keeps one
`AttentionFlag` row per athlete and code in step with them — opened when raised, updated while
raised, closed when no longer raised, reopened (a new `since`) when raised again. A coach's
`AttentionFlagSeen` takes the flag off that coach's queue until it worsens (a higher severity
than the one seen) or recurs more than 7 days after it was seen (analytics.selectors.attention_queue).
"""

from django.conf import settings
from django.db import models

from astral.ids import PublicIdField


class Severity(models.TextChoices):
    INFO = "info", "Info"
    WARNING = "warning", "Warning"
    CRITICAL = "critical", "Critical"


SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.CRITICAL: 2}


class AttentionFlag(models.Model):
    public_id = PublicIdField(prefix="flg")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attention_flags")
    code = models.CharField(max_length=32)
    severity = models.CharField(max_length=16, choices=Severity.choices)
    severity_rank = models.PositiveSmallIntegerField(help_text="0 info, 1 warning, 2 critical: sorts and compares")
    message = models.TextField()
    value = models.FloatField(null=True, blank=True)
    previous = models.FloatField(null=True, blank=True)
    since = models.DateTimeField(help_text="when this episode of the flag was raised")
    worsened_at = models.DateTimeField(null=True, blank=True, help_text="when its severity last rose")
    closed_at = models.DateTimeField(null=True, blank=True, help_text="null while the flag is raised")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "code"], name="attention_flag_user_code")]
        indexes = [models.Index(fields=["user", "closed_at"], name="attention_flag_user_open")]

    def __str__(self) -> str:
        state = "open" if self.closed_at is None else "closed"
        return f"{self.code} of {self.user} ({self.severity}, {state})"


class AttentionFlagSeen(models.Model):
    flag = models.ForeignKey(AttentionFlag, on_delete=models.CASCADE, related_name="seen_by")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    severity_rank = models.PositiveSmallIntegerField(help_text="the flag's severity when it was seen")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["flag", "coach"], name="attention_seen_flag_coach")]

    def __str__(self) -> str:
        return f"{self.flag} seen by {self.coach}"
