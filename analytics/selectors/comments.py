"""Reads for the comment thread of an activity: the thread itself, who may take part, and whom a
new comment notifies ("the other side", docs/architecture.md "Comments and notifications").

Who sees a thread is who sees the activity (`organizations.access.can_read_athlete`): the athlete,
the active coaches and admins of an organization the athlete accepted (while both memberships
last), superusers; an organization's API key reads it, never writes.
"""

from dataclasses import dataclass

from django.db.models import Subquery

from analytics.models import Activity, Comment
from analytics.selectors.records import activity_by_public_id
from astral.exceptions import NotFound
from organizations import access
from organizations.models import MemberRole, Membership
from organizations.selectors import staff_memberships

THREAD_PAGE_LIMIT = 200  # the activity page shows this many of the newest comments


def thread_activity(principal, activity_id: str) -> Activity:
    """The activity `activity_id` (with its athlete) if `principal` may read it: 404
    `ACTIVITY_NOT_FOUND` for an unknown or malformed id (no query for a malformed one), 403 else —
    exactly GET activities/{activity_id}."""
    activity = activity_by_public_id(activity_id)
    if activity is None:
        raise NotFound(f"Activity '{activity_id}' not found.", "ACTIVITY_NOT_FOUND")
    access.require_athlete_read(principal, activity.user)
    return activity


def activity_comments(activity: Activity):
    """The thread, oldest first, with each author (one query whatever its length)."""
    return Comment.objects.filter(activity=activity).select_related("author").order_by("created_at", "pk")


def latest_activity_comments(activity: Activity, limit: int = THREAD_PAGE_LIMIT) -> tuple[list[Comment], int]:
    """The newest `limit` comments of the thread, oldest first, and the thread's length (two queries)."""
    total = Comment.objects.filter(activity=activity).count()
    newest = list(activity_comments(activity).order_by("-created_at", "-pk")[:limit])
    return newest[::-1], total


@dataclass(frozen=True)
class CommentAudience:
    """Whom a new comment by `author` notifies: user pks, never the author's."""

    recipient_ids: frozenset[int]


def _staff_by_organization(athlete) -> dict[int, set[int]]:
    """{organization pk: pks of its active coaches/admins} for every organization whose athlete
    membership `athlete` holds (accepted and not ended): the people who can see them now."""
    athlete_orgs = Membership.objects.filter(user=athlete, active=True, role=MemberRole.ATHLETE).values(
        "organization_id"
    )
    staff: dict[int, set[int]] = {}
    rows = staff_memberships(organization_id__in=Subquery(athlete_orgs)).values_list("organization_id", "user_id")
    for organization_id, user_id in rows:
        staff.setdefault(organization_id, set()).add(user_id)
    return staff


def comment_audience(activity: Activity, author) -> CommentAudience:
    """At most three queries. The athlete's comment notifies, in each organization they belong to, their
    assigned coach when that coach is still its staff, else all its active coaches and admins; a
    coach's comment notifies the athlete. Either way, everyone else who already wrote in the
    thread and can still see the athlete hears of it too. Never the author."""
    athlete = activity.user
    staff = _staff_by_organization(athlete)
    can_see = set().union(*staff.values()) if staff else set()
    recipients: set[int] = set()
    if author.pk == athlete.pk:
        assigned = Membership.objects.filter(user=athlete, active=True, role=MemberRole.ATHLETE).values_list(
            "organization_id", "assigned_coach_id"
        )
        for organization_id, coach_id in assigned:
            members = staff.get(organization_id, set())
            recipients |= {coach_id} if coach_id in members else members
    else:
        recipients.add(athlete.pk)
    participants = (
        Comment.objects.filter(activity=activity)
        .exclude(author_id__in=[author.pk, athlete.pk])
        .values_list("author_id", "author__is_superuser")
        .distinct()
    )
    recipients |= {pk for pk, is_superuser in participants if pk in can_see or is_superuser}
    recipients.discard(author.pk)
    return CommentAudience(frozenset(recipients))
