"""Reads for accounts."""

from accounts.models import Integration, Provider, User
from organizations.models import MemberRole, Membership


def user_primary_org_public_id(user: User) -> str | None:
    """The organization a user joined first; a coach's staff memberships come before others."""
    memberships = Membership.objects.filter(user=user, active=True).order_by("joined_at", "pk")
    if user.role == "coach":
        staff = memberships.filter(role__in=[MemberRole.COACH, MemberRole.ADMIN])
        org_id = staff.values_list("organization__public_id", flat=True).first()
        if org_id:
            return org_id
    return memberships.values_list("organization__public_id", flat=True).first()


def user_integrations(user: User) -> dict[str, dict]:
    """Every provider, connected or not: `{provider: {connected, status, connected_at}}`."""
    rows = {row.provider: row for row in Integration.objects.filter(user=user)}
    result = {}
    for provider in Provider.values:
        row = rows.get(provider)
        result[provider] = {
            "connected": bool(row and row.connected),
            "status": row.status if row else "disconnected",
            "connected_at": row.connected_at.isoformat() if row and row.connected_at else None,
        }
    return result


def is_org_staff(user: User) -> bool:
    return Membership.objects.filter(user=user, active=True, role__in=[MemberRole.COACH, MemberRole.ADMIN]).exists()
