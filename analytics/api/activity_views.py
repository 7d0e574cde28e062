"""Activities: log, list, read, edit, delete (import lives in import_views.py)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.views import APIView

from analytics import selectors
from analytics.api.activity_serializers import ActivityInputSerializer, ActivitySerializer
from analytics.models import Sport
from analytics.presentation import activity_payload
from analytics.services import activities as activity_services
from astral.api.auth import IsPerson
from astral.api.envelope import ok
from astral.api.schema import envelope, errors, page_parameters, paginated_envelope
from astral.exceptions import NotAllowed, NotFound, invalid
from astral.local_time import local_days_range, parse_date, resolve_zone
from astral.paging import page_params, paginate
from organizations import access

TAGS = ["activities"]
MAX_LIST_DAYS = 3660


def _payload(activity, owner) -> dict:
    return activity_payload(activity, owner.public_id, owner.timezone, getattr(activity, "has_samples", False))


def _readable_activity(request, activity_id: str):
    activity = selectors.activity_by_public_id(activity_id)
    if activity is None:
        raise NotFound(f"Activity '{activity_id}' not found.", "ACTIVITY_NOT_FOUND")
    access.require_athlete_read(request.user, activity.user)
    return activity


def _writable_activity(request, activity_id: str):
    activity = _readable_activity(request, activity_id)
    if activity.user_id != request.user.pk and not request.user.is_superuser:
        raise NotAllowed("Only the athlete can change their activities.", "FORBIDDEN")
    return activity


LIST_PARAMS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="First local date (YYYY-MM-DD), inclusive"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last local date (YYYY-MM-DD), inclusive"),
    OpenApiParameter("sport", str, enum=Sport.values),
    OpenApiParameter("user_id", str, description="A coach's athlete (default: the caller)"),
    OpenApiParameter("timezone", str, description="IANA zone for from/to (default: the athlete's)"),
    *page_parameters(),
]


class ActivitiesView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="activities_list",
        parameters=LIST_PARAMS,
        responses={
            200: paginated_envelope("ActivityListResponse", ActivitySerializer(many=True)),
            **errors(400, 401, 403, 404),
        },
    )
    def get(self, request):
        params = request.query_params
        athlete = access.athlete_for_request(request.user, params.get("user_id"))
        zone = resolve_zone(params, athlete)
        sport = params.get("sport") or None
        if sport and sport not in Sport.values:
            raise invalid("sport", f"sport must be one of {', '.join(Sport.values)}.", "INVALID_CHOICE")
        start = end = None
        first = parse_date(params["from"], "from") if params.get("from") else None
        last = parse_date(params["to"], "to") if params.get("to") else None
        if first and last and last < first:
            raise invalid("to", "to must not be before from.")
        if first and last and (last - first).days > MAX_LIST_DAYS:
            raise invalid("to", "The range may span at most 3660 days.", "RANGE_TOO_LONG")
        if first:
            start = local_days_range(first, first, zone)[0]
        if last:
            end = local_days_range(last, last, zone)[1]
        page, per_page = page_params(params)
        rows, pagination = paginate(selectors.activities_of(athlete, start=start, end=end, sport=sport), page, per_page)
        return ok([_payload(row, athlete) for row in rows], meta={"pagination": pagination})

    @extend_schema(
        tags=TAGS,
        request=ActivityInputSerializer,
        responses={201: envelope("ActivityCreated", ActivitySerializer()), **errors(400, 401, 403, 409)},
    )
    def post(self, request):
        if not IsPerson().has_permission(request, self):
            raise NotAllowed(IsPerson.message, "FORBIDDEN")
        athlete = request.user
        data = ActivityInputSerializer(data=request.data, athlete=athlete)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields["timezone"] = fields.get("timezone") or athlete.timezone
        activity = activity_services.activity_create(user=athlete, fields=fields, source="manual")
        return ok(_payload(activity, athlete), status=201)


class ActivityView(APIView):
    @extend_schema(tags=TAGS, responses={200: envelope("Activity", ActivitySerializer()), **errors(401, 403, 404)})
    def get(self, request, activity_id: str):
        activity = _readable_activity(request, activity_id)
        return ok(_payload(activity, activity.user))

    @extend_schema(
        tags=TAGS,
        request=ActivityInputSerializer,
        responses={200: envelope("ActivityUpdated", ActivitySerializer()), **errors(400, 401, 403, 404, 409)},
    )
    def patch(self, request, activity_id: str):
        activity = _writable_activity(request, activity_id)
        data = ActivityInputSerializer(instance=activity, data=request.data, partial=True, athlete=activity.user)
        data.is_valid(raise_exception=True)
        activity = activity_services.activity_update(activity=activity, changes=dict(data.validated_data))
        return ok(_payload(selectors.activity_by_public_id(activity.public_id), activity.user))

    @extend_schema(
        tags=TAGS,
        request=None,
        responses={
            200: envelope(
                "ActivityDeleted",
                inline_serializer(
                    "DeletedActivity", {"activity_id": serializers.CharField(), "deleted": serializers.BooleanField()}
                ),
            ),
            **errors(401, 403, 404),
        },
    )
    def delete(self, request, activity_id: str):
        activity = _writable_activity(request, activity_id)
        public_id = activity.public_id
        activity_services.activity_delete(activity=activity)
        return ok({"activity_id": public_id, "deleted": True})
