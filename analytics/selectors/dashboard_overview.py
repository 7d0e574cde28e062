"""The Group Dashboard's weekly overview: one ISO week of a group (or of the organization's
athletes) — totals, engagement, the group insight and the member activity matrix.

Weeks are ISO weeks (Monday first) of local days in the request's zone. One GROUP BY (athlete,
local day) over this week and the week before (for the insight's comparison) feeds everything.
"""

from datetime import UTC, date, datetime, timedelta, tzinfo

from analytics.insight_backends import insights_backend
from analytics.models import Insight, InsightKind
from analytics.selectors.dashboard import (
    GroupRow,
    engagement_rate,
    group_members,
    member_day_totals,
    organization_athletes,
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


def _insight_facts(name: str, members, by_member: dict, week_start: date, active: int) -> dict:
    """The keyword arguments of `group_summary` from the week's numbers: run km this week and
    the week before, active members (≥ 1 activity of any sport), the top runner."""
    this_week = {week_start + timedelta(days=i) for i in range(WEEK_DAYS)}
    run_km = {}
    previous_km = 0.0
    for member in members:
        days = by_member.get(member.pk, {})
        run_km[member.pk] = sum(days[d]["run_distance"] for d in this_week if d in days) / 1000.0
        previous_km += sum(row["run_distance"] for d, row in days.items() if d not in this_week) / 1000.0
    top = max(members, key=lambda m: (run_km[m.pk], -m.pk), default=None)
    has_top = top is not None and run_km[top.pk] > 0
    return {
        "group_name": name,
        "week_distance_km": round(sum(run_km.values()), 1),
        "previous_week_distance_km": round(previous_km, 1),
        "active_members": active,
        "members": len(members),
        "top_member_name": top.display_name if has_top else None,
        "top_member_km": round(run_km[top.pk], 1) if has_top else None,
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
        members, member_pks = group_members(organization, group.pk)
    else:
        members, member_pks = organization_athletes(organization)
    week_end = week_start + timedelta(days=WEEK_DAYS - 1)
    # The week before rides along in the same GROUP BY, for the insight's comparison only.
    by_member = member_day_totals(member_pks, week_start - timedelta(days=WEEK_DAYS), week_end, zone)
    days = [week_start + timedelta(days=i) for i in range(WEEK_DAYS)]
    rows, total_distance = [], 0.0
    for member in members:
        member_days = by_member.get(member.pk, {})
        distances = [member_days[d]["distance"] if d in member_days else 0.0 for d in days]
        total_distance += sum(distances)
        rows.append(
            {
                "user_id": member.user_id,
                "display_name": member.display_name,
                "days": [round(value, 1) for value in distances],
                "total_distance": round(sum(distances), 1),
                "activities": sum(member_days[d]["activities"] for d in days if d in member_days),
            }
        )
    active = sum(1 for row in rows if row["activities"] > 0)
    name = group.name if group is not None else organization.name
    insight = stored_group_insight(group, week_start, today) if group is not None else None
    if insight is None:
        insight = insights_backend().group_summary(**_insight_facts(name, members, by_member, week_start, active))
    # Sorted by display name already; a stable sort keeps that order among equal distances.
    ranked = sorted(rows, key=lambda row: (-row["total_distance"], -row["activities"]))
    return {
        "org_id": organization.public_id,
        "group_id": group.group_id if group is not None else None,
        "name": name,
        "week_start": week_start.isoformat(),
        "week_end": week_end.isoformat(),
        "timezone": str(zone),
        "total_distance": round(total_distance, 1),
        "total_activities": sum(row["activities"] for row in rows),
        "active_athletes": active,
        "total_athletes": len(members),
        "engagement_rate": engagement_rate(active, len(members)),
        "group_insight": insight,
        "member_matrix": ranked[:MATRIX_SIZE],
    }
