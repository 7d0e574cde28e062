"""Group Dashboard reads: who counts, and their activities aggregated in SQL on local days.

Who counts (the same rule everywhere on the dashboard):
- a group's members are its users with an *active* membership (any role) in the group's
  organization — the rule of `organizations.selectors.organization_groups` and of the stored
  group insight, so member counts agree across pages;
- "the organization" (the overview without `group_id`, the plans tab) is its active *athlete*
  members: a coach's own runs are not the team's.

All sports count (distance in metres, activities, engagement). Each aggregate below is one
GROUP BY in the database on the local day of the request's zone (`analytics.buckets`); members
are passed as subqueries, so a query's size and the number of queries do not depend on how many
athletes or groups there are. Per-group and per-member sums then walk members, never activities.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from django.db.models import Count, FilteredRelation, OuterRef, Q, QuerySet, Subquery, Sum

from accounts.models import User
from analytics.buckets import aggregate_buckets, local_bucket
from analytics.models import RUN_SPORTS, Activity
from astral.local_time import local_date, local_days_range
from organizations.models import Group, GroupMembership, MemberRole, Membership, Organization

ENGAGEMENT_DECIMALS = 3
_USER_FIELDS = ("public_id", "display_name", "first_name", "last_name", "username", "timezone")


@dataclass(frozen=True)
class Member:
    pk: int
    user_id: str  # public id
    display_name: str
    timezone: str  # the profile's IANA name, "" when not set


@dataclass(frozen=True)
class GroupRow:
    pk: int
    group_id: str  # public id
    name: str


def display_name_of(display_name: str, first_name: str, last_name: str, username: str) -> str:
    """`User.name` from plain values: display name, else full name, else username."""
    return display_name or f"{first_name} {last_name}".strip() or username


def _member(user_pk: int, values: tuple) -> Member:
    public_id, display, first, last, username, zone = values
    return Member(user_pk, public_id, display_name_of(display, first, last, username), zone)


def _by_name(member: Member) -> tuple[str, str]:
    """Members' order everywhere on the dashboard: by name, then id."""
    return member.display_name.lower(), member.user_id


def _sorted_members(members) -> list[Member]:
    return sorted(members, key=_by_name)


def engagement_rate(active: int, total: int) -> float | None:
    """Members with ≥ 1 activity ÷ members, 0–1 with 3 decimals; None without members."""
    return round(active / total, ENGAGEMENT_DECIMALS) if total else None


# --- who counts ---------------------------------------------------------------------------------


def organization_group_rows(organization: Organization) -> list[GroupRow]:
    """Every group of the organization, by name (one query)."""
    rows = Group.objects.filter(organization=organization).order_by("name", "pk").values_list("pk", "public_id", "name")
    return [GroupRow(*row) for row in rows]


def _athlete_memberships(organization: Organization) -> QuerySet:
    return Membership.objects.filter(organization=organization, active=True, role=MemberRole.ATHLETE)


def _group_memberships(organization: Organization, group_pk: int | None = None) -> QuerySet:
    """Group rows whose user is an active member of the organization (one group, or all)."""
    rows = GroupMembership.objects.filter(
        group__organization=organization,
        user__memberships__organization=organization,
        user__memberships__active=True,
    )
    return rows.filter(group_id=group_pk) if group_pk is not None else rows


def organization_athlete_pks(organization: Organization) -> QuerySet:
    """The subquery of the organization's active athletes' user pks."""
    return _athlete_memberships(organization).values("user_id")


def group_member_pks(organization: Organization, group_pk: int) -> QuerySet:
    """The subquery of the group's active members' user pks."""
    return _group_memberships(organization, group_pk).values("user_id")


def organization_athletes(organization: Organization) -> tuple[list[Member], QuerySet]:
    """(active athlete members by name, the subquery of their user pks)."""
    memberships = _athlete_memberships(organization)
    rows = memberships.values_list("user_id", *(f"user__{name}" for name in _USER_FIELDS))
    return _sorted_members(_member(row[0], row[1:]) for row in rows), organization_athlete_pks(organization)


def group_members(organization: Organization, group_pk: int) -> tuple[list[Member], QuerySet]:
    """(the group's active members by name, the subquery of their user pks)."""
    rows = _group_memberships(organization, group_pk)
    values = rows.values_list("user_id", *(f"user__{name}" for name in _USER_FIELDS))
    return _sorted_members(_member(row[0], row[1:]) for row in values), group_member_pks(organization, group_pk)


def groups_member_pks(organization: Organization) -> tuple[dict[int, list[int]], QuerySet]:
    """({group pk: [member user pks]} for every group in one query, the subquery of all of them)."""
    rows = _group_memberships(organization)
    by_group = defaultdict(list)
    for group_pk, user_pk in rows.values_list("group_id", "user_id"):
        by_group[group_pk].append(user_pk)
    return by_group, rows.values("user_id")


# --- activities, aggregated in SQL --------------------------------------------------------------


def _activities_between(user_pks: QuerySet, first: date, last: date, zone: tzinfo) -> QuerySet:
    """Activities of the users that start on the local days first…last (inclusive) in `zone`."""
    start, end = local_days_range(first, last, zone)
    return Activity.objects.filter(user_id__in=user_pks, start_time__gte=start, start_time__lt=end)


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def member_day_totals(user_pks: QuerySet, first: date, last: date, zone: tzinfo) -> dict[int, dict[date, dict]]:
    """{user pk: {local day: {distance, activities, run_distance}}}: one GROUP BY (athlete, day).
    Distances in metres, all sports; `run_distance` counts run, trail_run and treadmill only."""
    rows = (
        _activities_between(user_pks, first, last, zone)
        .annotate(day=local_bucket("start_time", "day", zone))
        .values("user_id", "day")
        .annotate(
            sum_distance=Sum("distance"),
            count=Count("pk"),
            sum_run_distance=Sum("distance", filter=Q(sport__in=RUN_SPORTS)),
        )
        .order_by()
    )
    totals: dict[int, dict[date, dict]] = defaultdict(dict)
    for row in rows:
        totals[row["user_id"]][_as_date(row["day"])] = {
            "distance": row["sum_distance"] or 0.0,
            "activities": row["count"],
            "run_distance": row["sum_run_distance"] or 0.0,
        }
    return totals


@dataclass(frozen=True)
class MemberWeek:
    member: Member
    distance: float  # metres, all sports
    activities: int
    run_distance: float  # metres, run sports only


def members_with_window_totals(user_pks: QuerySet, first: date, last: date, zone: tzinfo) -> list[MemberWeek]:
    """Every member (by name) with their sums over the local days first…last, in one query: the
    members LEFT JOIN only their activities inside the window (a `FilteredRelation`, so the join
    reads the window through the (user, start_time) index, never a member's whole history)."""
    start, end = local_days_range(first, last, zone)
    window = FilteredRelation(
        "activities", condition=Q(activities__start_time__gte=start, activities__start_time__lt=end)
    )
    rows = (
        User.objects.filter(pk__in=user_pks)
        .annotate(window=window)
        .values_list("pk", *_USER_FIELDS)
        .annotate(
            sum_distance=Sum("window__distance"),
            count=Count("window__pk"),
            sum_run_distance=Sum("window__distance", filter=Q(window__sport__in=RUN_SPORTS)),
        )
        .order_by()
    )
    weeks = [MemberWeek(_member(row[0], row[1:-3]), row[-3] or 0.0, row[-2], row[-1] or 0.0) for row in rows]
    return sorted(weeks, key=lambda week: _by_name(week.member))


def run_distance_between(user_pks: QuerySet, first: date, last: date, zone: tzinfo) -> float:
    """Metres run (run sports) by the users over the local days first…last: one aggregate."""
    total = _activities_between(user_pks, first, last, zone).filter(sport__in=RUN_SPORTS).aggregate(m=Sum("distance"))
    return total["m"] or 0.0


def member_totals(user_pks: QuerySet, first: date, last: date, zone: tzinfo) -> dict[int, dict]:
    """{user pk: {distance (m), activities, duration (s), training_load}} over the local days
    first…last: one GROUP BY athlete."""
    rows = (
        _activities_between(user_pks, first, last, zone)
        .values("user_id")
        .annotate(
            sum_distance=Sum("distance"),
            count=Count("pk"),
            sum_duration=Sum("duration"),
            sum_load=Sum("training_load"),
        )
        .order_by()
    )
    return {
        row["user_id"]: {
            "distance": row["sum_distance"] or 0.0,
            "activities": row["count"],
            "duration": row["sum_duration"] or 0.0,
            "training_load": row["sum_load"] or 0.0,
        }
        for row in rows
    }


def daily_totals(user_pks: QuerySet, first: date, last: date, zone: tzinfo) -> dict[date, dict]:
    """{local day: {distance, activities}} over first…last: one GROUP BY on the local day."""
    return aggregate_buckets(
        _activities_between(user_pks, first, last, zone),
        local_bucket("start_time", "day", zone),
        distance=Sum("distance"),
        activities=Count("pk"),
    )


def last_activity_dates(user_pks: QuerySet, last: date, zone: tzinfo) -> dict[int, date]:
    """{user pk: local date of their latest activity on or before the local day `last`}: one query,
    a "latest start before the end" subquery per member — a backward scan of the (user,
    start_time) index that stops at one row, so the cost follows the members, never the years of
    history behind them (a GROUP BY with Max would read every activity they ever logged)."""
    end = local_days_range(last, last, zone)[1]
    latest = Activity.objects.filter(user=OuterRef("pk"), start_time__lt=end).order_by("-start_time")
    rows = (
        User.objects.filter(pk__in=user_pks)
        .annotate(latest=Subquery(latest.values("start_time")[:1]))
        .filter(latest__isnull=False)
        .values_list("pk", "latest")
    )
    return {pk: local_date(start, zone) for pk, start in rows}
