"""GET analytics/coach_athletes_metrics: the coach roster, exactly as the seeds describe it."""

from datetime import UTC, datetime

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.views import APIView

from accounts.models import User
from analytics.api.roster_serializers import RosterSerializer
from analytics.cache import ROSTER_TTL, cached, organization_key, x_cache
from analytics.selectors.roster import RosterFilters, athlete_row_payload, roster_memberships, roster_rows
from astral.api.envelope import ok
from astral.api.pagination import MAX_PER_PAGE, pagination_block, positive_int_param
from astral.api.params import bool_param
from astral.api.schema import envelope, errors
from astral.exceptions import NotFound, invalid
from astral.ids import is_public_id
from astral.principals import is_api_key
from organizations import access
from organizations.models import Group, MemberRole, Membership


def _filters(request, organization) -> RosterFilters:
    params = request.query_params
    group_id, unassigned = params.get("group_id"), bool(bool_param(params, "unassigned_only"))
    if group_id and unassigned:
        raise invalid("unassigned_only", "group_id and unassigned_only cannot be combined.", "CONFLICT")
    group_pk = None
    if group_id:
        group_pk = (
            Group.objects.filter(organization=organization, public_id=group_id).values_list("pk", flat=True).first()
            if is_public_id(group_id, Group)
            else None
        )
        if group_pk is None:
            raise NotFound(f"Group '{group_id}' not found in this organization.", "GROUP_NOT_FOUND", field="group_id")
    coach_pk = None
    if bool_param(params, "filter_by_coach"):
        if is_api_key(request.user):
            raise invalid("filter_by_coach", "filter_by_coach needs a coach's token, not an API key.")
        coach_pk = request.user.pk
    elif params.get("coach_id"):
        if is_public_id(params["coach_id"], User):
            coach_pk = (
                Membership.objects.filter(
                    organization=organization,
                    user__public_id=params["coach_id"],
                    role__in=[MemberRole.COACH, MemberRole.ADMIN],
                )
                .values_list("user_id", flat=True)
                .first()
            )
        if coach_pk is None:
            raise invalid("coach_id", "coach_id is not a coach of this organization.", "INVALID_COACH")
    return RosterFilters(
        coach_pk=coach_pk,
        group_pk=group_pk,
        unassigned_only=unassigned,
        search=(params.get("search") or "").strip()[:100],
        label=(params.get("label") or "").strip()[:64],
    )


def _filters_by_public_id(request) -> dict:
    """The filters as the cache key holds them: the public ids `_filters` validated, never pks
    (`filter_by_coach` means the viewer, who is in the key already)."""
    params = request.query_params
    by_me = bool(bool_param(params, "filter_by_coach"))
    return {
        "filter_by_coach": by_me,
        "coach_id": None if by_me else (params.get("coach_id") or None),
        "group_id": params.get("group_id") or None,
        "unassigned_only": bool(bool_param(params, "unassigned_only")),
        "search": (params.get("search") or "").strip()[:100],
        "label": (params.get("label") or "").strip()[:64],
    }


def roster_payload(organization, filters: RosterFilters, page: int, per_page: int) -> dict:
    memberships = roster_memberships(organization, filters)
    total = memberships.count()
    start = (page - 1) * per_page
    rows = roster_rows(organization, list(memberships[start : start + per_page]))
    block = pagination_block(total, page, per_page)
    return {
        "athletes": [athlete_row_payload(row) for row in rows],
        "total_count": total,
        "metadata": block,
        "pagination": dict(block),
    }


class CoachAthletesMetricsView(APIView):
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
            OpenApiParameter("page", int, description="Default 1"),
            OpenApiParameter("per_page", int, description="Default 200, at most 200"),
            OpenApiParameter("no_cache", str, enum=["0", "1"], description='"1": bypass the cache'),
        ],
        responses={200: envelope("CoachAthletesMetrics", RosterSerializer()), **errors(400, 401, 403, 404)},
    )
    def get(self, request):
        organization = access.organization_for(request.user, request.query_params.get("org_id"))
        filters = _filters(request, organization)
        page = positive_int_param(request.query_params, "page", 1)
        per_page = positive_int_param(request.query_params, "per_page", MAX_PER_PAGE, maximum=MAX_PER_PAGE)
        bypass = bool(bool_param(request.query_params, "no_cache"))
        params = {**_filters_by_public_id(request), "page": page, "per_page": per_page}
        params["day"] = datetime.now(UTC).date().isoformat()
        key = organization_key("coach_athletes_metrics", organization, request.user, params)
        data, hit = cached(
            key, ROSTER_TTL, lambda: roster_payload(organization, filters, page, per_page), bypass=bypass
        )
        return ok(data, headers=x_cache(hit))
