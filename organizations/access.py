"""Who may see or manage whom (SPEC §3). Every view asks here; nothing decides access twice.

- an athlete reads only themselves;
- a coach or organization admin reads every athlete (a member with the athlete role, which exists
  only once the athlete accepted an invitation, and ends when they leave) of the organizations
  where they are an active coach/admin; managing an organization needs that too (admin for keys and staff roles);
- an organization API key reads that organization's athletes and nothing else;
- superusers read everything.
"""

from accounts.models import Role, User
from astral.exceptions import InvalidInput, NotAllowed, NotFound
from astral.ids import is_public_id
from astral.principals import is_api_key
from organizations.models import STAFF_ROLES, ApiKey, Group, MemberRole, Membership, Organization
from organizations.selectors import organization_api_keys, staff_memberships, user_primary_org_public_id

FORBIDDEN_ORG = "You are not a coach or admin of this organization."
NO_ORG = "You are not a coach or admin of any organization."


def organization_get(public_id: str) -> Organization:
    organization = (
        Organization.objects.filter(public_id=public_id).first() if is_public_id(public_id, Organization) else None
    )
    if organization is None:
        raise NotFound(f"Organization '{public_id}' not found.", "ORGANIZATION_NOT_FOUND")
    return organization


def user_get(public_id: str, field: str = "user_id") -> User:
    user = User.objects.filter(public_id=public_id).first() if is_public_id(public_id, User) else None
    if user is None:
        raise NotFound(f"User '{public_id}' not found.", "USER_NOT_FOUND", field=field)
    return user


def user_get_by_username(username: str) -> User:
    user = User.objects.filter(username__iexact=username).first()
    if user is None:
        raise NotFound("No user with that username.", "USER_NOT_FOUND", field="username")
    return user


def membership_get(organization: Organization, user_id: str) -> Membership:
    membership = (
        Membership.objects.select_related("user", "assigned_coach", "organization")
        .filter(organization=organization, user__public_id=user_id)
        .first()
        if is_public_id(user_id, User)
        else None
    )
    if membership is None:
        raise NotFound(f"User '{user_id}' is not a member of this organization.", "MEMBER_NOT_FOUND")
    return membership


def group_get(organization: Organization, group_id: str) -> Group:
    group = (
        Group.objects.filter(organization=organization, public_id=group_id).first()
        if is_public_id(group_id, Group)
        else None
    )
    if group is None:
        raise NotFound(f"Group '{group_id}' not found in this organization.", "GROUP_NOT_FOUND")
    return group


def api_key_get(organization: Organization, key_id: str) -> ApiKey:
    keys = organization_api_keys(organization)
    key = keys.filter(public_id=key_id).first() if is_public_id(key_id, ApiKey) else None
    if key is None:
        raise NotFound(f"API key '{key_id}' not found.", "API_KEY_NOT_FOUND")
    return key


def can_hold_role(user: User, role: str) -> bool:
    """Only a coach account holds a coach/admin membership; any account may be an athlete member."""
    return role not in STAFF_ROLES or user.role == Role.COACH


def staff_role(user, organization: Organization) -> str | None:
    """The caller's active staff role (`coach`/`admin`) in the organization, else None."""
    if is_api_key(user) or not user.is_authenticated:
        return None
    if user.is_superuser:
        return MemberRole.ADMIN
    return staff_memberships(user=user, organization=organization).values_list("role", flat=True).first()


def require_org_staff(user, organization: Organization, *, admin_only: bool = False) -> str:
    """403 unless the caller is an active coach/admin (or admin, with admin_only) of the org."""
    role = staff_role(user, organization)
    if role is None:
        raise NotAllowed(FORBIDDEN_ORG, "FORBIDDEN")
    if admin_only and role != MemberRole.ADMIN:
        raise NotAllowed("Only an organization admin can do this.", "FORBIDDEN")
    return role


def require_org_read(principal, organization: Organization) -> None:
    """Read access to an organization: its staff, its own API key, or a superuser."""
    if is_api_key(principal):
        if principal.organization_id != organization.pk:
            raise NotAllowed("This API key belongs to another organization.", "FORBIDDEN")
        return
    require_org_staff(principal, organization)


def organization_for(viewer, org_id: str | None, *, staff_only: bool = False) -> Organization:
    """The organization a request is about: `org_id` if given (404 unknown or malformed, 403 unless
    the viewer may read it), else an API key's own organization, else the viewer's primary
    organization. `staff_only` (writes, e.g. plans): its active coaches/admins only, never an API key."""
    if org_id:
        organization = organization_get(org_id)
    elif is_api_key(viewer) and not staff_only:
        return viewer.api_key.organization
    else:
        primary = None if is_api_key(viewer) else user_primary_org_public_id(viewer)
        if primary is None:
            raise NotAllowed(NO_ORG, "FORBIDDEN")
        organization = organization_get(primary)
    if staff_only:
        require_org_staff(viewer, organization)
    else:
        require_org_read(viewer, organization)
    return organization


def staff_organization_ids(user) -> list[int]:
    return list(staff_memberships(user=user).values_list("organization_id", flat=True))


def can_read_athlete(principal, athlete: User) -> bool:
    """Only athletes' data is shared, and only while the membership the athlete accepted lasts:
    a coach never reads a fellow coach's or admin's data through the organization."""
    coached = Membership.objects.filter(user=athlete, active=True, role=MemberRole.ATHLETE)
    if is_api_key(principal):
        return coached.filter(organization_id=principal.organization_id).exists()
    if not principal.is_authenticated:
        return False
    if principal.pk == athlete.pk or principal.is_superuser:
        return True
    return coached.filter(
        organization__memberships__user=principal,
        organization__memberships__active=True,
        organization__memberships__role__in=STAFF_ROLES,
    ).exists()


def require_athlete_read(principal, athlete: User) -> None:
    if not can_read_athlete(principal, athlete):
        raise NotAllowed("You do not have access to this athlete.", "FORBIDDEN")


def athlete_for_request(principal, user_id: str | None, field: str = "user_id") -> User:
    """The athlete a request is about: `user_id` if given (404 unknown, 403 not allowed), else the
    caller; an API key must name one."""
    if not user_id:
        if is_api_key(principal):
            raise InvalidInput("user_id is required with an API key.", "REQUIRED", field=field)
        return principal
    athlete = user_get(user_id, field=field)
    require_athlete_read(principal, athlete)
    return athlete
