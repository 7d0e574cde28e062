"""GET analytics/fitness_stats and analytics/running_stats: an athlete's runs, summed in SQL.

Parse → access → one aggregate (analytics.selectors.stats) → envelope. Parameter parsing shared
with the cached series endpoints (stats_series_views.py) lives here too.
"""

from datetime import UTC, date, datetime, timedelta

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.views import APIView

from analytics.api.stats_serializers import FitnessStatsSerializer, RunningStatsPointSerializer
from analytics.buckets import bucket_labels
from analytics.selectors.stats import (
    fitness_stats_summary,
    fitness_totals,
    running_stats_buckets,
    running_stats_series,
)
from astral.api.envelope import ok
from astral.api.schema import OFFSET_MINUTES, errors
from astral.exceptions import invalid
from astral.local_time import local_date, local_day_start, local_days_range, parse_date, resolve_zone, today_in
from astral.params import choice_param, int_param
from organizations import access

TAGS = ["analytics"]
DEFAULT_FITNESS_DAYS = 30
MAX_FITNESS_DAYS = 365
MAX_RUNNING_SPAN_SECONDS = 365 * 86400
MAX_FUTURE_SECONDS = 7 * 86400
RANGE_TYPES = ("daily", "weekly", "monthly", "yearly")
RANGE_GRANULARITY = {"daily": "day", "weekly": "day", "monthly": "week", "yearly": "month"}
WEEKLY_DAYS = 7
METRIC_TYPES = ("distance", "duration", "training_load")
METRIC_FIELD = {"distance": "distance", "duration": "duration", "training_load": "nexrex_training_load"}


def request_now() -> datetime:
    """The clock of the stats endpoints (one function, so tests can pin "today")."""
    return datetime.now(UTC)


# --- parameters (each bad value → 400 naming it) -----------------------------------------------


# What unix_seconds_param() accepts: from 1970 to the last second of year 9999 (datetime's range).
UNIX_SECONDS = {
    "type": "integer",
    "minimum": 0,
    "maximum": int(datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp()),
}


def unix_seconds_param(params, name: str) -> int:
    """A required whole number of seconds since 1970-01-01T00:00Z."""
    raw = (params.get(name) or "").strip()
    if not raw:
        raise invalid(name, f"{name} is required (Unix seconds).", "REQUIRED")
    try:
        value = int(raw)
        datetime.fromtimestamp(value, tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise invalid(name, f"{name} must be an integer number of Unix seconds.") from None
    if value < 0:
        raise invalid(name, f"{name} must not be before 1970-01-01.", "MIN_VALUE")
    return value


def local_date_range(params, max_days: int) -> tuple[date, date]:
    """Required `from`/`to` local dates, inclusive, `to` ≥ `from`, at most `max_days` days."""
    first = parse_date(params.get("from"), "from")
    last = parse_date(params.get("to"), "to")
    if last < first:
        raise invalid("to", "to must not be before from.")
    if (last - first).days + 1 > max_days:
        raise invalid("to", f"The range may span at most {max_days} days.", "RANGE_TOO_LONG")
    return first, last


def zone_name(zone) -> str:
    """`Asia/Tokyo`, `UTC`, or `UTC+09:00` for a legacy offset."""
    return str(zone)


ZONE_PARAMS = [
    OpenApiParameter("timezone", str, description="IANA time zone of the local days (e.g. Asia/Tokyo)"),
    OpenApiParameter(
        "timezone_offset_minutes",
        OFFSET_MINUTES,
        description="Legacy: minutes east of UTC (Tokyo 540, New York in winter -300), -840…840; "
        "used when `timezone` is absent. Without either: the athlete's profile time zone, else UTC",
    ),
]
USER_PARAM = OpenApiParameter("user_id", str, description="The athlete (default: the caller; required with an API key)")


# --- fitness_stats ------------------------------------------------------------------------------


class FitnessStatsView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="analytics_fitness_stats",
        summary="Totals of the athlete's runs over the last `days` local days",
        parameters=[
            OpenApiParameter("days", int, default=DEFAULT_FITNESS_DAYS, description="1–365 local days, incl. today"),
            USER_PARAM,
            *ZONE_PARAMS,
        ],
        responses={
            200: inline_serializer(
                "FitnessStatsResponse",
                {
                    "status": serializers.CharField(default="ok"),
                    "data": FitnessStatsSerializer(),
                    "meta": inline_serializer(
                        "FitnessStatsMeta",
                        {
                            "days": serializers.IntegerField(),
                            "from": serializers.DateField(help_text="first local day of the window"),
                            "to": serializers.DateField(help_text="today, local"),
                            "timezone": serializers.CharField(),
                        },
                    ),
                },
            ),
            **errors(400, 401, 403, 404),
        },
    )
    def get(self, request):
        params = request.query_params
        athlete = access.athlete_for_request(request.user, params.get("user_id"))
        days = int_param(params, "days", DEFAULT_FITNESS_DAYS, 1, MAX_FITNESS_DAYS)
        zone = resolve_zone(params, athlete)
        today = today_in(zone, request_now())
        first = today - timedelta(days=days - 1)
        start, end = local_days_range(first, today, zone)
        summary = fitness_stats_summary(fitness_totals(athlete, start=start, end=end))
        meta = {"days": days, "from": first.isoformat(), "to": today.isoformat(), "timezone": zone_name(zone)}
        return ok(summary, meta=meta)


# --- running_stats ------------------------------------------------------------------------------


def running_stats_window(params) -> tuple[datetime, datetime]:
    """`from_timestamp`/`to_timestamp` as UTC instants, with the seeds' limits."""
    from_ts = unix_seconds_param(params, "from_timestamp")
    to_ts = unix_seconds_param(params, "to_timestamp")
    if to_ts < from_ts:
        raise invalid("to_timestamp", "to_timestamp must not be before from_timestamp.")
    if to_ts - from_ts > MAX_RUNNING_SPAN_SECONDS:
        raise invalid("to_timestamp", "to_timestamp must be within 365 days of from_timestamp.", "RANGE_TOO_LONG")
    if to_ts > request_now().timestamp() + MAX_FUTURE_SECONDS:
        raise invalid("to_timestamp", "to_timestamp may be at most 7 days in the future.", "IN_FUTURE")
    return datetime.fromtimestamp(from_ts, tz=UTC), datetime.fromtimestamp(to_ts, tz=UTC)


class RunningStatsView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="analytics_running_stats",
        summary="Runs per local day, ISO week or month; every bucket present",
        description="An activity counts when from_timestamp ≤ start ≤ to_timestamp. `daily`: one point per "
        "local day from the local date of from_timestamp to that of to_timestamp; `weekly`: the 7 local days "
        "starting at the local date of from_timestamp; `monthly`: one point per ISO week (its Monday); "
        "`yearly`: one point per calendar month (its 1st). All metrics are always returned.",
        parameters=[
            OpenApiParameter("from_timestamp", UNIX_SECONDS, required=True, description="Unix seconds, inclusive"),
            OpenApiParameter(
                "to_timestamp",
                UNIX_SECONDS,
                required=True,
                description="Unix seconds, inclusive; ≥ from, within 365 days of it, ≤ 7 days ahead",
            ),
            OpenApiParameter("range_type", str, required=True, enum=RANGE_TYPES),
            OpenApiParameter(
                "metric_type", str, enum=METRIC_TYPES, default="distance", description="Primary metric (echoed)"
            ),
            *ZONE_PARAMS,
            USER_PARAM,
        ],
        responses={
            200: inline_serializer(
                "RunningStatsResponse",
                {
                    "status": serializers.CharField(default="ok"),
                    "data": RunningStatsPointSerializer(many=True),
                    "meta": inline_serializer(
                        "RunningStatsMeta",
                        {
                            "range_type": serializers.ChoiceField(choices=RANGE_TYPES),
                            "metric_type": serializers.ChoiceField(choices=METRIC_TYPES),
                            "metric_field": serializers.CharField(help_text="The point key of metric_type"),
                            "timezone": serializers.CharField(),
                        },
                    ),
                },
            ),
            **errors(400, 401, 403, 404),
        },
    )
    def get(self, request):
        params = request.query_params
        athlete = access.athlete_for_request(request.user, params.get("user_id"))
        start, end = running_stats_window(params)
        range_type = choice_param(params, "range_type", RANGE_TYPES)
        metric_type = choice_param(params, "metric_type", METRIC_TYPES, "distance")
        zone = resolve_zone(params, athlete)
        granularity = RANGE_GRANULARITY[range_type]
        first = local_date(start, zone)
        before = None
        if range_type == "weekly":
            labels = [first + timedelta(days=offset) for offset in range(WEEKLY_DAYS)]
            before = local_day_start(first + timedelta(days=WEEKLY_DAYS), zone)
        else:
            labels = bucket_labels(first, local_date(end, zone), granularity)
        rows = running_stats_buckets(athlete, start=start, end=end, granularity=granularity, zone=zone, before=before)
        meta = {
            "range_type": range_type,
            "metric_type": metric_type,
            "metric_field": METRIC_FIELD[metric_type],
            "timezone": zone_name(zone),
        }
        return ok(running_stats_series(labels, rows), meta=meta)
