"""Daily wellness: PUT wellness/{date} (upsert), GET wellness?from&to."""

from datetime import timedelta

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.views import APIView

from analytics import selectors
from analytics.api.wellness_serializers import WellnessDaySerializer, WellnessInputSerializer
from analytics.downloads import wellness_csv_response
from analytics.presentation import wellness_payload
from analytics.record_params import wellness_window
from analytics.services.wellness import wellness_upsert
from astral.api.auth import IsPerson
from astral.api.envelope import ok
from astral.api.negotiation import JsonWhateverAccept
from astral.api.schema import csv_format_parameter, envelope, errors, with_csv
from astral.exceptions import invalid
from astral.local_time import parse_date, resolve_zone, today_in
from astral.params import format_param
from organizations import access

TAGS = ["wellness"]


class WellnessDayView(APIView):
    permission_classes = [IsPerson]

    @extend_schema(
        tags=TAGS,
        parameters=[OpenApiParameter("day", OpenApiTypes.DATE, OpenApiParameter.PATH, description="Not in the future")],
        request=WellnessInputSerializer,
        responses={
            200: envelope("WellnessUpdated", WellnessDaySerializer()),
            201: envelope("WellnessCreated", WellnessDaySerializer()),
            **errors(400, 401, 403),
        },
    )
    def put(self, request, day: str):
        parsed = parse_date(day, "date")
        if parsed > today_in(resolve_zone({}, request.user)) + timedelta(days=1):
            raise invalid("date", "Wellness cannot be recorded for a future date.", "IN_FUTURE")
        data = WellnessInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row, created = wellness_upsert(user=request.user, day=parsed, values=dict(data.validated_data))
        return ok(wellness_payload(row), status=201 if created else 200)


class WellnessListView(APIView):
    content_negotiation_class = JsonWhateverAccept

    @extend_schema(
        tags=TAGS,
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="First date; default 29 days before `to`"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last date; default today in the athlete's zone"),
            OpenApiParameter("user_id", str, description="A coach's athlete (default: the caller)"),
            csv_format_parameter("the days of from–to that have data"),
        ],
        responses={
            **with_csv(envelope("WellnessList", WellnessDaySerializer(many=True)), "The wellness days"),
            **errors(400, 401, 403, 404),
        },
    )
    def get(self, request):
        params = request.query_params
        athlete = access.athlete_for_request(request.user, params.get("user_id"))
        first, last = wellness_window(params, athlete)
        if format_param(params) == "csv":
            return wellness_csv_response(athlete, first, last)
        return ok([wellness_payload(row) for row in selectors.wellness_of(athlete, first=first, last=last)])
