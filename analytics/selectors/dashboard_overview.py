"""The Group Dashboard's weekly overview: one ISO week of a group (or of the organization's
athletes) — totals, engagement, the group insight and the member activity matrix.

Weeks are ISO weeks (Monday first) of local days in the request's zone. Three aggregates feed
everything, whatever the number of members or the years of history behind them: every member
with their week's sums (one query over the week's activities only), the daily distances of the
top 20 alone, and the run distance of the same days of the week before (for the insight).

The group insight is always written from the numbers the overview shows — its zone, its week,
its "active" rule — never read from the hourly stored text (UTC weeks, written up to an hour
before): the answer is cached under the organization's data generation, so the text is exactly
as old as the numbers beside it.
"""

from datetime import date, timedelta, tzinfo

from analytics.insight_backends import insights_backend
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


def days_into_week(week_start: date, today: date) -> int:
    """Days of the week starting `week_start` up to `today` (1–7); a past or future week is whole."""
    elapsed = (today - week_start).days + 1
    return elapsed if 1 <= elapsed <= WEEK_DAYS else WEEK_DAYS


def _insight_facts(name: str, weeks: list[MemberWeek], previous_run_m: float, active: int, days: int) -> dict:
    """The keyword arguments of `group_summary` from the week's numbers: run km this week and
    on the same `days` of the week before, active members (≥ 1 activity of any sport), the top
    runner."""
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
        "days_into_week": days,
    }


def group_dashboard_overview(
    *, organization: Organization, group: GroupRow | None, week_start: date, today: date, zone: tzinfo
) -> dict:
    """The overview of the ISO week starting `week_start` (a Monday, local to `zone`).

    Members: the group's active members, or without a group the organization's active athletes.
    Distances in metres (1 decimal), all sports; `engagement_rate` = members with ≥ 1 activity ÷
    members (3 decimals, None without members); `member_matrix`: the top 20 members by the
    week's distance (then activities, then name), each with 7 daily distances, Monday first.
    `group_insight`: a text generated from these numbers: run km of the week so far against the
    same days of the week before (Monday–today's weekday in the current week, whole weeks
    otherwise), active members, the top runner.
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
    days = days_into_week(week_start, today)
    previous_start = week_start - timedelta(days=WEEK_DAYS)
    previous_run_m = run_distance_between(member_pks, previous_start, previous_start + timedelta(days=days - 1), zone)
    insight = insights_backend().group_summary(**_insight_facts(name, weeks, previous_run_m, active, days))
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
