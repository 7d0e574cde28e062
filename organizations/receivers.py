"""How organizations takes part in what accounts announces (signals of accounts.deletion and
accounts.signals, connected in OrganizationsConfig.ready()): account deletion, athletes' data
changes, and the profile's primary organization."""

from django.db.models import F
from django.dispatch import receiver

from accounts.deletion import user_deleting, user_deletion_vetoes
from accounts.signals import athlete_data_changed, user_primary_org_requested
from astral.exceptions import Conflict
from organizations.models import Invitation, MemberRole, Membership, Organization
from organizations.selectors import user_primary_org_public_id


@receiver(user_deletion_vetoes, dispatch_uid="organizations-last-admin-veto")
def refuse_deleting_a_last_admin(sender, user, **kwargs):
    """An organization with other active members must keep an active admin: its last one hands
    over first (409 LAST_ADMIN). An organization the user is alone in is left without members."""
    admin_of = Organization.objects.filter(
        memberships__user=user, memberships__active=True, memberships__role=MemberRole.ADMIN
    )
    # Lock the organizations: two admins deleting themselves at once cannot both be "not last".
    for organization in admin_of.select_for_update().order_by("pk"):
        others = Membership.objects.filter(organization=organization, active=True).exclude(user=user)
        if others.exists() and not others.filter(role=MemberRole.ADMIN).exists():
            return Conflict(
                f"You are the last admin of {organization.name}; make another member admin first.",
                "LAST_ADMIN",
                org_id=organization.public_id,
            )
    return None


@receiver(user_deleting, dispatch_uid="organizations-stale-on-user-delete")
def stale_organizations_of_deleted_user(sender, user, **kwargs):
    """New cache generation for every organization they belonged to: rosters and dashboards
    cached with them in it become unreachable at once."""
    Organization.objects.filter(memberships__user=user).update(data_version=F("data_version") + 1)
    # Invitations made out to them go with the account (CASCADE); those addressed to their email
    # hold their address, so they go too.
    if user.email:
        Invitation.objects.filter(invitee=None, email__iexact=user.email).delete()


@receiver(athlete_data_changed, dispatch_uid="organizations-stale-on-athlete-data-changed")
def stale_organizations_of_changed_athletes(sender, user_ids, **kwargs):
    """Every organization the athletes belong to: its cached rosters and dashboards go stale too
    (one UPDATE whatever the number of athletes)."""
    Organization.objects.filter(memberships__user_id__in=user_ids).update(data_version=F("data_version") + 1)


@receiver(user_primary_org_requested, dispatch_uid="organizations-primary-org-of-user")
def primary_org_of_user(sender, user, **kwargs):
    return user_primary_org_public_id(user)
