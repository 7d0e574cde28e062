"""The sidebar's unread-notification count (one query per page, for a logged-in person only)."""

from django import template

from analytics.selectors.notifications import unread_notification_count as count_unread
from astral.principals import is_api_key

register = template.Library()


@register.simple_tag
def unread_notification_count(user) -> int:
    """`user`'s unread notifications; 0 without a logged-in person (and then no query)."""
    if user is None or not user.is_authenticated or is_api_key(user):
        return 0
    return count_unread(user)
