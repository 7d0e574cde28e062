"""POST analytics/running_streaks, GET analytics/user_metrics_charts and
GET analytics/user_metrics_summary: streaks and a run calendar, chart series with trend lines,
and dashboard tiles.

Every day is a local day of the request's zone (astral.local_time.resolve_zone; the summary
uses the athlete's own zone, like the metrics snapshot it reads). Answers are cached 5 minutes
per athlete, data generation, parameters, zone and local date; `refresh=true` recomputes.
"""

from datetime import date, timedelta

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.views import APIView

from analytics.buckets import bucket_start
from analytics.cache import ATHLETE_TTL, athlete_key, cached, x_cache
from analytics.selectors.chart_series import (
    DEFAULT_STREAK_DAYS,
    MAX_STREAK_DAYS,
    metrics_charts_payload,
    metrics_summary_payload,
    running_streaks_payload,
)
from analytics.selectors.snapshot_inputs import athlete_zone
from astral.api.envelope import ok
from astral.api.schema import errors
from astral.local_time import resolve_zone, today_in
from astral.params import bool_param
from organizations import access

TAGS = ["analytics"]


# --- documented shapes ----------------------------------------------------------------------


class RunningStreaksInputSerializer(serializers.Serializer):
    user_id = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="The athlete (default: the caller; API keys: required)",
    )
    days = serializers.IntegerField(
        required=False,
        default=DEFAULT_STREAK_DAYS,
        min_value=1,
        max_value=MAX_STREAK_DAYS,
        help_text="Window length in local days, today included",
    )
    timezone = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text="IANA zone (default: the athlete's, else UTC)"
    )
    timezone_offset_minutes = serializers.IntegerField(
        required=False, allow_null=True, help_text="Legacy: minutes east of UTC (−840 … 840), when no timezone"
    )
    refresh = serializers.BooleanField(required=False, default=False, help_text="Recompute (bypass the cache)")


class LongestStreakSerializer(serializers.Serializer):
    length = serializers.IntegerField(help_text="Days")
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)


class CalendarDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    active = serializers.BooleanField(help_text="At least one run that local day")
    runs = serializers.IntegerField()
    distance = serializers.FloatField(help_text="Metres of runs, 1 decimal")


def _meta_serializer(name: str, **extra) -> serializers.Serializer:
    return inline_serializer(
        name,
        {
            "timezone": serializers.CharField(help_text="The zone of the local days (IANA name, or UTC±HH:MM)"),
            "as_of": serializers.DateField(help_text="Today's local date in that zone"),
            **extra,
        },
    )


def _response(name: str, data: serializers.Serializer, meta: serializers.Serializer) -> serializers.Serializer:
    return inline_serializer(
        f"{name}Response", {"status": serializers.CharField(default="ok"), "data": data, "meta": meta}
    )


class RunningStreaksSerializer(serializers.Serializer):
    current_streak = serializers.IntegerField(help_text="Days ending today, or yesterday when today has no run yet")
    longest_streak = LongestStreakSerializer(help_text="Within the window; the earliest on ties")
    calendar = CalendarDaySerializer(many=True, help_text="One entry per local day of the window, oldest first")


class DistancePointSerializer(serializers.Serializer):
    date = serializers.DateField()
    value = serializers.FloatField(help_text="Metres of runs, 1 decimal")
    trend = serializers.FloatField(help_text="Trailing 7-day mean, 2 decimals")


class LoadPointSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="Monday of the ISO week")
    value = serializers.FloatField(help_text="Training load (NR ETE+) of every sport, 1 decimal")
    trend = serializers.FloatField(help_text="Trailing 4-week mean, 2 decimals")


class RestingHeartRatePointSerializer(serializers.Serializer):
    date = serializers.DateField()
    value = serializers.IntegerField(allow_null=True, help_text="bpm; null without a measurement")
    trend = serializers.FloatField(allow_null=True, help_text="Mean of the days with data of the last 30")


class FitnessLoadPointSerializer(serializers.Serializer):
    date = serializers.DateField()
    ctl = serializers.FloatField(help_text="Chronic training load (42-day), 1 decimal")
    atl = serializers.FloatField(help_text="Acute training load (7-day), 1 decimal")
    tsb = serializers.FloatField(help_text="ctl − atl")


class MetricsChartsSerializer(serializers.Serializer):
    daily_distance = DistancePointSerializer(many=True, help_text="The last 30 local days")
    weekly_training_load = LoadPointSerializer(many=True, help_text="The last 12 ISO weeks, this one included")
    resting_heart_rate = RestingHeartRatePointSerializer(many=True, help_text="The last 90 days")
    fitness_load = FitnessLoadPointSerializer(many=True, help_text="The last 90 local days")


class MetricsSummarySerializer(serializers.Serializer):
    week_distance_km = serializers.FloatField(help_text="Runs of this ISO week so far, 1 decimal")
    last_week_distance_km = serializers.FloatField(help_text="Runs of the previous ISO week, 1 decimal")
    week_distance_change_pct = serializers.FloatField(allow_null=True, help_text="null when last week is 0")
    week_load = serializers.FloatField(help_text="Training load of this ISO week so far (all sports)")
    four_week_avg_load = serializers.FloatField(help_text="Mean weekly load of the 4 complete weeks before")
    load_vs_avg_pct = serializers.FloatField(allow_null=True, help_text="null when the 4-week average is 0")
    resting_heart_rate = serializers.IntegerField(allow_null=True, help_text="Latest value (bpm)")
    resting_heart_rate_date = serializers.DateField(allow_null=True)
    resting_heart_rate_30d_avg = serializers.FloatField(allow_null=True, help_text="Days with data of the last 30")
    vo2_max = serializers.FloatField(allow_null=True)
    vo2_max_prev = serializers.FloatField(allow_null=True, help_text="As of 7 days earlier")
    hrv_avg = serializers.FloatField(allow_null=True, help_text="7-day mean (ms)")
    hrv_avg_prev = serializers.FloatField(allow_null=True)
    recovery_score = serializers.FloatField(allow_null=True)
    recovery_score_prev = serializers.FloatField(allow_null=True)
    current_streak = serializers.IntegerField()


USER_ID = OpenApiParameter("user_id", str, description="The athlete (default: the caller; API keys: required)")
REFRESH = OpenApiParameter("refresh", bool, description="Recompute (bypass the 5-minute cache)")
ZONE_PARAMS = [
    OpenApiParameter("timezone", str, description="IANA zone of the local days (default: the athlete's, else UTC)"),
    OpenApiParameter("timezone_offset_minutes", int, description="Legacy: minutes east of UTC, when no timezone"),
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
            200: _response(
                "RunningStreaks",
                RunningStreaksSerializer(),
                _meta_serializer(
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
            "`fitness_load` (90 days of CTL/ATL/TSB). Cached 5 minutes."
        ),
        parameters=[USER_ID, *ZONE_PARAMS, REFRESH, X_CACHE],
        responses={
            200: _response("MetricsCharts", MetricsChartsSerializer(), _meta_serializer("MetricsChartsMeta")),
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
            200: _response(
                "MetricsSummary",
                MetricsSummarySerializer(),
                _meta_serializer(
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
        zone = athlete_zone(athlete)  # the snapshot's zone, so every tile counts the same days
        today = today_in(zone)
        key = athlete_key("user_metrics_summary", athlete, {"zone": str(zone), "today": today})
        data, hit = cached(key, ATHLETE_TTL, lambda: metrics_summary_payload(athlete, zone, today), bypass=bypass)
        week_start = bucket_start(today, "week").isoformat()
        return ok(data, headers=x_cache(hit), meta=_local_meta(zone, today, week_start=week_start))
