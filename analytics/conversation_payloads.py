"""Plain-dict shapes of comments, notifications and mail preferences, from rows already loaded
(no queries here): what the API answers and the pages show."""

from astral.local_time import utc_text


def comment_payload(comment) -> dict:
    """`comment.author` must be loaded (`activity_comments` selects it)."""
    return {
        "comment_id": comment.public_id,
        "author_id": comment.author.public_id,
        "author_name": comment.author.name,
        "text": comment.text,
        "created_at": utc_text(comment.created_at),
    }


def notification_payload(notification) -> dict:
    """`notification.activity.user` must be loaded (`user_notifications` selects it)."""
    activity = notification.activity
    return {
        "notification_id": notification.public_id,
        "kind": notification.kind,
        "text": notification.text,
        "activity_id": activity.public_id if activity else None,
        "athlete_id": activity.user.public_id if activity else None,
        "read": notification.read_at is not None,
        "created_at": utc_text(notification.created_at),
    }


def mail_preferences_payload(preferences) -> dict:
    return {"comment_mail": preferences.comment_mail, "attention_digest": preferences.digest}
