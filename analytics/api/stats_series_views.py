"""GET analytics/activity_stats and analytics/health_metrics: cached 5 minutes per athlete.

The cache key (analytics.cache.athlete_key) carries the athlete's data generation, the resolved
time zone and every parameter, so a write by the athlete makes older answers unreachable at once;
`refresh=true` recomputes and stores. Each answer is one GROUP BY plus a zero-fill.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.views import APIView

from analytics.api.stats_serializers import (
    ActivityStatsBucketSerializer,
    HealthMetricsBucketSerializer,
    series_meta_serializer,
)
from analytics.api.stats_views import TAGS, USER_PARAM, ZONE_PARAMS, local_date_range, zone_name
from analytics.cache import ATHLETE_TTL, athlete_key, cached, x_cache
from analytics.selectors.stats import activity_stats_series, health_metrics_series
from astral.api.envelope import ok
from astral.api.schema import errors
from astral.local_time import local_days_range, resolve_zone
from astral.params import bool_param, choice_param
from organizations import access

MAX_RANGE_DAYS = 400
ACTIVITY_GRANULARITIES = ("day", "month")
HEALTH_GRANULARITIES = ("day", "week", "month")

X_CACHE = OpenApiParameter(
    "X-Cache",
    str,
    location=OpenApiParameter.HEADER,
    enum=("HIT", "MISS"),
    response=[200],
    description="HIT when served from the cache",
)
REFRESH_PARAM = OpenApiParameter("refresh", bool, default=False, description="Bypass the cache and recompute")
RANGE_PARAMS = [
    OpenApiParameter("from", OpenApiTypes.DATE, required=True, description="First local date (YYYY-MM-DD), inclusive"),
    OpenApiParameter(
        "to",
        OpenApiTypes.DATE,
        required=True,
        description=f"Last local date (YYYY-MM-DD), inclusive; at most {MAX_RANGE_DAYS} days",
    ),
]


def _cached_answer(request, endpoint: str, athlete, params: dict, compute):
    key = athlete_key(endpoint, athlete, params)
    answer, hit = cached(key, ATHLETE_TTL, compute, bypass=bool(bool_param(request.query_params, "refresh")))
    return ok(answer["data"], headers=x_cache(hit), meta=answer["meta"])


# --- activity_stats -----------------------------------------------------------------------------


class ActivityStatsView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="analytics_activity_stats",
        summary="All activities per local day or month (cached 5 minutes)",
        parameters=[
            *RANGE_PARAMS,
            OpenApiParameter("granularity", str, enum=ACTIVITY_GRANULARITIES, default="day"),
            *ZONE_PARAMS,
            REFRESH_PARAM,
            USER_PARAM,
            X_CACHE,
        ],
        responses={
            200: inline_serializer(
                "ActivityStatsResponse",
                {
                    "status": serializers.CharField(default="ok"),
                    "data": ActivityStatsBucketSerializer(many=True),
                    "meta": series_meta_serializer("ActivityStatsMeta", ACTIVITY_GRANULARITIES, with_zone=True),
                },
            ),
            **errors(400, 401, 403, 404),
        },
    )
    def get(self, request):
        params = request.query_params
        athlete = access.athlete_for_request(request.user, params.get("user_id"))
        first, last = local_date_range(params, MAX_RANGE_DAYS)
        granularity = choice_param(params, "granularity", ACTIVITY_GRANULARITIES, "day")
        zone = resolve_zone(params, athlete)
        meta = {"from": first.isoformat(), "to": last.isoformat(), "granularity": granularity}
        meta["timezone"] = zone_name(zone)

        def compute() -> dict:
            start, end = local_days_range(first, last, zone)
            series = activity_stats_series(
                athlete, first=first, last=last, start=start, end=end, granularity=granularity, zone=zone
            )
            return {"data": series, "meta": meta}

        return _cached_answer(request, "activity_stats", athlete, meta, compute)


# --- health_metrics -----------------------------------------------------------------------------


class HealthMetricsView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="analytics_health_metrics",
        summary="Resting HR, HRV and VO2max averages per day, ISO week or month (cached 5 minutes)",
        parameters=[
            *RANGE_PARAMS,
            OpenApiParameter("granularity", str, enum=HEALTH_GRANULARITIES, default="day"),
            REFRESH_PARAM,
            USER_PARAM,
            X_CACHE,
        ],
        responses={
            200: inline_serializer(
                "HealthMetricsResponse",
                {
                    "status": serializers.CharField(default="ok"),
                    "data": HealthMetricsBucketSerializer(many=True),
                    "meta": series_meta_serializer("HealthMetricsMeta", HEALTH_GRANULARITIES, with_zone=False),
                },
            ),
            **errors(400, 401, 403, 404),
        },
    )
    def get(self, request):
        params = request.query_params
        athlete = access.athlete_for_request(request.user, params.get("user_id"))
        first, last = local_date_range(params, MAX_RANGE_DAYS)
        granularity = choice_param(params, "granularity", HEALTH_GRANULARITIES, "day")
        meta = {"from": first.isoformat(), "to": last.isoformat(), "granularity": granularity}

        def compute() -> dict:
            return {
                "data": health_metrics_series(athlete, first=first, last=last, granularity=granularity),
                "meta": meta,
            }

        return _cached_answer(request, "health_metrics", athlete, meta, compute)
