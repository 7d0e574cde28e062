"""GET analytics/group_dashboard/{overview, groups, groups/{group_id}, plans}: the Group
Dashboard, for coaches and admins of the organization and for its API key (read-only: these are
all GETs); athletes, other organizations' staff and keys get 403.

Each view: resolve the organization and check access, load its groups (one query: the
NO_GROUPS check, the group lookup and part of the cache key), parse the parameters, then answer
from the cache (10 minutes, keyed by the organization's data generation, the caller and the
resolved parameters; `refresh=true` recomputes) or from the selectors.
"""

from datetime import UTC, datetime

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.views import APIView

from analytics.api import dashboard_serializers as s
from analytics.cache import ROSTER_TTL, cached, organization_key, x_cache
from analytics.dashboard_params import (
    PERIODS,
    dashboard_group,
    dashboard_week,
    dashboard_window,
    groups_fingerprint,
    hour_slot,
    no_groups_error,
)
from analytics.selectors.dashboard import organization_group_rows
from analytics.selectors.dashboard_groups import group_comparison, group_detail
from analytics.selectors.dashboard_overview import group_dashboard_overview
from analytics.selectors.dashboard_plans import group_dashboard_plans
from astral.api.envelope import ok
from astral.api.schema import OFFSET_MINUTES, envelope, errors
from astral.local_time import resolve_zone, today_in
from astral.params import bool_param
from organizations import access

TAGS = ["group dashboard"]
DASHBOARD_TTL = ROSTER_TTL  # 10 minutes, like every organization-wide answer

ORG_ID = OpenApiParameter("org_id", str, description="The organization (default: the caller's primary organization)")
REFRESH = OpenApiParameter("refresh", bool, description="true: recompute instead of reading the cache")
TIMEZONE = OpenApiParameter(
    "timezone", str, description="IANA zone of the local days (default: timezone_offset_minutes, else yours, else UTC)"
)
OFFSET = OpenApiParameter(
    "timezone_offset_minutes", OFFSET_MINUTES, description="Minutes east of UTC (-840…840), when no timezone is given"
)
PERIOD = OpenApiParameter(
    "period", int, enum=list(PERIODS), description="The last N local days including today (default 7); not with from/to"
)
FROM = OpenApiParameter("from", OpenApiTypes.DATE, description="First local day (with `to`; at most 400 days)")
TO = OpenApiParameter("to", OpenApiTypes.DATE, description="Last local day, inclusive (with `from`)")
X_CACHE = OpenApiParameter(
    "X-Cache", str, OpenApiParameter.HEADER, enum=["HIT", "MISS"], response=[200], description="Served from the cache?"
)


def _answer(request, organization, endpoint: str, params: dict, compute):
    key = organization_key(endpoint, organization, request.user, params)
    data, hit = cached(key, DASHBOARD_TTL, compute, bypass=bool(bool_param(request.query_params, "refresh")))
    return ok(data, headers=x_cache(hit))


class DashboardView(APIView):
    """GET only. Any authenticated caller (a person or an API key) gets in; access.organization_for
    decides who reads which organization."""


class GroupDashboardOverviewView(DashboardView):
    @extend_schema(
        tags=TAGS,
        operation_id="analytics_group_dashboard_overview",
        summary="One ISO week of a group (or of the organization's athletes)",
        parameters=[
            ORG_ID,
            OpenApiParameter(
                "group_id", str, description="A group (default: every active athlete of the organization)"
            ),
            OpenApiParameter(
                "week", OpenApiTypes.DATE, description="Any day of the ISO week (default: this week in the zone)"
            ),
            TIMEZONE,
            OFFSET,
            REFRESH,
            X_CACHE,
        ],
        responses={
            200: envelope("DashboardOverview", s.DashboardOverviewSerializer()),
            **errors(400, 401, 403, 404),
        },
    )
    def get(self, request):
        params = request.query_params
        organization = access.organization_for(request.user, params.get("org_id"))
        groups = organization_group_rows(organization)
        if not groups:
            raise no_groups_error(organization)
        group = dashboard_group(groups, params.get("group_id"))
        zone = resolve_zone(params, request.user)
        now = datetime.now(UTC)
        week_start, today = dashboard_week(params, zone, now), today_in(zone, now)
        key_params = {
            "group": group.group_id if group else None,
            "week": week_start,
            "today": today,
            "zone": str(zone),
            "groups": groups_fingerprint(groups),
        }
        return _answer(
            request,
            organization,
            "dashboard_overview",
            key_params,
            lambda: group_dashboard_overview(
                organization=organization, group=group, week_start=week_start, today=today, zone=zone
            ),
        )


class GroupDashboardGroupsView(DashboardView):
    @extend_schema(
        tags=TAGS,
        operation_id="analytics_group_dashboard_groups",
        summary="Every group of the organization side by side over a period",
        parameters=[ORG_ID, PERIOD, FROM, TO, TIMEZONE, OFFSET, REFRESH, X_CACHE],
        responses={200: envelope("DashboardGroups", s.DashboardGroupsSerializer()), **errors(400, 401, 403, 404)},
    )
    def get(self, request):
        params = request.query_params
        organization = access.organization_for(request.user, params.get("org_id"))
        groups = organization_group_rows(organization)
        zone = resolve_zone(params, request.user)
        window = dashboard_window(params, zone)
        key_params = {
            "from": window.first,
            "to": window.last,
            "period": window.period,
            "zone": str(zone),
            "groups": groups_fingerprint(groups),
        }
        return _answer(
            request,
            organization,
            "dashboard_groups",
            key_params,
            lambda: group_comparison(
                organization=organization,
                groups=groups,
                first=window.first,
                last=window.last,
                zone=zone,
                period=window.period,
            ),
        )


class GroupDashboardGroupView(DashboardView):
    @extend_schema(
        tags=TAGS,
        operation_id="analytics_group_dashboard_group",
        summary="One group's drill-down: totals, daily series, members",
        parameters=[
            OpenApiParameter("group_id", str, OpenApiParameter.PATH, description="The group"),
            ORG_ID,
            PERIOD,
            FROM,
            TO,
            TIMEZONE,
            OFFSET,
            REFRESH,
            X_CACHE,
        ],
        responses={
            200: envelope("DashboardGroupDetail", s.DashboardGroupDetailSerializer()),
            **errors(400, 401, 403, 404),
        },
    )
    def get(self, request, group_id: str):
        params = request.query_params
        organization = access.organization_for(request.user, params.get("org_id"))
        groups = organization_group_rows(organization)
        group = dashboard_group(groups, group_id)
        zone = resolve_zone(params, request.user)
        window = dashboard_window(params, zone)
        key_params = {
            "group": group.group_id,
            "from": window.first,
            "to": window.last,
            "period": window.period,
            "zone": str(zone),
            "groups": groups_fingerprint(groups),
        }
        return _answer(
            request,
            organization,
            "dashboard_group",
            key_params,
            lambda: group_detail(
                organization=organization,
                group=group,
                first=window.first,
                last=window.last,
                zone=zone,
                period=window.period,
            ),
        )


class GroupDashboardPlansView(DashboardView):
    @extend_schema(
        tags=TAGS,
        operation_id="analytics_group_dashboard_plans",
        summary="Active plans: progress and compliance per plan, per group, per athlete",
        parameters=[ORG_ID, REFRESH, X_CACHE],
        responses={200: envelope("DashboardPlans", s.DashboardPlansSerializer()), **errors(400, 401, 403, 404)},
    )
    def get(self, request):
        organization = access.organization_for(request.user, request.query_params.get("org_id"))
        groups = organization_group_rows(organization)
        now = datetime.now(UTC)
        key_params = {"hour": hour_slot(now), "groups": groups_fingerprint(groups)}
        return _answer(
            request,
            organization,
            "dashboard_plans",
            key_params,
            lambda: group_dashboard_plans(organization=organization, groups=groups, now=now),
        )
