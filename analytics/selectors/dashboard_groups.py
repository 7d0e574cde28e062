"""The Group Dashboard's Groups tab: every group side by side over a window of local days, and
one group's drill-down (totals, a zero-filled daily series, per-member rows).

Windows are inclusive local dates in the request's zone. Three queries at most per answer,
whatever the number of groups and members: the members, one GROUP BY per series.
"""

from datetime import date, timedelta, tzinfo

from analytics.buckets import bucket_labels, zero_filled
from analytics.selectors.dashboard import (
    GroupRow,
    daily_totals,
    engagement_rate,
    group_members,
    groups_member_pks,
    last_activity_dates,
    member_totals,
)
from organizations.models import Organization

EMPTY_TOTALS = {"distance": 0.0, "activities": 0, "duration": 0.0, "training_load": 0.0}


def window_payload(first: date, last: date, period: int | None) -> dict:
    return {"from": first.isoformat(), "to": last.isoformat(), "period": period, "days": (last - first).days + 1}


def group_comparison(
    *,
    organization: Organization,
    groups: list[GroupRow],
    first: date,
    last: date,
    zone: tzinfo,
    period: int | None = None,
) -> dict:
    """The window ({from, to, period, days}) and `groups`: one row per group (empty groups
    included, by name) over the local days first…last: member_count, total_distance (m, 1
    decimal), total_activities, active_athletes (members with ≥ 1 activity), engagement_rate
    (active ÷ members, 3 decimals, None without members)."""
    members_by_group, member_pks = groups_member_pks(organization)
    totals = member_totals(member_pks, first, last, zone)
    rows = []
    for group in groups:
        pks = members_by_group.get(group.pk, [])
        mine = [totals.get(pk, EMPTY_TOTALS) for pk in pks]
        active = sum(1 for row in mine if row["activities"] > 0)
        rows.append(
            {
                "group_id": group.group_id,
                "name": group.name,
                "member_count": len(pks),
                "total_distance": round(sum(row["distance"] for row in mine), 1),
                "total_activities": sum(row["activities"] for row in mine),
                "active_athletes": active,
                "engagement_rate": engagement_rate(active, len(pks)),
            }
        )
    return {
        "org_id": organization.public_id,
        "timezone": str(zone),
        **window_payload(first, last, period),
        "groups": rows,
    }


def _daily_point(day: date, row: dict | None) -> dict:
    return {
        "date": day.isoformat(),
        "distance": round(row["distance"] or 0.0, 1) if row else 0.0,
        "activities": row["activities"] if row else 0,
    }


def group_detail(
    *,
    organization: Organization,
    group: GroupRow,
    first: date,
    last: date,
    zone: tzinfo,
    period: int | None = None,
) -> dict:
    """One group over the local days first…last: `totals` {distance, activities, duration,
    training_load, active_athletes, member_count, engagement_rate}, `daily` [{date, distance,
    activities}] one point per local day (zeros included), `members` sorted by distance (then
    activities, then name) with their own sums and `last_activity_date` (the local date of their
    latest activity on or before `last`, None when there is none)."""
    members, member_pks = group_members(organization, group.pk)
    totals = member_totals(member_pks, first, last, zone)
    latest = last_activity_dates(member_pks, last, zone)
    daily = daily_totals(member_pks, first, last, zone)
    rows = []
    for member in members:
        mine = totals.get(member.pk, EMPTY_TOTALS)
        rows.append(
            {
                "user_id": member.user_id,
                "display_name": member.display_name,
                "distance": round(mine["distance"], 1),
                "activities": mine["activities"],
                "duration": round(mine["duration"], 1),
                "training_load": round(mine["training_load"], 1),
                "last_activity_date": latest[member.pk].isoformat() if member.pk in latest else None,
            }
        )
    active = sum(1 for row in rows if row["activities"] > 0)
    mine_all = [totals.get(member.pk, EMPTY_TOTALS) for member in members]
    return {
        "group_id": group.group_id,
        "name": group.name,
        "timezone": str(zone),
        **window_payload(first, last, period),
        "totals": {
            "distance": round(sum(row["distance"] for row in mine_all), 1),
            "activities": sum(row["activities"] for row in mine_all),
            "duration": round(sum(row["duration"] for row in mine_all), 1),
            "training_load": round(sum(row["training_load"] for row in mine_all), 1),
            "active_athletes": active,
            "member_count": len(members),
            "engagement_rate": engagement_rate(active, len(members)),
        },
        "daily": zero_filled(bucket_labels(first, last, "day"), daily, _daily_point),
        "members": sorted(rows, key=lambda row: (-row["distance"], -row["activities"])),
    }


def period_window(today: date, period: int) -> tuple[date, date]:
    """The last `period` local days including today."""
    return today - timedelta(days=period - 1), today
