"""Reads for a person's notifications and mail preferences.

A notification about an activity stays visible only while its recipient may still read that
activity (`organizations.access.can_read_athlete`'s rule, as SQL): a coach who loses access stops
seeing what was said in the thread, in the list and in the unread count alike.
"""

from django.db.models import Exists, OuterRef, Q

from analytics.models import MailPreferences, Notification
from organizations.models import MemberRole, Membership
from organizations.selectors import staff_memberships


def _still_readable(user) -> Q:
    if user.is_superuser:
        return Q()
    athlete_of_my_organization = Membership.objects.filter(
        user_id=OuterRef("activity__user_id"),
        active=True,
        role=MemberRole.ATHLETE,
        organization_id__in=staff_memberships(user=user).values("organization_id"),
    )
    return Q(activity__isnull=True) | Q(activity__user_id=user.pk) | Q(Exists(athlete_of_my_organization))


def user_notifications(user):
    """`user`'s notifications they may still read, newest first, with the activity and its athlete
    (one query for any number of rows)."""
    return (
        Notification.objects.filter(recipient=user)
        .filter(_still_readable(user))
        .select_related("activity__user")
        .order_by("-created_at", "-pk")
    )


def unread_notification_count(user) -> int:
    """How many of `user`'s readable notifications are unread (one query)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).filter(_still_readable(user)).count()


def mail_preferences_of(user) -> MailPreferences:
    """`user`'s mail preferences; the defaults (all off), unsaved, when they never set any."""
    return MailPreferences.objects.filter(user=user).first() or MailPreferences(user=user)
