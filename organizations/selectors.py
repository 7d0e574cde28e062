"""Reads for organizations: member lists and groups, batched for constant query counts."""

from collections import defaultdict

from django.db.models import Count, Q

from organizations.models import ApiKey, Group, GroupMembership, Membership, Organization


def organization_members(organization: Organization, *, role: str | None = None, active: bool | None = None):
    queryset = (
        Membership.objects.filter(organization=organization)
        .select_related("user", "assigned_coach")
        .prefetch_related("labels")
        .order_by("user__username")
    )
    if role:
        queryset = queryset.filter(role=role)
    if active is not None:
        queryset = queryset.filter(active=active)
    return queryset


def group_names_by_user(organization: Organization, user_ids) -> dict[int, list[str]]:
    """{user pk: [group names]} for the given users, in one query."""
    rows = (
        GroupMembership.objects.filter(group__organization=organization, user_id__in=list(user_ids))
        .order_by("group__name")
        .values_list("user_id", "group__name")
    )
    names = defaultdict(list)
    for user_id, name in rows:
        names[user_id].append(name)
    return names


def organization_groups(organization: Organization):
    # Explicit order: Django leaves Meta.ordering out of GROUP BY queries (PostgreSQL returned hash order).
    return (
        Group.objects.filter(organization=organization)
        .annotate(
            member_count=Count(
                "group_memberships",
                filter=Q(
                    group_memberships__user__memberships__organization=organization,
                    group_memberships__user__memberships__active=True,
                ),
            )
        )
        .order_by("name", "pk")
    )


def user_organizations(user):
    return Membership.objects.filter(user=user, active=True).select_related("organization").order_by("joined_at")


def organization_api_keys(organization: Organization):
    return ApiKey.objects.filter(organization=organization).order_by("-created_at")
