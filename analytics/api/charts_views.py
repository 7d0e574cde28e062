"""POST analytics/running_streaks, GET analytics/user_metrics_charts and
GET analytics/user_metrics_summary: streaks and a run calendar, chart series with trend lines,
and dashboard tiles.

Every day is a local day of the request's zone (astral.local_time.resolve_zone; the summary
uses the athlete's own zone, like the metrics snapshot it reads). Answers are cached 5 minutes
per athlete, data generation, parameters, zone and local date; `refresh=true` recomputes.
"""

from datetime import date, timedelta

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from analytics.api.charts_serializers import (
    MetricsChartsSerializer,
    MetricsSummarySerializer,
    RunningStreaksInputSerializer,
    RunningStreaksSerializer,
    local_meta_serializer,
    response_serializer,
)
from analytics.buckets import bucket_start
from analytics.cache import ATHLETE_TTL, athlete_key, cached, x_cache
from analytics.selectors.chart_series import (
    metrics_charts_payload,
    metrics_summary_payload,
    running_streaks_payload,
)
from astral.api.envelope import ok
from astral.api.schema import OFFSET_MINUTES, errors
from astral.local_time import resolve_zone, today_in, user_zone
from astral.params import bool_param
from organizations import access

TAGS = ["analytics"]


USER_ID = OpenApiParameter("user_id", str, description="The athlete (default: the caller; API keys: required)")
REFRESH = OpenApiParameter("refresh", bool, description="Recompute (bypass the 5-minute cache)")
ZONE_PARAMS = [
    OpenApiParameter("timezone", str, description="IANA zone of the local days (default: the athlete's, else UTC)"),
    OpenApiParameter(
        "timezone_offset_minutes", OFFSET_MINUTES, description="Legacy: minutes east of UTC, when no timezone"
    ),
]
X_CACHE = OpenApiParameter(
    "X-Cache",
    str,
    location=OpenApiParameter.HEADER,
    enum=("HIT", "MISS"),
    response=[200],
    description="HIT when served from the 5-minute cache",
)


def _local_meta(zone, today: date, **extra) -> dict:
    return {"timezone": str(zone), "as_of": today.isoformat(), **extra}


# --- views ----------------------------------------------------------------------------------


class RunningStreaksView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="analytics_running_streaks",
        summary="Current and longest running streak, and a run calendar",
        description=(
            "Runs only (run, trail_run, treadmill), by local day of `timezone` (else "
            "`timezone_offset_minutes`, else the athlete's zone, else UTC). The window is the last `days` "
            "local days including today. `current_streak` may reach back before the window; "
            "`longest_streak` counts only days inside it. Cached 5 minutes."
        ),
        request=RunningStreaksInputSerializer,
        parameters=[OpenApiParameter("refresh", bool, description="Same as `refresh` in the body"), X_CACHE],
        responses={
            200: response_serializer(
                "RunningStreaks",
                RunningStreaksSerializer(),
                local_meta_serializer(
                    "RunningStreaksMeta",
                    days=serializers.IntegerField(),
                    first_date=serializers.DateField(help_text="The window's first local day"),
                ),
            ),
            **errors(400, 401, 403, 404),
        },
    )
    def post(self, request):
        body = RunningStreaksInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        bypass = values["refresh"] or bool(bool_param(request.query_params, "refresh"))
        athlete = access.athlete_for_request(request.user, values.get("user_id"))
        zone = resolve_zone(values, athlete)
        today, days = today_in(zone), values["days"]
        key = athlete_key("running_streaks", athlete, {"days": days, "zone": str(zone), "today": today})
        data, hit = cached(key, ATHLETE_TTL, lambda: running_streaks_payload(athlete, zone, days, today), bypass=bypass)
        first = today - timedelta(days=days - 1)
        return ok(data, headers=x_cache(hit), meta=_local_meta(zone, today, days=days, first_date=first.isoformat()))


class MetricsChartsView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="analytics_user_metrics_charts",
        summary="Chart series with trend lines",
        description=(
            "`daily_distance` (30 local days, runs), `weekly_training_load` (12 ISO weeks labelled by "
            "Monday, all sports), `resting_heart_rate` (90 days, null without data) — each "
            "`[{date, value, trend}]` with a trailing mean of 7 days, 4 weeks, 30 days — and "
            "`fitness_load` (90 days of CTL/ATL/TSB) and `hrv` (90 days of rMSSD with its 7-day mean and "
            "the 60-day normal range `exp(mean ± SD)` of ln rMSSD). Cached 5 minutes."
        ),
        parameters=[USER_ID, *ZONE_PARAMS, REFRESH, X_CACHE],
        responses={
            200: response_serializer(
                "MetricsCharts", MetricsChartsSerializer(), local_meta_serializer("MetricsChartsMeta")
            ),
            **errors(400, 401, 403, 404),
        },
    )
    def get(self, request):
        params = request.query_params
        bypass = bool(bool_param(params, "refresh"))
        athlete = access.athlete_for_request(request.user, params.get("user_id"))
        zone = resolve_zone(params, athlete)
        today = today_in(zone)
        key = athlete_key("user_metrics_charts", athlete, {"zone": str(zone), "today": today})
        data, hit = cached(key, ATHLETE_TTL, lambda: metrics_charts_payload(athlete, zone, today), bypass=bypass)
        return ok(data, headers=x_cache(hit), meta=_local_meta(zone, today))


class MetricsSummaryView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="analytics_user_metrics_summary",
        summary="Dashboard tiles",
        description=(
            "This ISO week's run distance vs last week's, the week's training load vs the 4-week "
            "average, latest resting HR vs its 30-day mean, VO2max, HRV and recovery (with their "
            "values 7 days earlier) and the current streak, in the athlete's own time zone. "
            "Cached 5 minutes."
        ),
        parameters=[USER_ID, REFRESH, X_CACHE],
        responses={
            200: response_serializer(
                "MetricsSummary",
                MetricsSummarySerializer(),
                local_meta_serializer(
                    "MetricsSummaryMeta", week_start=serializers.DateField(help_text="Monday of the current ISO week")
                ),
            ),
            **errors(400, 401, 403, 404),
        },
    )
    def get(self, request):
        params = request.query_params
        bypass = bool(bool_param(params, "refresh"))
        athlete = access.athlete_for_request(request.user, params.get("user_id"))
        zone = user_zone(athlete)  # the snapshot's zone, so every tile counts the same days
        today = today_in(zone)
        key = athlete_key("user_metrics_summary", athlete, {"zone": str(zone), "today": today})
        data, hit = cached(key, ATHLETE_TTL, lambda: metrics_summary_payload(athlete, zone, today), bypass=bypass)
        week_start = bucket_start(today, "week").isoformat()
        return ok(data, headers=x_cache(hit), meta=_local_meta(zone, today, week_start=week_start))
