"""Group insights: one generated text per group about its current ISO week (UTC weeks), stored
hourly for every group (the Group Dashboard does not read it: it writes its own text from the
numbers it shows, in the viewer's zone — selectors/dashboard_overview.py).

The rules are the dashboard's: run km of the week so far against the same days of the week
before, a member is active with any activity of any sport, the top member by run km. Two queries
for any number of groups: the members, and the members' sums per ISO week (GROUP BY athlete and
week). The per-group sums then walk members, not activities.
"""

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncWeek

from analytics.insight_backends import insights_backend
from analytics.models import RUN_SPORTS, Activity, Insight, InsightKind
from organizations.models import Group, GroupMembership


def _week_start(now: datetime) -> datetime:
    monday = now.astimezone(UTC).date() - timedelta(days=now.astimezone(UTC).weekday())
    return datetime(monday.year, monday.month, monday.day, tzinfo=UTC)


def group_week_facts(groups: list[Group], now: datetime) -> dict[int, dict]:
    """{group pk: group_text keyword arguments} for the ISO week containing `now` (UTC), against
    the same days (Monday … today's weekday, whole days) of the week before."""
    this_week = _week_start(now)
    days = (now.astimezone(UTC).date() - this_week.date()).days + 1
    last_week = this_week - timedelta(days=7)
    members = defaultdict(list)
    names = {}
    # Only active members of the group's own organization count (a deactivated athlete drops out).
    for group_id, user_id, display_name, username in (
        GroupMembership.objects.filter(
            group__in=groups,
            user__memberships__organization=F("group__organization"),
            user__memberships__active=True,
        )
        .values_list("group_id", "user_id", "user__display_name", "user__username")
        .distinct()
    ):
        members[group_id].append(user_id)
        names[user_id] = display_name or username
    weekly = defaultdict(dict)
    activities = defaultdict(int)
    same_days_last_week = Q(start_time__gte=last_week, start_time__lt=last_week + timedelta(days=days))
    rows = (
        Activity.objects.filter(same_days_last_week | Q(start_time__gte=this_week, start_time__lte=now))
        .filter(user_id__in=list(names))
        .annotate(week=TruncWeek("start_time", tzinfo=UTC))
        .values("user_id", "week")
        .annotate(distance=Sum("distance", filter=Q(sport__in=RUN_SPORTS)), activities=Count("pk"))
        .order_by()
    )
    for row in rows:
        key = "this" if row["week"].date() == this_week.date() else "last"
        weekly[row["user_id"]][key] = row["distance"] or 0.0
        if key == "this":
            activities[row["user_id"]] = row["activities"]
    facts = {}
    for group in groups:
        ids = members.get(group.pk, [])
        this_km = {uid: weekly[uid].get("this", 0.0) / 1000.0 for uid in ids}
        top = max(ids, key=lambda uid: (this_km[uid], -uid), default=None)
        facts[group.pk] = {
            "group_name": group.name,
            "week_distance_km": round(sum(this_km.values()), 1),
            "previous_week_distance_km": round(sum(weekly[uid].get("last", 0.0) for uid in ids) / 1000.0, 1),
            "active_members": sum(1 for uid in ids if activities[uid] > 0),
            "members": len(ids),
            "top_member_name": names[top] if top is not None and this_km[top] > 0 else None,
            "top_member_km": round(this_km[top], 1) if top is not None and this_km[top] > 0 else None,
            "days_into_week": days,
        }
    return facts


@transaction.atomic
def group_insights_refresh(*, groups, now: datetime | None = None) -> dict[int, Insight]:
    groups = list(groups)
    if not groups:
        return {}
    now = now or datetime.now(UTC)
    backend = insights_backend()
    facts = group_week_facts(groups, now)
    rows = [
        Insight(kind=InsightKind.GROUP, group=group, text=backend.group_summary(**facts[group.pk]), generated_at=now)
        for group in groups
    ]
    Insight.objects.filter(group__in=groups, kind=InsightKind.GROUP).delete()
    Insight.objects.bulk_create(rows)
    return {row.group_id: row for row in rows}
