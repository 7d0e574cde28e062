"""An athlete's organization memberships as a viewer may see them on the profile page.

Assigned coach, labels and groups belong to one organization; a coach of organization A must not
learn what organization B records about a shared athlete. So the page shows the athlete's
memberships in the organizations the viewer coaches (or administers) only; the athlete themselves
and superusers see every organization.
"""

from dataclasses import dataclass, field

from organizations import access
from organizations.models import GroupMembership, Membership


@dataclass
class VisibleMembership:
    org_id: str
    organization: str
    assigned_coach: str | None
    labels: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)


def visible_organization_ids(viewer, athlete) -> list[int] | None:
    """Ids of the organizations whose records about `athlete` the viewer may read; None = all."""
    if viewer.pk == athlete.pk or viewer.is_superuser:
        return None
    return access.staff_organization_ids(viewer)


def athlete_memberships_for_viewer(athlete, viewer) -> list[VisibleMembership]:
    """The athlete's active memberships in the organizations visible to the viewer, by organization
    name, each with its assigned coach, labels and groups (3 queries, whatever the counts)."""
    org_ids = visible_organization_ids(viewer, athlete)
    memberships = (
        Membership.objects.filter(user=athlete, active=True)
        .select_related("organization", "assigned_coach")
        .prefetch_related("labels")
        .order_by("organization__name", "organization_id")
    )
    if org_ids is not None:
        memberships = memberships.filter(organization_id__in=org_ids)
    memberships = list(memberships)
    groups: dict[int, list[str]] = {}
    group_rows = GroupMembership.objects.filter(
        user=athlete, group__organization_id__in=[m.organization_id for m in memberships]
    ).values_list("group__organization_id", "group__name")
    for organization_id, name in group_rows.order_by("group__name"):
        groups.setdefault(organization_id, []).append(name)
    return [
        VisibleMembership(
            org_id=membership.organization.public_id,
            organization=membership.organization.name,
            assigned_coach=membership.assigned_coach.name if membership.assigned_coach else None,
            labels=sorted(label.name for label in membership.labels.all()),
            groups=groups.get(membership.organization_id, []),
        )
        for membership in memberships
    ]
