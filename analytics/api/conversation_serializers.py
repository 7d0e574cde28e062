"""Input validation and documented shapes of the comment and notification endpoints
(conversation_views.py). The comment's text rules live in analytics.services.comments, shared
with the activity page; these only check JSON types."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from analytics.models import DigestFrequency, NotificationKind
from analytics.models.conversation import COMMENT_MAX_CHARS
from analytics.services.notifications import MAX_NOTIFICATION_IDS


class StrictBooleanField(serializers.BooleanField):
    """JSON `true` or `false` only (DRF's BooleanField also takes "yes", 1, "on"…)."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


@extend_schema_field({"type": "string", "minLength": 1, "maxLength": COMMENT_MAX_CHARS})
class CommentTextField(serializers.Field):
    """A JSON string; its rules (stripped, 1…2000 characters, no control character but newline and
    tab) are analytics.services.comments.comment_text_clean's."""

    default_error_messages = {"invalid": "text must be a string."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


@extend_schema_field({"type": "string", "pattern": "^ntf_[0-9a-f]{16}$", "maxLength": 32})
class NotificationIdField(serializers.CharField):
    """A notification id as given (≤ 32 characters); its shape is checked by
    analytics.services.notifications.notifications_mark_read (400 INVALID naming its index)."""

    def __init__(self, **kwargs):
        super().__init__(max_length=32, **kwargs)


class CommentInputSerializer(serializers.Serializer):
    text = CommentTextField(
        help_text=f"1–{COMMENT_MAX_CHARS} characters once surrounding whitespace is stripped; line breaks "
        "(CR LF and CR become LF) and tabs allowed, no other control character"
    )


class CommentSerializer(serializers.Serializer):
    comment_id = serializers.CharField()
    author_id = serializers.CharField(help_text="the user who wrote it")
    author_name = serializers.CharField(help_text="the author's display name")
    text = serializers.CharField()
    created_at = serializers.DateTimeField(help_text="UTC")


class NotificationSerializer(serializers.Serializer):
    notification_id = serializers.CharField()
    kind = serializers.CharField(help_text=f"what happened: {', '.join(NotificationKind.values)}")
    text = serializers.CharField(help_text="one line, e.g. 'Alex Rivera commented on their run of 2026-11-30: …'")
    activity_id = serializers.CharField(allow_null=True, help_text="the activity the thread is about")
    athlete_id = serializers.CharField(allow_null=True, help_text="that activity's athlete (for its page's address)")
    read = serializers.BooleanField()
    created_at = serializers.DateTimeField(help_text="UTC")


class NotificationListSerializer(serializers.Serializer):
    unread = serializers.IntegerField(help_text="all of the caller's unread notifications, not only this page's")
    items = NotificationSerializer(many=True, help_text="newest first")


class NotificationsReadInputSerializer(serializers.Serializer):
    notification_ids = serializers.ListField(
        child=NotificationIdField(),
        required=False,
        max_length=MAX_NOTIFICATION_IDS,
        help_text=f"the notifications to mark read (at most {MAX_NOTIFICATION_IDS}); left out: all of them",
    )


class UnreadSerializer(serializers.Serializer):
    unread = serializers.IntegerField(help_text="the caller's unread notifications after the call")


class NotificationSettingsSerializer(serializers.Serializer):
    """Input (every field optional: one left out keeps its value) and output."""

    comment_mail = StrictBooleanField(required=False, help_text="a mail for each new comment that notifies you")
    attention_digest = serializers.ChoiceField(
        choices=DigestFrequency.choices,
        required=False,
        help_text="the coach's mail of athletes needing attention: off, daily or weekly (sent to coach accounts only)",
    )
