"""Reads for organizations: member lists and groups, batched for constant query counts."""

from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone

from organizations.models import (
    STAFF_ROLES,
    ApiKey,
    Group,
    GroupMembership,
    Invitation,
    InvitationStatus,
    Membership,
    Organization,
)


def staff_memberships(**filters):
    """Active coach/admin memberships: the one definition of who is an organization's staff."""
    return Membership.objects.filter(active=True, role__in=STAFF_ROLES, **filters)


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


def invitations_with_status(queryset, status: str | None):
    """Filter by the status a person reads: a pending invitation past its expiry is `expired`."""
    now = timezone.now()
    if status == InvitationStatus.PENDING:
        return queryset.filter(status=InvitationStatus.PENDING, expires_at__gt=now)
    if status == InvitationStatus.EXPIRED:
        return queryset.filter(
            Q(status=InvitationStatus.EXPIRED) | Q(status=InvitationStatus.PENDING, expires_at__lte=now)
        )
    return queryset.filter(status=status) if status else queryset


def organization_invitations(organization: Organization, *, status: str | None = None):
    queryset = Invitation.objects.filter(organization=organization).select_related("invitee", "invited_by")
    return invitations_with_status(queryset, status).order_by("-created_at", "-pk")


def invitations_for(user):
    """Invitations `user` may answer without the mailed link: made out to their account, or sent
    to their address once they have verified it (proof they own it, like the link)."""
    mine = Q(invitee=user)
    if user.email_verified:
        mine |= Q(invitee=None, email__iexact=user.email)
    return Invitation.objects.filter(mine)


def user_pending_invitations(user):
    """The open invitations `user` may answer, newest first."""
    queryset = invitations_for(user).select_related("organization", "invited_by")
    return invitations_with_status(queryset, InvitationStatus.PENDING).order_by("-created_at", "-pk")


def user_data_access(user) -> list[dict]:
    """Who can see `user`'s data: every organization where they are an active member, with its
    active coaches and admins (and since when) and how many of its API keys are live. Three queries."""
    memberships = list(user_organizations(user))
    org_ids = [m.organization_id for m in memberships]
    staff = defaultdict(list)
    rows = (
        staff_memberships(organization_id__in=org_ids)
        .exclude(user=user)
        .select_related("user")
        .order_by("joined_at", "pk")
    )
    for row in rows:
        staff[row.organization_id].append(row)
    keys = dict(
        ApiKey.objects.filter(organization_id__in=org_ids, revoked_at__isnull=True)
        .values("organization_id")
        .annotate(n=Count("pk"))
        .values_list("organization_id", "n")
    )
    return [
        {"membership": m, "staff": staff[m.organization_id], "api_keys": keys.get(m.organization_id, 0)}
        for m in memberships
    ]


def user_primary_org_public_id(user) -> str | None:
    """The organization a user joined first; a coach's staff memberships come before others."""
    memberships = Membership.objects.filter(user=user, active=True).order_by("joined_at", "pk")
    if user.role == "coach":
        staff = memberships.filter(role__in=STAFF_ROLES)
        org_id = staff.values_list("organization__public_id", flat=True).first()
        if org_id:
            return org_id
    return memberships.values_list("organization__public_id", flat=True).first()


def is_org_staff(user) -> bool:
    return staff_memberships(user=user).exists()
