"""Daily wellness: PUT wellness/{date} (upsert), GET wellness?from&to."""

from datetime import date, timedelta

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.views import APIView

from analytics import selectors
from analytics.api.wellness_serializers import WellnessDaySerializer, WellnessInputSerializer
from analytics.services.wellness import WELLNESS_FIELDS, wellness_upsert
from astral.api.auth import IsPerson
from astral.api.envelope import ok
from astral.api.schema import envelope, errors
from astral.exceptions import invalid
from astral.local_time import parse_date, resolve_zone, today_in
from organizations import access

TAGS = ["wellness"]
DEFAULT_DAYS = 30
MAX_DAYS = 400


def wellness_payload(row) -> dict:
    return {"date": row.date.isoformat(), **{name: getattr(row, name) for name in WELLNESS_FIELDS}}


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
    @extend_schema(
        tags=TAGS,
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="First date; default 29 days before `to`"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last date; default today in the athlete's zone"),
            OpenApiParameter("user_id", str, description="A coach's athlete (default: the caller)"),
        ],
        responses={200: envelope("WellnessList", WellnessDaySerializer(many=True)), **errors(400, 401, 403, 404)},
    )
    def get(self, request):
        params = request.query_params
        athlete = access.athlete_for_request(request.user, params.get("user_id"))
        last = parse_date(params["to"], "to") if params.get("to") else today_in(resolve_zone({}, athlete))
        # The default window stops at date.min (`to=0001-01-05` was an OverflowError, a 500).
        default_days = min(DEFAULT_DAYS - 1, (last - date.min).days)
        first = parse_date(params["from"], "from") if params.get("from") else last - timedelta(days=default_days)
        if last < first:
            raise invalid("to", "to must not be before from.")
        if (last - first).days + 1 > MAX_DAYS:
            raise invalid("to", f"The range may span at most {MAX_DAYS} days.", "RANGE_TOO_LONG")
        return ok([wellness_payload(row) for row in selectors.wellness_of(athlete, first=first, last=last)])
