"""Who may open the coach pages: active coaches/admins of the organization (or superusers)."""

from django.core.exceptions import PermissionDenied

from astral.ids import is_public_id
from organizations import access
from organizations.models import Organization
from organizations.selectors import user_primary_org_public_id


def coach_organization(request) -> Organization:
    """The organization a coach page is about: `?org_id=`, else the caller's own; 403 unless the
    caller coaches it."""
    org_id = request.GET.get("org_id") or user_primary_org_public_id(request.user)
    if not org_id:
        raise PermissionDenied("You are not a coach of any organization.")
    organization = Organization.objects.filter(public_id=org_id).first() if is_public_id(org_id, Organization) else None
    if organization is None or access.staff_role(request.user, organization) is None:
        raise PermissionDenied("You are not a coach or admin of this organization.")
    return organization
