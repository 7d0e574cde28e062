"""Documented shape of GET analytics/calendar (calendar_views.py)."""

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from plans.models import WorkoutType

STATUSES = ("completed", "partial", "missed", "upcoming", "unplanned")
COLOURS = ("green", "yellow", "red", "grey")


class WorkoutComplianceSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=STATUSES,
        help_text="completed (paired, ratio ≥ 0.80 or no planned measure), partial (paired, ratio < 0.80), "
        "missed (unpaired, before today), upcoming (unpaired, today or later), unplanned (an activity "
        "paired with no workout)",
    )
    ratio = serializers.FloatField(
        allow_null=True,
        help_text="done ÷ planned duration (distance when the plan gives only a distance), 2 decimals "
        "half up; null when unpaired, unplanned or the plan gives neither",
    )
    colour = serializers.ChoiceField(
        choices=COLOURS,
        allow_null=True,
        help_text="TrainingPeaks' colours: green 0.80–1.20, yellow 0.50–0.79 or 1.21–1.50, red otherwise "
        "and missed, grey unplanned; null for upcoming",
    )


class PlanCalendarPlannedSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=[t for t, _ in WorkoutType.choices if t != "rest"])
    distance = serializers.FloatField(allow_null=True, help_text="planned metres")
    duration = serializers.FloatField(allow_null=True, help_text="planned seconds")
    activity_id = serializers.CharField(allow_null=True, help_text="the paired activity; null when none")
    compliance = WorkoutComplianceSerializer()


class PlanCalendarActivitySerializer(serializers.Serializer):
    activity_id = serializers.CharField()
    sport = serializers.CharField()
    distance = serializers.FloatField(help_text="metres")
    duration = serializers.FloatField(help_text="moving seconds")
    compliance = WorkoutComplianceSerializer(help_text="its workout's compliance, or unplanned/grey")


class PlanCalendarDaySerializer(serializers.Serializer):
    date = serializers.DateField(help_text="the athlete's local day")
    planned = PlanCalendarPlannedSerializer(many=True, help_text="workouts of the day (rest days left out), plan order")
    activities = PlanCalendarActivitySerializer(many=True, help_text="activities started that local day, by start time")


class PlanCalendarSerializer(serializers.Serializer):
    days = PlanCalendarDaySerializer(many=True, help_text="every local day from…to, oldest first")


CALENDAR_META = inline_serializer(
    "PlanCalendarMeta",
    {
        "user_id": serializers.CharField(),
        "timezone": serializers.CharField(help_text="the athlete's profile zone (UTC without one)"),
        "today": serializers.DateField(help_text="the athlete's local today"),
        "from": serializers.DateField(),
        "to": serializers.DateField(),
    },
)
