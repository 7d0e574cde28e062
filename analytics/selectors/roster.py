"""The coach roster (coach_athletes_metrics and the Athletes page): filtered athlete memberships
of one organization, and everything their rows show, loaded in batches.

The number of queries is fixed — the page of memberships, their labels, group names, snapshots
(rebuilt in one batch when stale), plans, race goals and integrations — whatever the page size.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db.models import Exists, F, FloatField, OuterRef, Q
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from accounts.selectors import integrations_by_user
from analytics.services.snapshots import athlete_snapshots_fresh
from astral.ids import is_public_id
from organizations.models import GroupMembership, Label, MemberRole, Membership, Organization
from organizations.selectors import group_names_by_user
from plans.selectors import current_plan_instances, upcoming_race_goals


@dataclass(frozen=True)
class RosterFilters:
    coach_pk: int | None = None  # filter_by_coach / coach_id
    group_pk: int | None = None
    unassigned_only: bool = False
    search: str = ""
    label: str = ""


@dataclass
class RosterRow:
    membership: Membership
    groups: list[str] = field(default_factory=list)
    snapshot: dict = field(default_factory=dict)
    plans: list = field(default_factory=list)
    goals: list = field(default_factory=list)
    integrations: dict = field(default_factory=dict)


# Sortable roster columns → their key path in MetricsSnapshot.data.
SORT_KEYS = {
    "weekly_distance": "running_analytics__weekly_distance_km",
    "load": "training__current_week_load",
    "vo2_max": "fitness__current__vo2_max",
    "hrv": "fitness__current__hrv_avg",
    "recovery": "fitness__current__recovery_score",
}


def roster_memberships(organization: Organization, filters: RosterFilters, sort: str = "", descending: bool = True):
    """Active athlete memberships of the organization matching the filters, by name — or by a
    stored snapshot value (`sort` in SORT_KEYS; athletes without one last)."""
    queryset = Membership.objects.filter(organization=organization, role=MemberRole.ATHLETE, active=True)
    if filters.coach_pk is not None:
        queryset = queryset.filter(assigned_coach_id=filters.coach_pk)
    # Filters on many-valued relations are EXISTS subqueries, not joins: a join could repeat a
    # membership and need a DISTINCT over every row of a 20,000-athlete club before the page.
    if filters.group_pk is not None:
        in_group = GroupMembership.objects.filter(user=OuterRef("user"), group_id=filters.group_pk)
        queryset = queryset.filter(Exists(in_group))
    if filters.unassigned_only:
        in_a_group = GroupMembership.objects.filter(user=OuterRef("user"), group__organization=organization)
        queryset = queryset.filter(~Exists(in_a_group))
    if filters.search:
        term = filters.search.strip()
        queryset = queryset.filter(
            Q(user__username__icontains=term) | Q(user__email__icontains=term) | Q(user__display_name__icontains=term)
        )
    if filters.label:
        by_label = Q(name__iexact=filters.label)
        if is_public_id(filters.label, Label):
            by_label |= Q(public_id=filters.label)
        labelled = Membership.labels.through.objects.filter(
            membership=OuterRef("pk"), label__in=Label.objects.filter(by_label)
        )
        queryset = queryset.filter(Exists(labelled))
    ordering = ["user__display_name", "user__username", "pk"]
    if sort in SORT_KEYS:
        # KT() reads keys of a field of this query, so the related JSON column is annotated first.
        queryset = queryset.annotate(snapshot_data=F("user__metrics_snapshot__data")).annotate(
            sort_value=Cast(KT(f"snapshot_data__{SORT_KEYS[sort]}"), FloatField())
        )
        ordering.insert(
            0, F("sort_value").desc(nulls_last=True) if descending else F("sort_value").asc(nulls_last=True)
        )
    # The athletes of the page come in their own query (prefetch, not a join), and of the coach
    # only the public id: the page query sorts narrow membership rows, not 20,000 whole user rows,
    # before it takes 200.
    queryset = queryset.annotate(assigned_coach_public_id=F("assigned_coach__public_id"))
    return queryset.prefetch_related("user", "labels").order_by(*ordering)


def roster_rows(
    organization: Organization, memberships: list[Membership], now: datetime | None = None
) -> list[RosterRow]:
    """Rows for a page of memberships: groups, fresh snapshots, current plans, upcoming goals,
    integrations."""
    now = now or datetime.now(UTC)
    users = [membership.user for membership in memberships]
    user_ids = [user.pk for user in users]
    groups = group_names_by_user(organization, user_ids)
    snapshots = athlete_snapshots_fresh(users, now=now)
    plans = current_plan_instances(user_ids)
    # The earliest "today" anywhere on Earth; each row keeps the goals from its athlete's today.
    goals = upcoming_race_goals(user_ids, now.astimezone(UTC).date() - timedelta(days=1))
    integrations = integrations_by_user(user_ids)
    return [
        RosterRow(
            membership=membership,
            groups=groups.get(membership.user_id, []),
            snapshot=snapshots[membership.user_id].data,
            plans=plans.get(membership.user_id, []),
            goals=goals.get(membership.user_id, []),
            integrations=integrations[membership.user_id],
        )
        for membership in memberships
    ]
