"""The Group Dashboard pages (/analytics/): Overview, Groups and Plans tabs, and a group's
drill-down. They call the dashboard selectors directly, like the API does."""

from datetime import UTC, datetime, timedelta

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from analytics.dashboard_params import dashboard_group, dashboard_week, dashboard_window
from analytics.selectors.dashboard import organization_group_rows
from analytics.selectors.dashboard_groups import group_comparison, group_detail
from analytics.selectors.dashboard_overview import group_dashboard_overview
from analytics.selectors.dashboard_plans import group_dashboard_plans
from analytics.web.profile import heat_level
from astral.local_time import resolve_zone, today_in
from astral.web_errors import parsed_or_notice
from organizations import access

TABS = ("overview", "groups", "plans")


def _parsed(parse, params, zone, notices: list, label: str):
    """A dashboard parameter; a bad value falls back to the default with a visible notice."""
    return parsed_or_notice(notices, label, lambda: parse(params, zone), lambda: parse({}, zone))


def _overview_context(request, organization, groups, zone, notices) -> dict:
    group = parsed_or_notice(
        notices, "Group", lambda: dashboard_group(groups, request.GET.get("group_id")), lambda: None
    )
    week_start = _parsed(dashboard_week, request.GET, zone, notices, "Week")
    overview = group_dashboard_overview(
        organization=organization, group=group, week_start=week_start, today=today_in(zone), zone=zone
    )
    for member in overview["member_matrix"]:
        member["cells"] = [{"distance": d, "level": heat_level(d)} for d in member["days"]]
    return {
        "overview": overview,
        "selected_group": group,
        "week_days": [week_start + timedelta(days=i) for i in range(7)],
        "previous_week": (week_start - timedelta(days=7)).isoformat(),
        "next_week": (week_start + timedelta(days=7)).isoformat(),
    }


def _groups_context(request, organization, groups, zone, notices) -> dict:
    window = _parsed(dashboard_window, request.GET, zone, notices, "Period")
    comparison = group_comparison(
        organization=organization, groups=groups, first=window.first, last=window.last, zone=zone, period=window.period
    )
    return {"comparison": comparison, "window": window, "chart_data": {"group_comparison": comparison["groups"]}}


@login_required
def dashboard(request):
    organization = access.organization_for(request.user, request.GET.get("org_id"))
    groups = organization_group_rows(organization)
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "overview"
    zone = resolve_zone({}, request.user)
    notices: list[str] = []
    context = {
        "organization": organization,
        "groups": groups,
        "tab": tab,
        "params": request.GET,
        "notices": notices,
        "unit_system": request.user.effective_unit_system,
    }
    if groups:
        if tab == "overview":
            context.update(_overview_context(request, organization, groups, zone, notices))
        elif tab == "groups":
            context.update(_groups_context(request, organization, groups, zone, notices))
        else:
            context["plans"] = group_dashboard_plans(organization=organization, groups=groups, now=datetime.now(UTC))
    template = "analytics/_dashboard_panel.html" if request.headers.get("HX-Request") else "analytics/dashboard.html"
    return render(request, template, context)


@login_required
def group_page(request, group_id: str):
    organization = access.organization_for(request.user, request.GET.get("org_id"))
    groups = organization_group_rows(organization)
    group = dashboard_group(groups, group_id)  # NotFound → the 404 page
    zone = resolve_zone({}, request.user)
    notices: list[str] = []
    window = _parsed(dashboard_window, request.GET, zone, notices, "Period")
    detail = group_detail(
        organization=organization, group=group, first=window.first, last=window.last, zone=zone, period=window.period
    )
    return render(
        request,
        "analytics/group_detail.html",
        {
            "organization": organization,
            "group": group,
            "detail": detail,
            "window": window,
            "params": request.GET,
            "notices": notices,
            "chart_data": {"group_daily": detail["daily"]},
            "unit_system": request.user.effective_unit_system,
        },
    )
