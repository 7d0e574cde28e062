"""GET analytics/calendar: an athlete's planned workouts and activities per local day, each with
its compliance (analytics.metrics.compliance). Parse → access → selector → envelope."""

from datetime import UTC, datetime

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.views import APIView

from analytics.api.calendar_serializers import CALENDAR_META, PlanCalendarSerializer
from analytics.calendar_params import MAX_CALENDAR_DAYS, calendar_window
from analytics.selectors.calendar import athlete_calendar
from astral.api.envelope import ok
from astral.api.schema import errors
from astral.local_time import today_in, user_zone
from organizations import access


def calendar_now() -> datetime:
    """The calendar's clock (one function, so tests can pin the athlete's "today")."""
    return datetime.now(UTC)


class CalendarView(APIView):
    @extend_schema(
        tags=["analytics"],
        operation_id="analytics_calendar",
        summary="Planned workouts and activities per local day, with per-workout compliance",
        parameters=[
            OpenApiParameter("user_id", str, description="The athlete (default: the caller; required with an API key)"),
            OpenApiParameter(
                "from",
                {"type": "string", "format": "date"},
                description="First local day (YYYY-MM-DD); default the 1st of `to`'s month, else of this month",
            ),
            OpenApiParameter(
                "to",
                {"type": "string", "format": "date"},
                description=f"Last local day, inclusive; default the end of `from`'s month, else of this month; "
                f"at most {MAX_CALENDAR_DAYS} days from `from`",
            ),
        ],
        responses={
            200: inline_serializer(
                "PlanCalendarResponse",
                {
                    "status": serializers.CharField(default="ok"),
                    "data": PlanCalendarSerializer(),
                    "meta": CALENDAR_META,
                },
            ),
            **errors(400, 401, 403, 404),
        },
    )
    def get(self, request):
        params = request.query_params
        athlete = access.athlete_for_request(request.user, params.get("user_id"))
        zone = user_zone(athlete)
        today = today_in(zone, calendar_now())
        first, last = calendar_window(params, today)
        days = athlete_calendar(athlete, first=first, last=last, today=today)
        meta = {
            "user_id": athlete.public_id,
            "timezone": str(zone),
            "today": today.isoformat(),
            "from": first.isoformat(),
            "to": last.isoformat(),
        }
        return ok({"days": days}, meta=meta)
