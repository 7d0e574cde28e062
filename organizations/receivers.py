"""How organizations take part in an account deletion (signals of accounts.deletion, connected
in OrganizationsConfig.ready())."""

from django.db.models import F
from django.dispatch import receiver

from accounts.deletion import user_deleting, user_deletion_vetoes
from astral.exceptions import Conflict
from organizations.models import Invitation, MemberRole, Membership, Organization


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
