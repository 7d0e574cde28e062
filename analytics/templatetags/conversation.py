"""The sidebar's unread-notification count (one query per page, for a logged-in person only), and
instants shown in the viewer's own time zone."""

from datetime import datetime

from django import template

from analytics.selectors.notifications import unread_notification_count as count_unread
from astral.local_time import user_zone
from astral.principals import is_api_key

register = template.Library()


@register.simple_tag
def unread_notification_count(user) -> int:
    """`user`'s unread notifications; 0 without a logged-in person (and then no query)."""
    if user is None or not user.is_authenticated or is_api_key(user):
        return 0
    return count_unread(user)


@register.filter
def viewer_time(instant: str, viewer) -> str:
    """An ISO instant (`2026-12-04T23:00:00Z`) as `2026-12-04 18:00 EST` in `viewer`'s profile
    zone (UTC without one)."""
    moment = datetime.fromisoformat(instant).astimezone(user_zone(viewer))
    return moment.strftime("%Y-%m-%d %H:%M %Z")
