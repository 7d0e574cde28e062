"""The Group Dashboard's weekly overview: one ISO week of a group (or of the organization's
athletes) — totals, engagement, the group insight and the member activity matrix.

Weeks are ISO weeks (Monday first) of local days in the request's zone. Three aggregates feed
everything, whatever the number of members or the years of history behind them: every member
with their week's sums (one query over the week's activities only), the daily distances of the
top 20 alone, and the run distance of the week before (for the insight's comparison).
"""

from datetime import UTC, date, datetime, timedelta, tzinfo

from analytics.insight_backends import insights_backend
from analytics.models import Insight, InsightKind
from analytics.selectors.dashboard import (
    GroupRow,
    MemberWeek,
    engagement_rate,
    group_member_pks,
    member_day_totals,
    members_with_window_totals,
    organization_athlete_pks,
    run_distance_between,
)
from organizations.models import Organization

MATRIX_SIZE = 20
WEEK_DAYS = 7


def week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _utc_monday(instant: datetime) -> date:
    return week_monday(instant.astimezone(UTC).date())


def stored_group_insight(group: GroupRow, week_start: date, today: date) -> str | None:
    """The stored insight text of the group for the current week, if the hourly job wrote one
    this (UTC ISO) week; None for another week or when none is stored yet."""
    if week_start != week_monday(today):
        return None
    insight = (
        Insight.objects.filter(group_id=group.pk, kind=InsightKind.GROUP)
        .order_by("-generated_at")
        .only("text", "generated_at")
        .first()
    )
    if insight is None or _utc_monday(insight.generated_at) != week_start:
        return None
    return insight.text


def _insight_facts(name: str, weeks: list[MemberWeek], previous_run_m: float, active: int) -> dict:
    """The keyword arguments of `group_summary` from the week's numbers: run km this week and
    the week before, active members (≥ 1 activity of any sport), the top runner."""
    top = max(weeks, key=lambda week: (week.run_distance, -week.member.pk), default=None)
    has_top = top is not None and top.run_distance > 0
    return {
        "group_name": name,
        "week_distance_km": round(sum(week.run_distance for week in weeks) / 1000.0, 1),
        "previous_week_distance_km": round(previous_run_m / 1000.0, 1),
        "active_members": active,
        "members": len(weeks),
        "top_member_name": top.member.display_name if has_top else None,
        "top_member_km": round(top.run_distance / 1000.0, 1) if has_top else None,
    }


def group_dashboard_overview(
    *, organization: Organization, group: GroupRow | None, week_start: date, today: date, zone: tzinfo
) -> dict:
    """The overview of the ISO week starting `week_start` (a Monday, local to `zone`).

    Members: the group's active members, or without a group the organization's active athletes.
    Distances in metres (1 decimal), all sports; `engagement_rate` = members with ≥ 1 activity ÷
    members (3 decimals, None without members); `member_matrix`: the top 20 members by the
    week's distance (then activities, then name), each with 7 daily distances, Monday first.
    `group_insight`: the stored insight of the current week, else a text generated now from this
    week's numbers (run km vs the week before, active members, the top runner).
    """
    if group is not None:
        member_pks = group_member_pks(organization, group.pk)
    else:
        member_pks = organization_athlete_pks(organization)
    week_end = week_start + timedelta(days=WEEK_DAYS - 1)
    weeks = members_with_window_totals(member_pks, week_start, week_end, zone)
    # Sorted by display name already; a stable sort keeps that order among equal distances.
    ranked = sorted(weeks, key=lambda week: (-round(week.distance, 1), -week.activities))[:MATRIX_SIZE]
    by_member = member_day_totals([week.member.pk for week in ranked], week_start, week_end, zone)
    days = [week_start + timedelta(days=i) for i in range(WEEK_DAYS)]
    matrix = []
    for week in ranked:
        member_days = by_member.get(week.member.pk, {})
        matrix.append(
            {
                "user_id": week.member.user_id,
                "display_name": week.member.display_name,
                "days": [round(member_days[d]["distance"], 1) if d in member_days else 0.0 for d in days],
                "total_distance": round(week.distance, 1),
                "activities": week.activities,
            }
        )
    active = sum(1 for week in weeks if week.activities > 0)
    name = group.name if group is not None else organization.name
    insight = stored_group_insight(group, week_start, today) if group is not None else None
    if insight is None:
        previous_run_m = run_distance_between(
            member_pks, week_start - timedelta(days=WEEK_DAYS), week_start - timedelta(days=1), zone
        )
        insight = insights_backend().group_summary(**_insight_facts(name, weeks, previous_run_m, active))
    return {
        "org_id": organization.public_id,
        "group_id": group.group_id if group is not None else None,
        "name": name,
        "week_start": week_start.isoformat(),
        "week_end": week_end.isoformat(),
        "timezone": str(zone),
        "total_distance": round(sum(week.distance for week in weeks), 1),
        "total_activities": sum(week.activities for week in weeks),
        "active_athletes": active,
        "total_athletes": len(weeks),
        "engagement_rate": engagement_rate(active, len(weeks)),
        "group_insight": insight,
        "member_matrix": matrix,
    }
