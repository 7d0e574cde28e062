"""Writes for a person's notifications (marking them read) and their mail preferences."""

from datetime import datetime

from django.db import transaction

from analytics.models import DigestFrequency, MailPreferences, Notification
from astral.exceptions import invalid
from astral.ids import is_public_id

MAX_NOTIFICATION_IDS = 200  # per call, as a page of the list


def notifications_mark_read(*, user, notification_ids: list[str] | None, now: datetime) -> int:
    """Mark `user`'s unread notifications read at `now`: all of them (`notification_ids` None), or
    those of the given ids. An id of the right shape that is not one of the caller's unread
    notifications is skipped (someone else's is never touched, nor revealed); a malformed one is a
    400 `INVALID` naming `notification_ids.<index>`, and nothing changes. Returns how many changed."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        if len(notification_ids) > MAX_NOTIFICATION_IDS:
            raise invalid(
                "notification_ids", f"At most {MAX_NOTIFICATION_IDS} notification ids per call.", "MAX_LENGTH"
            )
        for index, notification_id in enumerate(notification_ids):
            if not is_public_id(notification_id, Notification):
                raise invalid(f"notification_ids.{index}", f"'{notification_id}' is not a notification id.")
        unread = unread.filter(public_id__in=notification_ids)
    return unread.update(read_at=now)


def activity_notifications_mark_read(*, user, activity, now: datetime) -> int:
    """Mark `user`'s unread notifications about `activity` read (they opened its page)."""
    return Notification.objects.filter(recipient=user, activity=activity, read_at__isnull=True).update(read_at=now)


@transaction.atomic
def mail_preferences_update(*, user, comment_mail: bool | None = None, digest: str | None = None) -> MailPreferences:
    """Set `comment_mail` and/or the attention `digest` (off|daily|weekly); a value left None keeps
    the current one (the default, off, for someone who never chose)."""
    if digest is not None and digest not in DigestFrequency.values:
        raise invalid("attention_digest", f"attention_digest must be one of {', '.join(DigestFrequency.values)}.")
    preferences, _ = MailPreferences.objects.select_for_update().get_or_create(user=user)
    changed = []
    if comment_mail is not None and comment_mail != preferences.comment_mail:
        preferences.comment_mail = comment_mail
        changed.append("comment_mail")
    if digest is not None and digest != preferences.digest:
        preferences.digest = digest
        changed.append("digest")
    if changed:
        preferences.save(update_fields=changed)
    return preferences
