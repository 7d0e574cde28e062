"""Documented shapes of the chart endpoints (charts_views.py)."""

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from analytics.selectors.chart_series import DEFAULT_STREAK_DAYS, MAX_STREAK_DAYS


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


def local_meta_serializer(name: str, **extra) -> serializers.Serializer:
    return inline_serializer(
        name,
        {
            "timezone": serializers.CharField(help_text="The zone of the local days (IANA name, or UTC±HH:MM)"),
            "as_of": serializers.DateField(help_text="Today's local date in that zone"),
            **extra,
        },
    )


def response_serializer(
    name: str, data: serializers.Serializer, meta: serializers.Serializer
) -> serializers.Serializer:
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


class HrvPointSerializer(serializers.Serializer):
    date = serializers.DateField()
    value = serializers.FloatField(allow_null=True, help_text="The day's rMSSD (ms); null without a measurement")
    rolling_7d = serializers.FloatField(
        allow_null=True, help_text="Mean rMSSD (ms) of the days with data of date−6 … date, 1 decimal; null when none"
    )
    baseline_low = serializers.FloatField(
        allow_null=True,
        help_text="exp(mean − SD) of ln rMSSD over date−59 … date (sample SD), ms, 1 decimal; null with < 14 days",
    )
    baseline_high = serializers.FloatField(
        allow_null=True, help_text="exp(mean + SD) of ln rMSSD over the same days, ms, 1 decimal; null with < 14 days"
    )


class MetricsChartsSerializer(serializers.Serializer):
    daily_distance = DistancePointSerializer(many=True, help_text="The last 30 local days")
    weekly_training_load = LoadPointSerializer(many=True, help_text="The last 12 ISO weeks, this one included")
    resting_heart_rate = RestingHeartRatePointSerializer(many=True, help_text="The last 90 days")
    fitness_load = FitnessLoadPointSerializer(many=True, help_text="The last 90 local days")
    hrv = HrvPointSerializer(many=True, help_text="The last 90 days: rMSSD, its 7-day mean and the 60-day normal range")


class MetricsSummarySerializer(serializers.Serializer):
    week_distance_km = serializers.FloatField(help_text="Runs of this ISO week so far, 1 decimal")
    last_week_distance_km = serializers.FloatField(help_text="Runs of the whole previous ISO week, 1 decimal")
    last_week_same_days_distance_km = serializers.FloatField(
        help_text="Runs of the previous ISO week's Monday … today's weekday, 1 decimal"
    )
    week_distance_change_pct = serializers.FloatField(
        allow_null=True, help_text="This week so far against the same days of last week; null when those are 0"
    )
    week_load = serializers.FloatField(help_text="Training load of this ISO week so far (all sports)")
    four_week_avg_load = serializers.FloatField(help_text="Mean weekly load of the 4 complete weeks before")
    same_days_avg_load = serializers.FloatField(
        help_text="Mean load of Monday … today's weekday over the 4 weeks before, 1 decimal"
    )
    load_vs_avg_pct = serializers.FloatField(
        allow_null=True, help_text="week_load against same_days_avg_load; null when that is 0"
    )
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
