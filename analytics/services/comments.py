"""Writes for comment threads: post a comment, notify the other side, mail those who opted in.

Whom a comment notifies is `analytics.selectors.comments.comment_audience`; the caller has
checked that the author may read the activity (`thread_activity`). Mail leaves only after the
transaction commits (`astral.mail.mail_send_on_commit`), to recipients whose
`MailPreferences.comment_mail` is on and who have an address.
"""

import re

from django.db import transaction

from accounts.models import User
from analytics.models import Activity, Comment, Notification, NotificationKind
from analytics.models.conversation import COMMENT_MAX_CHARS
from analytics.selectors.comments import comment_audience
from astral.exceptions import InvalidInput, invalid
from astral.local_time import zone_or_utc
from astral.mail import mail_send_on_commit, public_link

EXCERPT_CHARS = 120  # of the comment, in a notification's text
# What an activity is called in a sentence ("your trail run of 2026-11-30").
SPORT_WORDS = {"treadmill": "treadmill run", "other": "activity"}
# Control characters (Unicode Cc) but tab and line feed — CR is gone once line endings are LF.
# The API's body rule (astral.api.hostile_input) is the same class with CR allowed; the domain
# states its own, as it speaks no HTTP.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")


def comment_text_clean(raw: str) -> str:
    """The text as stored: line endings as `\\n`, surrounding whitespace stripped. 400 (field
    `text`): `BLANK` when nothing is left, `INVALID_CHARACTERS` for a control character other than
    newline and tab (NUL included), `MAX_LENGTH` beyond 2000 characters."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise invalid("text", "The comment is empty.", "BLANK")
    found = _CONTROL.search(text)
    if found:
        raise InvalidInput(
            f"text contains a control character (U+{ord(found.group()):04X}).", "INVALID_CHARACTERS", field="text"
        )
    if len(text) > COMMENT_MAX_CHARS:
        raise invalid(
            "text",
            f"A comment may have at most {COMMENT_MAX_CHARS} characters (this one has {len(text)}).",
            "MAX_LENGTH",
        )
    return text


def comment_excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The comment on one line (runs of whitespace become one space), cut to `limit` characters
    with an ellipsis."""
    line = _SPACES.sub(" ", text).strip()
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def activity_title(activity: Activity) -> str:
    """`run of 2026-11-30`: the sport and the activity's local date (its own zone, else its athlete's)."""
    local_day = activity.start_time.astimezone(zone_or_utc(activity.timezone or activity.user.timezone)).date()
    word = SPORT_WORDS.get(activity.sport, activity.get_sport_display().lower())
    return f"{word} of {local_day.isoformat()}"


def _whose(activity: Activity, author, recipient) -> str:
    if recipient.pk == activity.user_id:
        return "your"
    if author.pk == activity.user_id:
        return "their"
    return f"{activity.user.name}'s"


def comment_notification_text(activity: Activity, author, recipient, text: str) -> str:
    """`Alex Rivera commented on their run of 2026-11-30: Felt strong.` — "your" to the athlete,
    "their" when the athlete wrote, else the athlete's name."""
    whose = _whose(activity, author, recipient)
    return f"{author.name} commented on {whose} {activity_title(activity)}: {comment_excerpt(text)}"


def activity_page_path(activity: Activity) -> str:
    return f"/athletes/{activity.user.public_id}/activities/{activity.public_id}/"


def _comment_mail(comment: Comment, recipient) -> None:
    activity, author = comment.activity, comment.author
    subject = f"{author.name} commented on {_whose(activity, author, recipient)} {activity_title(activity)}"
    body = (
        f"{subject}:\n\n{comment.text}\n\n"
        f"Open the thread: {public_link(activity_page_path(activity))}#{comment.public_id}\n\n"
        "You get this mail because comment mail is on in your notification settings; turn it off at "
        f"{public_link('/notifications/')}\n"
    )
    mail_send_on_commit(to=recipient.email, subject=subject, body=body)


@transaction.atomic
def comment_post(*, author: User, activity: Activity, text: str) -> Comment:
    """Add `author`'s comment to `activity`'s thread (the caller checked they may read it), one
    notification per recipient of `comment_audience` (one INSERT), and a mail to each recipient
    who opted in. Bad text → InvalidInput (see `comment_text_clean`), nothing stored."""
    comment = Comment.objects.create(activity=activity, author=author, text=comment_text_clean(text))
    audience = comment_audience(activity, author)
    recipients = list(
        User.objects.filter(pk__in=audience.recipient_ids).select_related("mail_preferences").order_by("pk")
    )
    Notification.objects.bulk_create(
        Notification(
            recipient=recipient,
            kind=NotificationKind.COMMENT,
            text=comment_notification_text(activity, author, recipient, comment.text),
            activity=activity,
            comment=comment,
        )
        for recipient in recipients
    )
    for recipient in recipients:
        preferences = getattr(recipient, "mail_preferences", None)
        if preferences is not None and preferences.comment_mail and recipient.email:
            _comment_mail(comment, recipient)
    return comment
