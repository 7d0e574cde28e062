"""Activities: log, list, read, edit, delete (import lives in import_views.py)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.views import APIView

from analytics import selectors
from analytics.api.activity_serializers import ActivityInputSerializer, ActivitySerializer
from analytics.downloads import activities_csv_response
from analytics.models import Sport
from analytics.presentation import activity_payload
from analytics.record_params import activity_filters
from analytics.services import activities as activity_services
from astral.api.auth import IsPerson
from astral.api.envelope import ok
from astral.api.negotiation import JsonWhateverAccept
from astral.api.schema import csv_format_parameter, envelope, errors, page_parameters, paginated_envelope, with_csv
from astral.exceptions import NotAllowed, NotFound
from astral.paging import page_params, paginate
from astral.params import format_param
from organizations import access

TAGS = ["activities"]


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
    csv_format_parameter("every activity matching from, to and sport (page and per_page ignored)"),
]


class ActivitiesView(APIView):
    content_negotiation_class = JsonWhateverAccept

    @extend_schema(
        tags=TAGS,
        operation_id="activities_list",
        parameters=LIST_PARAMS,
        responses={
            **with_csv(paginated_envelope("ActivityListResponse", ActivitySerializer(many=True)), "The activities"),
            **errors(400, 401, 403, 404),
        },
    )
    def get(self, request):
        params = request.query_params
        athlete = access.athlete_for_request(request.user, params.get("user_id"))
        filters = activity_filters(params, athlete)
        if format_param(params) == "csv":
            return activities_csv_response(athlete, filters)
        page, per_page = page_params(params)
        activities = selectors.activities_of(athlete, start=filters.start, end=filters.end, sport=filters.sport)
        rows, pagination = paginate(activities, page, per_page)
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
