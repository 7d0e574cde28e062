"""Comments on activities, the notifications they raise, and who wants mail about them."""

from django.conf import settings
from django.db import models

from astral.ids import PublicIdField

COMMENT_MAX_CHARS = 2000


class Comment(models.Model):
    public_id = PublicIdField(prefix="cmt")
    activity = models.ForeignKey("analytics.Activity", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activity_comments")
    text = models.TextField(max_length=COMMENT_MAX_CHARS)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["activity", "created_at"], name="comment_activity_created")]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:60]}"


class NotificationKind(models.TextChoices):
    COMMENT = "comment", "New comment"


class Notification(models.Model):
    public_id = PublicIdField(prefix="ntf")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    text = models.TextField()
    activity = models.ForeignKey(
        "analytics.Activity", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications")
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "created_at"], name="notification_recipient_created"),
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient}: {self.text[:60]}"


class DigestFrequency(models.TextChoices):
    OFF = "off", "Off"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


class MailPreferences(models.Model):
    """Opt-in mail: a message for each new comment, and (for coaches) the triage digest."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_preferences")
    comment_mail = models.BooleanField(default=False)
    digest = models.CharField(max_length=8, choices=DigestFrequency.choices, default=DigestFrequency.OFF)
    digest_sent_at = models.DateTimeField(null=True, blank=True, help_text="the last digest covers flags up to here")

    class Meta:
        verbose_name_plural = "mail preferences"

    def __str__(self) -> str:
        return f"mail preferences of {self.user}"
