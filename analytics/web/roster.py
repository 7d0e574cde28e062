"""The Athletes page: the coach roster with search, filters, sorting and paging."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.models import User
from analytics.selectors.roster import SORT_KEYS, RosterFilters, athlete_row_payload, roster_memberships, roster_rows
from astral.api.pagination import pagination_block
from astral.ids import is_public_id
from organizations import access
from organizations.models import STAFF_ROLES, Group, InvitationStatus, Label, MemberRole, Membership
from organizations.selectors import organization_invitations

PER_PAGE = 50
INVITED_SHOWN = 50  # the rest are in GET organizations/{org_id}/invitations


def _page_number(raw) -> int:
    try:
        return max(1, int(raw))
    except (TypeError, ValueError):
        return 1


def roster_filters(request, organization) -> RosterFilters:
    params = request.GET
    group_id, coach_id = params.get("group_id"), params.get("coach_id")
    group = (
        Group.objects.filter(organization=organization, public_id=group_id).first()
        if is_public_id(group_id, Group)
        else None
    )
    coach_pk = (
        Membership.objects.filter(organization=organization, user__public_id=coach_id, role__in=STAFF_ROLES)
        .values_list("user_id", flat=True)
        .first()
        if is_public_id(coach_id, User)
        else None
    )
    return RosterFilters(
        coach_pk=coach_pk,
        group_pk=group.pk if group else None,
        unassigned_only=params.get("unassigned") == "1" and group is None,
        search=(params.get("search") or "").strip()[:100],
        label=(params.get("label") or "").strip()[:64],
    )


@login_required
def athletes_list(request):
    organization = access.organization_for(request.user, request.GET.get("org_id"))
    filters = roster_filters(request, organization)
    sort = request.GET.get("sort") if request.GET.get("sort") in SORT_KEYS else ""
    descending = request.GET.get("dir") != "asc"
    memberships = roster_memberships(organization, filters, sort=sort, descending=descending)
    total = memberships.count()
    page = _page_number(request.GET.get("page"))
    rows = roster_rows(organization, list(memberships[(page - 1) * PER_PAGE : page * PER_PAGE]))
    context = {
        "organization": organization,
        "athletes": [athlete_row_payload(row) for row in rows],
        "pagination": pagination_block(total, page, PER_PAGE),
        "params": request.GET,
        "sort": sort,
        "descending": descending,
        "labels": Label.objects.filter(organization=organization).order_by("name"),
        "groups": Group.objects.filter(organization=organization).order_by("name"),
        "coaches": Membership.objects.filter(organization=organization, role__in=STAFF_ROLES, active=True)
        .select_related("user")
        .order_by("user__display_name", "user__username"),
        "unit_system": request.user.effective_unit_system,
    }
    if not request.headers.get("HX-Request"):
        # Invited people are not members: no metrics, just who, when, and a revoke button.
        pending = organization_invitations(organization, status=InvitationStatus.PENDING)
        context["invitations"] = list(pending[:INVITED_SHOWN])
        context["invitations_total"] = pending.count()
        context["roles"] = MemberRole.choices
    template = "analytics/_athletes_table.html" if request.headers.get("HX-Request") else "analytics/athletes.html"
    return render(request, template, context)
