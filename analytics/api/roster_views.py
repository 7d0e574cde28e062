"""GET analytics/coach_athletes_metrics: the coach roster, exactly as the seeds describe it."""

from datetime import UTC, datetime

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.views import APIView

from analytics.api.roster_serializers import RosterSerializer
from analytics.cache import ROSTER_TTL, cached, organization_key, x_cache
from analytics.downloads import roster_csv_response
from analytics.presentation import athlete_row_payload
from analytics.roster_params import roster_filters, roster_filters_by_public_id
from analytics.selectors.roster import RosterFilters, roster_memberships, roster_rows
from astral.api.envelope import ok
from astral.api.negotiation import JsonWhateverAccept
from astral.api.schema import csv_format_parameter, envelope, errors, page_parameters, with_csv
from astral.paging import MAX_PER_PAGE, page_params, paginate
from astral.params import bool_param, format_param
from organizations import access


def roster_payload(organization, filters: RosterFilters, page: int, per_page: int) -> dict:
    memberships, block = paginate(roster_memberships(organization, filters), page, per_page)
    rows = roster_rows(organization, memberships)
    return {
        "athletes": [athlete_row_payload(row) for row in rows],
        "total_count": block["total"],
        "metadata": block,
        "pagination": dict(block),
    }


class CoachAthletesMetricsView(APIView):
    content_negotiation_class = JsonWhateverAccept

    @extend_schema(
        tags=["analytics"],
        parameters=[
            OpenApiParameter("org_id", str, description="Default: the caller's organization"),
            OpenApiParameter("filter_by_coach", str, enum=["0", "1"], description='"1": only athletes assigned to me'),
            OpenApiParameter("group_id", str, description="Only this group's athletes (not with unassigned_only)"),
            OpenApiParameter("unassigned_only", str, enum=["0", "1"], description='"1": athletes in no group'),
            OpenApiParameter("search", str, description="Username, email or display name contains"),
            OpenApiParameter("label", str, description="Label name or id"),
            OpenApiParameter("coach_id", str, description="Athletes assigned to this coach"),
            *page_parameters(default_per_page=200),
            OpenApiParameter("no_cache", str, enum=["0", "1"], description='"1": bypass the cache'),
            csv_format_parameter("every athlete matching the filters (page, per_page, no_cache ignored)"),
        ],
        responses={
            **with_csv(envelope("CoachAthletesMetrics", RosterSerializer()), "The roster as filtered"),
            **errors(400, 401, 403, 404),
        },
    )
    def get(self, request):
        organization = access.organization_for(request.user, request.query_params.get("org_id"))
        filters = roster_filters(request.query_params, organization, request.user)
        if format_param(request.query_params) == "csv":  # never cached: a CSV is not a JSON answer
            return roster_csv_response(organization, filters)
        page, per_page = page_params(request.query_params, default_per_page=MAX_PER_PAGE)
        bypass = bool(bool_param(request.query_params, "no_cache"))
        params = {**roster_filters_by_public_id(request.query_params), "page": page, "per_page": per_page}
        params["day"] = datetime.now(UTC).date().isoformat()
        key = organization_key("coach_athletes_metrics", organization, request.user, params)
        data, hit = cached(
            key, ROSTER_TTL, lambda: roster_payload(organization, filters, page, per_page), bypass=bypass
        )
        return ok(data, headers=x_cache(hit))
