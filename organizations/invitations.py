"""Writes for invitations: coaching by consent.

A coach or admin invites a person (by account or by email); only the invitee's acceptance
creates the membership (organizations.services.membership_grant). The inviter's answer is the
same whether or not an account exists for an email, so an invitation tells nobody who has an
account. The mailed link carries a one-time secret (`token=`) stored only as its SHA-256.
"""

import hmac

from django.db import transaction
from django.utils import timezone

from accounts import tokens
from accounts.models import User
from astral.exceptions import ApplicationError, Conflict, InvalidInput, NotAllowed, NotFound
from astral.ids import is_public_id
from astral.mail import mail_send_on_commit, public_link
from organizations.access import can_hold_role
from organizations.models import (
    INVITATION_TOKEN_PREFIX,
    INVITATION_TTL,
    STAFF_ROLES,
    Invitation,
    InvitationStatus,
    MemberRole,
    Membership,
    Organization,
)
from organizations.selectors import invitations_for
from organizations.services import membership_grant

ALREADY_MEMBER = "This person is already a member of the organization."


def _not_found(invitation_id: str) -> ApplicationError:
    return NotFound(f"Invitation '{invitation_id}' not found.", "INVITATION_NOT_FOUND")


@transaction.atomic
def invitation_create(
    *,
    organization: Organization,
    inviter: User,
    actor_role: str,
    role: str,
    invitee: User | None = None,
    email: str = "",
) -> Invitation:
    """Invite `invitee` (an account the inviter named) or `email` (an address) with `role`.

    Inviting someone who already has an open invitation renews it (new link, new expiry) rather
    than piling up a second one. An email is never matched to an account here: the answer and
    the stored row are the same whether or not the address has one.
    """
    if role in STAFF_ROLES and actor_role != MemberRole.ADMIN:
        raise NotAllowed("Only an organization admin can invite coaches or admins.", "FORBIDDEN")
    email = (invitee.email if invitee else email).strip()
    if invitee is not None:
        if not can_hold_role(invitee, role):
            raise InvalidInput("Only a coach account can have a coach or admin role.", "INVALID_ROLE", field="role")
        if Membership.objects.filter(organization=organization, user=invitee, active=True).exists():
            raise Conflict(ALREADY_MEMBER, "ALREADY_MEMBER", field="user_id")
        open_invitation = Invitation.objects.filter(organization=organization, invitee=invitee)
    else:
        # Staff already see their members' addresses, so this says nothing new about anyone.
        if Membership.objects.filter(organization=organization, user__email__iexact=email, active=True).exists():
            raise Conflict(ALREADY_MEMBER, "ALREADY_MEMBER", field="email")
        open_invitation = Invitation.objects.filter(organization=organization, invitee=None, email__iexact=email)
    invitation = open_invitation.select_for_update().filter(status=InvitationStatus.PENDING).first()
    invitation = invitation or Invitation(organization=organization, invitee=invitee)
    secret = tokens.new_secret(INVITATION_TOKEN_PREFIX)
    invitation.email, invitation.role, invitation.invited_by = email, role, inviter
    invitation.token_hash = tokens.digest(secret)
    invitation.expires_at = timezone.now() + INVITATION_TTL
    invitation.save()
    if email:
        _mail_invitation(invitation, secret)
    return invitation


def _mail_invitation(invitation: Invitation, secret: str) -> None:
    organization = invitation.organization
    inviter = invitation.invited_by.name if invitation.invited_by else "A coach"
    if invitation.invitee is None and not User.objects.filter(email__iexact=invitation.email).exists():
        link = public_link("/accounts/signup/", invitation=invitation.public_id, token=secret)
        how = "Create your Astral account to accept it"
    else:
        link = public_link(f"/invitations/{invitation.public_id}/", token=secret)
        how = "Log in to Astral to accept or decline it"
    role = "an athlete" if invitation.role == MemberRole.ATHLETE else f"a {invitation.role}"
    body = (
        f"{inviter} invited you to join {organization.name} on Astral as {role}.\n\n"
        f"{how}:\n{link}\n\n"
        f"As an athlete member, the organization's coaches see your training and wellness data until you leave.\n"
        f"The invitation expires on {invitation.expires_at:%Y-%m-%d %H:%M} UTC. "
        f"If you do not know {organization.name}, ignore this mail: nothing happens without your answer.\n"
    )
    mail_send_on_commit(to=invitation.email, subject=f"Invitation to join {organization.name} on Astral", body=body)


def token_matches(invitation: Invitation, token: str) -> bool:
    """Whether `token` is the secret of the invitation's mailed link (compared in constant time)."""
    return hmac.compare_digest(tokens.digest(token), invitation.token_hash)


def _invitation_for_response(invitation_id: str, user: User, token: str | None) -> Invitation:
    """The pending invitation `user` may answer: one made out to their account, or one whose
    mailed secret they present. Anyone else's is a 404, as if it did not exist."""
    rows = Invitation.objects.select_for_update().select_related("organization")
    invitation = rows.filter(public_id=invitation_id).first() if is_public_id(invitation_id, Invitation) else None
    if invitation is None:
        raise _not_found(invitation_id)
    holds_link = bool(token) and token_matches(invitation, token)
    if not holds_link and not invitations_for(user).filter(pk=invitation.pk).exists():
        raise _not_found(invitation_id)
    if holds_link and invitation.invitee_id not in (None, user.pk):
        raise NotAllowed("This invitation was made out to another account.", "INVITATION_FOR_ANOTHER_ACCOUNT")
    status = invitation.effective_status
    if status != InvitationStatus.PENDING:
        raise Conflict(f"This invitation is {status}; it can no longer be answered.", f"INVITATION_{status.upper()}")
    return invitation


def _answer(invitation: Invitation, user: User, status: str) -> Invitation:
    invitation.status, invitation.responded_at, invitation.responded_by = status, timezone.now(), user
    if invitation.invitee_id is None:
        invitation.invitee = user
    invitation.token_hash = tokens.digest(tokens.new_secret(INVITATION_TOKEN_PREFIX))  # the link works once
    invitation.save(update_fields=["status", "responded_at", "responded_by", "invitee", "token_hash"])
    return invitation


@transaction.atomic
def invitation_accept(*, invitation_id: str, user: User, token: str | None = None) -> Invitation:
    invitation = _invitation_for_response(invitation_id, user, token)
    if not can_hold_role(user, invitation.role):
        raise NotAllowed("Only a coach account can join as a coach or admin.", "INVALID_ROLE")
    membership_grant(organization=invitation.organization, user=user, role=invitation.role)
    return _answer(invitation, user, InvitationStatus.ACCEPTED)


@transaction.atomic
def invitation_decline(*, invitation_id: str, user: User, token: str | None = None) -> Invitation:
    return _answer(_invitation_for_response(invitation_id, user, token), user, InvitationStatus.DECLINED)


@transaction.atomic
def invitation_revoke(*, organization: Organization, invitation_id: str) -> Invitation:
    rows = Invitation.objects.select_for_update().filter(organization=organization)
    invitation = rows.filter(public_id=invitation_id).first() if is_public_id(invitation_id, Invitation) else None
    if invitation is None:
        raise _not_found(invitation_id)
    status = invitation.effective_status
    if status != InvitationStatus.PENDING:
        raise Conflict(f"This invitation is {status}; only a pending one can be revoked.", "INVITATION_NOT_PENDING")
    invitation.status, invitation.responded_at = InvitationStatus.REVOKED, timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    return invitation
