"""Writes for organizations: creation, members, labels, groups, API keys.

Access is checked by the caller (views ask organizations.access); these functions enforce the
domain rules (who can be a coach, the last admin, membership of the organization).
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts import tokens
from accounts.models import Role, User
from accounts.services import user_data_changed
from astral.exceptions import ApplicationError, Conflict, InvalidInput, NotAllowed, NotFound
from astral.ids import is_public_id
from organizations.access import can_hold_role
from organizations.models import (
    INVITATION_TOKEN_PREFIX,
    INVITATION_TTL,
    STAFF_ROLES,
    ApiKey,
    Group,
    GroupMembership,
    Invitation,
    InvitationStatus,
    Label,
    MemberRole,
    Membership,
    Organization,
)
from organizations.selectors import staff_memberships


@transaction.atomic
def organization_create(*, creator: User, name: str) -> Organization:
    if creator.role != Role.COACH and not creator.is_superuser:
        raise NotAllowed("Only coaches can create an organization.", "FORBIDDEN")
    organization = Organization.objects.create(name=name.strip(), created_by=creator)
    Membership.objects.create(user=creator, organization=organization, role=MemberRole.ADMIN)
    return organization


GRANT_BATCH = 1000  # members per lookup, INSERT and version bump: queries grow per thousand, not per member
Grant = tuple[User, str, User | None]  # (user, role, assigned coach)


def _already_member() -> ApplicationError:
    return Conflict("This user is already a member of the organization.", "ALREADY_MEMBER", field="user_id")


def _memberships_of(organization: Organization, users: list[User]) -> dict[int, Membership]:
    """{user pk: membership row, active or kept from before}, locked until the transaction ends."""
    rows = Membership.objects.select_for_update().filter(organization=organization, user__in=users)
    return {membership.user_id: membership for membership in rows}


@transaction.atomic
def memberships_grant(
    *,
    organization: Organization,
    grants: list[Grant],
    invited_by: User | None = None,
    accepted_at: datetime | None = None,
    queue_refresh: bool = True,
) -> list[Membership]:
    """Make each `(user, role, assigned_coach)` an active member (new, or reactivating the row kept
    from before); the memberships in the order of `grants`. All or nothing: 400 INVALID_ROLE when a
    staff role names a non-coach account, 409 ALREADY_MEMBER when one is already an active member.

    The only way a membership comes to exist. `invited_by` records each grant as an invitation
    from them that the member accepted at `accepted_at` (default now) — for the demo seed and the
    tests, whose people have accepted; without it the caller holds the consent itself
    (invitation_accept answers its own invitation). A constant number of queries per GRANT_BATCH
    members. `queue_refresh=False`: see accounts.services.user_data_changed.
    """
    users = [user for user, _, _ in grants]
    if len({user.pk for user in users}) != len(users):
        raise ValueError("each user can be granted only once")
    for user, role, _ in grants:
        if not can_hold_role(user, role):
            raise InvalidInput("Only a coach account can have a coach or admin role.", "INVALID_ROLE", field="role")
    existing: dict[int, Membership] = {}
    for start in range(0, len(users), GRANT_BATCH):
        existing.update(_memberships_of(organization, users[start : start + GRANT_BATCH]))
    if any(membership.active for membership in existing.values()):
        raise _already_member()

    now = timezone.now()
    memberships, new, returning = [], [], []
    for user, role, coach in grants:
        membership = existing.get(user.pk)
        if membership is None:
            membership = Membership(organization=organization, user=user, role=role, assigned_coach=coach)
            new.append(membership)
        else:
            membership.active, membership.role, membership.left_at = True, role, None
            membership.assigned_coach, membership.updated_at = coach, now
            returning.append(membership)
        memberships.append(membership)
    try:
        with transaction.atomic():
            Membership.objects.bulk_create(new, batch_size=GRANT_BATCH)
    except IntegrityError:  # a concurrent request added one of them first
        raise _already_member() from None
    Membership.objects.bulk_update(
        returning, ["active", "role", "left_at", "assigned_coach", "updated_at"], batch_size=GRANT_BATCH
    )
    if invited_by is not None:
        _record_accepted_invitations(organization, grants, invited_by=invited_by, accepted_at=accepted_at or now)
    for start in range(0, len(users), GRANT_BATCH):
        user_data_changed(
            user_ids=[user.pk for user in users[start : start + GRANT_BATCH]], queue_refresh=queue_refresh
        )
    return memberships


def _record_accepted_invitations(
    organization: Organization, grants: list[Grant], *, invited_by: User, accepted_at: datetime
) -> None:
    expires_at = accepted_at + INVITATION_TTL
    Invitation.objects.bulk_create(
        (
            Invitation(  # by ids: nobody reads these objects back, and 20,000 of them add up
                organization_id=organization.pk,
                invitee_id=user.pk,
                email=user.email,
                role=role,
                invited_by_id=invited_by.pk,
                status=InvitationStatus.ACCEPTED,
                # A spent link, as after invitation_accept: a fresh random secret nobody holds.
                token_hash=tokens.digest(tokens.new_secret(INVITATION_TOKEN_PREFIX)),
                expires_at=expires_at,
                responded_at=accepted_at,
                responded_by_id=user.pk,
            )
            for user, role, _ in grants
        ),
        batch_size=GRANT_BATCH,
    )


def membership_grant(
    *, organization: Organization, user: User, role: str, assigned_coach: User | None = None
) -> Membership:
    """One member: memberships_grant for a single `(user, role, assigned_coach)`. Called when an
    invitation is accepted; 400 INVALID_ROLE, 409 ALREADY_MEMBER as there."""
    return memberships_grant(organization=organization, grants=[(user, role, assigned_coach)])[0]


@transaction.atomic
def membership_leave(*, organization: Organization, user: User) -> Membership:
    """The member ends their own membership: access ends at once (a new data generation for the
    organization's cached answers); the row stays as history, the organization's groups drop them."""
    membership = (
        Membership.objects.select_for_update().filter(organization=organization, user=user, active=True).first()
    )
    if membership is None:
        raise NotFound("You are not a member of this organization.", "NOT_A_MEMBER")
    _ensure_not_last_admin(membership, error=Conflict)
    membership.active, membership.left_at = False, timezone.now()
    membership.save(update_fields=["active", "left_at", "updated_at"])
    GroupMembership.objects.filter(group__organization=organization, user=user).delete()
    Membership.objects.filter(organization=organization, assigned_coach=user).update(assigned_coach=None)
    user_data_changed(user_ids=[user.pk])
    return membership


def _ensure_not_last_admin(membership: Membership, error: type[ApplicationError] = InvalidInput) -> None:
    if membership.role != MemberRole.ADMIN:
        return
    # Lock the active admin rows, so two admins cannot demote each other at the same time.
    admin_ids = Membership.objects.select_for_update().filter(
        organization_id=membership.organization_id, role=MemberRole.ADMIN, active=True
    )
    if not any(pk != membership.pk for pk in admin_ids.values_list("pk", flat=True)):
        raise error("An organization needs at least one active admin.", "LAST_ADMIN")


def labels_get_or_create(*, organization: Organization, names: list[str]) -> list[Label]:
    wanted = list(dict.fromkeys(name.strip() for name in names if name.strip()))
    existing = {label.name: label for label in Label.objects.filter(organization=organization, name__in=wanted)}
    missing = [Label(organization=organization, name=name) for name in wanted if name not in existing]
    if missing:
        Label.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {label.name: label for label in Label.objects.filter(organization=organization, name__in=wanted)}
    return [existing[name] for name in wanted]


@transaction.atomic
def membership_update(*, membership: Membership, changes: dict, actor_role: str) -> Membership:
    """Apply `assigned_coach_id` (a public id, or empty to clear), `labels` (names), `active`, `role`."""
    fields = ["updated_at"]
    if "role" in changes and changes["role"] != membership.role:
        if actor_role != MemberRole.ADMIN:
            raise NotAllowed("Only an organization admin can change roles.", "FORBIDDEN")
        if not can_hold_role(membership.user, changes["role"]):
            raise InvalidInput("Only a coach account can have a coach or admin role.", "INVALID_ROLE", field="role")
        _ensure_not_last_admin(membership)
        membership.role = changes["role"]
        fields.append("role")
    if "active" in changes and changes["active"] != membership.active:
        if changes["active"]:
            # Consent is not the organization's to restore: a former member comes back by accepting.
            raise Conflict(
                "A former member rejoins only by accepting a new invitation.",
                "INVITATION_REQUIRED",
                field="active",
            )
        # Removing a coach/admin is a staff change, like adding one: admins only.
        if membership.role in STAFF_ROLES and actor_role != MemberRole.ADMIN:
            raise NotAllowed("Only an organization admin can deactivate staff.", "FORBIDDEN")
        _ensure_not_last_admin(membership)
        membership.active, membership.left_at = False, timezone.now()
        fields += ["active", "left_at"]
    if "assigned_coach_id" in changes:
        membership.assigned_coach = _assigned_coach(membership.organization_id, changes["assigned_coach_id"])
        fields.append("assigned_coach")
    membership.save(update_fields=fields)
    if "labels" in changes:
        membership.labels.set(labels_get_or_create(organization=membership.organization, names=changes["labels"]))
    user_data_changed(user_ids=[membership.user_id])
    return membership


def _assigned_coach(organization_id: int, coach_id: str | None) -> User | None:
    """An active coach/admin of the organization; an unknown id is the same client error as a non-coach."""
    if not coach_id:
        return None
    staff = staff_memberships(organization_id=organization_id)
    coach = (
        User.objects.filter(public_id=coach_id, pk__in=staff.values("user_id")).first()
        if is_public_id(coach_id, User)
        else None
    )
    if coach is None:
        raise InvalidInput(
            "The assigned coach must be a coach of this organization.", "INVALID_COACH", field="assigned_coach_id"
        )
    return coach


def membership_deactivate(*, membership: Membership, actor_role: str) -> Membership:
    return membership_update(membership=membership, changes={"active": False}, actor_role=actor_role)


@transaction.atomic
def group_create(*, organization: Organization, name: str, description: str = "") -> Group:
    if Group.objects.filter(organization=organization, name__iexact=name.strip()).exists():
        raise Conflict("A group with this name already exists.", "GROUP_EXISTS", field="name")
    try:
        with transaction.atomic():
            group = Group.objects.create(organization=organization, name=name.strip(), description=description)
    except IntegrityError:  # a concurrent request created it first
        raise Conflict("A group with this name already exists.", "GROUP_EXISTS", field="name") from None
    # A new group changes the organization's dashboards and roster filters: a new cache generation.
    Organization.objects.filter(pk=organization.pk).update(data_version=F("data_version") + 1)
    return group


@transaction.atomic
def group_member_add(*, group: Group, user: User) -> tuple[GroupMembership, bool]:
    if not Membership.objects.filter(organization_id=group.organization_id, user=user, active=True).exists():
        raise InvalidInput(
            "Only active members of the organization can join its groups.", "NOT_A_MEMBER", field="user_id"
        )
    row, created = GroupMembership.objects.get_or_create(group=group, user=user)
    if created:
        user_data_changed(user_ids=[user.pk])
    return row, created


@transaction.atomic
def group_member_remove(*, group: Group, user: User) -> None:
    deleted, _ = GroupMembership.objects.filter(group=group, user=user).delete()
    if not deleted:
        raise NotFound("This user is not in the group.", "NOT_IN_GROUP")
    user_data_changed(user_ids=[user.pk])


def api_key_create(*, organization: Organization, name: str, created_by: User) -> tuple[str, ApiKey]:
    """A new organization API key: returns the plain key (shown once) and the stored row."""
    secret = tokens.new_secret(tokens.API_KEY_PREFIX)
    key = ApiKey.objects.create(
        organization=organization,
        name=name.strip(),
        key_hash=tokens.digest(secret),
        prefix=secret[:12],
        created_by=created_by,
    )
    return secret, key


def api_key_revoke(*, key: ApiKey) -> ApiKey:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
    return key
