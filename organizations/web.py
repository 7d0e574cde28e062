"""Pages of coaching by consent: the invitee's invitations (list, the mailed link's page, accept
and decline), and the coach's invite and revoke actions on the Athletes page. Every action is a
POST through the same services as the API (organizations.invitations)."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from astral.exceptions import ApplicationError
from astral.ids import is_public_id
from organizations import access, invitations, selectors
from organizations.models import Invitation, InvitationStatus, MemberRole, Organization


class InviteForm(forms.Form):
    email = forms.EmailField(max_length=254, widget=forms.EmailInput(attrs={"placeholder": "athlete@example.com"}))
    role = forms.ChoiceField(choices=MemberRole.choices, initial=MemberRole.ATHLETE)


def _token(request) -> str:
    token = request.POST.get("token") or request.GET.get("token") or ""
    return token[:128]


def _invitation_shown(invitation_id: str, user, token: str) -> Invitation:
    """The invitation this person may answer (made out to them, or they hold the mailed link);
    anyone else's is a 404 page."""
    invitation = None
    if is_public_id(invitation_id, Invitation):
        invitation = (
            Invitation.objects.select_related("organization", "invited_by").filter(public_id=invitation_id).first()
        )
    if invitation is None:
        raise Http404("No such invitation.")
    holds_link = bool(token) and invitations.token_matches(invitation, token)
    if not holds_link and not selectors.invitations_for(user).filter(pk=invitation.pk).exists():
        raise Http404("No such invitation.")
    return invitation


@login_required
def invitations_page(request):
    return render(
        request,
        "organizations/invitations.html",
        {"invitations": list(selectors.user_pending_invitations(request.user))},
    )


@login_required
def invitation_page(request, invitation_id: str):
    """The page the mailed link opens (after login or sign-up): what joining means, and the answer."""
    token = _token(request)
    invitation = _invitation_shown(invitation_id, request.user, token)
    if request.method == "POST":
        verb = request.POST.get("answer")
        service = {"accept": invitations.invitation_accept, "decline": invitations.invitation_decline}.get(verb)
        if service is None:
            raise Http404("No such answer.")
        try:
            service(invitation_id=invitation.public_id, user=request.user, token=token or None)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("invitations")
        organization = invitation.organization.name
        if verb == "accept":
            messages.success(request, f"You joined {organization}. Its coaches now see your training data.")
            return redirect("home")
        messages.info(request, f"You declined the invitation to {organization}.")
        return redirect("invitations")
    return render(
        request,
        "organizations/invitation.html",
        {"invitation": invitation, "token": token, "pending": invitation.effective_status == InvitationStatus.PENDING},
    )


def _staff_organization(request) -> tuple[Organization, str]:
    org_id = request.POST.get("org_id", "")
    organization = access.organization_get(org_id)  # NotFound / NotAllowed: astral.web_errors
    return organization, access.require_org_staff(request.user, organization)


def _back_to_athletes(organization: Organization):
    return redirect(f"/athletes/?{urlencode({'org_id': organization.public_id})}")


@require_POST
@login_required
def invite(request):
    """The Athletes page's invite form: one invitation by email (mailed, pending until answered)."""
    organization, actor_role = _staff_organization(request)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a valid email address and role.")
        return _back_to_athletes(organization)
    try:
        invitations.invitation_create(
            organization=organization,
            inviter=request.user,
            actor_role=actor_role,
            role=form.cleaned_data["role"],
            email=form.cleaned_data["email"],
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
    return _back_to_athletes(organization)


@require_POST
@login_required
def revoke(request, invitation_id: str):
    organization, _ = _staff_organization(request)
    try:
        invitations.invitation_revoke(organization=organization, invitation_id=invitation_id)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Invitation revoked.")
    return _back_to_athletes(organization)


@login_required
def home(request):
    """People with open invitations land on them; coaches on their roster, athletes on their profile."""
    if selectors.user_pending_invitations(request.user).exists():  # answer them first: nothing is shared until then
        return redirect("invitations")
    if selectors.is_org_staff(request.user):
        return redirect("athletes")
    return redirect("athlete-profile", user_id=request.user.public_id)
