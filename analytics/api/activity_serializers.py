"""Input validation for activities; the output shape is analytics.presentation.activity_payload."""

from datetime import UTC, datetime, timedelta

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import validate_timezone_name
from analytics.models import Sport
from astral.exceptions import InvalidInput
from astral.local_time import parse_instant, resolve_zone

EARLIEST_START = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_TOLERANCE = timedelta(days=1)


@extend_schema_field(
    {"oneOf": [{"type": "string", "format": "date-time"}, {"type": "number", "minimum": EARLIEST_START.timestamp()}]}
)
class InstantField(serializers.JSONField):
    """An instant as the client sends it; validate() reads it with astral.local_time.parse_instant."""


class ActivityInputSerializer(serializers.Serializer):
    """`start_time`: ISO 8601 with offset or Z, or Unix seconds; a naive time is read in the
    activity's `timezone`, else the athlete's profile time zone."""

    start_time = InstantField(help_text="ISO 8601 date-time or Unix seconds (from 1990, at most a day ahead)")
    sport = serializers.ChoiceField(choices=Sport.choices)
    distance = serializers.FloatField(min_value=0, max_value=1_000_000, help_text="metres")
    duration = serializers.FloatField(min_value=0, max_value=7 * 24 * 3600, help_text="moving time, seconds (> 0)")
    elapsed_time = serializers.FloatField(min_value=0, max_value=14 * 24 * 3600, required=False, allow_null=True)
    avg_heart_rate = serializers.IntegerField(min_value=25, max_value=250, required=False, allow_null=True)
    max_heart_rate = serializers.IntegerField(min_value=25, max_value=250, required=False, allow_null=True)
    calories = serializers.IntegerField(min_value=0, max_value=50_000, required=False, allow_null=True)
    elevation_gain = serializers.FloatField(min_value=0, max_value=20_000, required=False, allow_null=True)
    external_id = serializers.CharField(max_length=128, required=False, allow_blank=True)
    timezone = serializers.CharField(
        max_length=64, required=False, allow_blank=True, validators=[validate_timezone_name]
    )

    def __init__(self, *args, athlete=None, **kwargs):
        self.athlete = athlete
        super().__init__(*args, **kwargs)

    def validate_duration(self, value):
        if value <= 0:
            raise serializers.ValidationError("duration must be greater than 0 seconds.", code="min_value")
        return value

    def validate(self, attrs):
        if "start_time" in attrs:
            zone_name = attrs.get("timezone") or (self.instance.timezone if self.instance else "")
            zone = resolve_zone({"timezone": zone_name}, self.athlete)
            start = parse_instant(attrs["start_time"], zone, "start_time")
            if start > datetime.now(UTC) + FUTURE_TOLERANCE:
                raise InvalidInput("start_time is more than a day in the future.", "IN_FUTURE", field="start_time")
            if start < EARLIEST_START:
                raise InvalidInput("start_time is before 1990.", "TOO_OLD", field="start_time")
            attrs["start_time"] = start
        duration = attrs.get("duration", getattr(self.instance, "duration", None))
        elapsed = attrs.get("elapsed_time")
        if elapsed is not None and duration is not None and elapsed < duration:
            raise InvalidInput(
                "elapsed_time cannot be shorter than the moving duration.", "INVALID", field="elapsed_time"
            )
        avg = attrs.get("avg_heart_rate", getattr(self.instance, "avg_heart_rate", None))
        peak = attrs.get("max_heart_rate", getattr(self.instance, "max_heart_rate", None))
        if avg and peak and peak < avg:
            raise InvalidInput("max_heart_rate cannot be below avg_heart_rate.", "INVALID", field="max_heart_rate")
        for optional in ("external_id", "timezone"):
            if attrs.get(optional) is None and optional in attrs:
                attrs[optional] = ""
        return attrs


class ActivitySerializer(serializers.Serializer):
    """Output shape (documentation)."""

    activity_id = serializers.CharField()
    user_id = serializers.CharField()
    sport = serializers.ChoiceField(choices=Sport.choices)
    start_time = serializers.DateTimeField(help_text="UTC")
    start_time_local = serializers.DateTimeField(help_text="In the activity's time zone")
    local_date = serializers.DateField()
    timezone = serializers.CharField()
    distance = serializers.FloatField()
    duration = serializers.FloatField()
    elapsed_time = serializers.FloatField(allow_null=True)
    avg_pace = serializers.CharField(allow_null=True, help_text="M:SS per km")
    avg_heart_rate = serializers.IntegerField(allow_null=True)
    max_heart_rate = serializers.IntegerField(allow_null=True)
    calories = serializers.IntegerField(allow_null=True)
    elevation_gain = serializers.FloatField(allow_null=True)
    training_load = serializers.FloatField()
    pace_z1_time = serializers.FloatField()
    pace_z2_time = serializers.FloatField()
    pace_z3_time = serializers.FloatField()
    pace_z4_time = serializers.FloatField()
    pace_z5_time = serializers.FloatField()
    source = serializers.CharField()
    external_id = serializers.CharField()
    has_samples = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
