"""The Athletes page: the coach roster with search, filters, sorting and paging."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from analytics.presentation import athlete_row_payload
from analytics.roster_params import roster_filters
from analytics.selectors.roster import SORT_KEYS, RosterFilters, roster_memberships, roster_rows
from astral.paging import MAX_PAGE, paginate, positive_int_param
from astral.web_errors import parsed_or_notice
from organizations import access
from organizations.models import Group, InvitationStatus, Label, MemberRole
from organizations.selectors import organization_invitations, staff_memberships

PER_PAGE = 50
INVITED_SHOWN = 50  # the rest are in GET organizations/{org_id}/invitations


@login_required
def athletes_list(request):
    organization = access.organization_for(request.user, request.GET.get("org_id"))
    notices: list[str] = []
    filters = parsed_or_notice(
        notices,
        "Filters",
        lambda: roster_filters(request.GET, organization, request.user, unassigned_param="unassigned"),
        RosterFilters,
    )
    sort = request.GET.get("sort") if request.GET.get("sort") in SORT_KEYS else ""
    descending = request.GET.get("dir") != "asc"
    page = parsed_or_notice(notices, "Page", lambda: positive_int_param(request.GET, "page", 1, MAX_PAGE), lambda: 1)
    memberships = roster_memberships(organization, filters, sort=sort, descending=descending)
    memberships, pagination = paginate(memberships, page, PER_PAGE)
    rows = roster_rows(organization, memberships)
    context = {
        "organization": organization,
        "athletes": [athlete_row_payload(row) for row in rows],
        "pagination": pagination,
        "notices": notices,
        "params": request.GET,
        "sort": sort,
        "descending": descending,
        "labels": Label.objects.filter(organization=organization).order_by("name"),
        "groups": Group.objects.filter(organization=organization).order_by("name"),
        "coaches": staff_memberships(organization=organization)
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
