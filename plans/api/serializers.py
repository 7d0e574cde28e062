"""Input validation and documented shapes for plans and race goals."""

import re

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from plans.models import MAX_PLAN_WEEKS, PlanStatus, WorkoutType
from plans.presentation import format_goal_time

GOAL_TIME = re.compile(r"^(\d{1,3}):([0-5]\d):([0-5]\d)$")


class WorkoutSerializer(serializers.Serializer):
    week = serializers.IntegerField(min_value=1, max_value=MAX_PLAN_WEEKS)
    day = serializers.IntegerField(min_value=1, max_value=7, help_text="1 = Monday … 7 = Sunday")
    type = serializers.ChoiceField(choices=WorkoutType.choices)
    distance = serializers.FloatField(
        min_value=0, max_value=500_000, required=False, allow_null=True, help_text="metres"
    )
    duration = serializers.FloatField(
        min_value=1, max_value=86_400, required=False, allow_null=True, help_text="seconds"
    )
    description = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class PlanCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    total_weeks = serializers.IntegerField(min_value=1, max_value=MAX_PLAN_WEEKS)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    org_id = serializers.CharField(required=False, max_length=32, help_text="Default: the caller's organization")
    workouts = WorkoutSerializer(many=True, required=False, default=list, max_length=MAX_PLAN_WEEKS * 7 * 3)


class PlanAssignSerializer(serializers.Serializer):
    user_id = serializers.CharField(max_length=32)
    start_date = serializers.DateField()


class PlanSerializer(serializers.Serializer):
    plan_id = serializers.CharField()
    org_id = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    description = serializers.CharField()
    total_weeks = serializers.IntegerField()
    workout_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class PlanDetailSerializer(PlanSerializer):
    workouts = WorkoutSerializer(many=True)


class PlanInstanceSerializer(serializers.Serializer):
    plan_instance_id = serializers.CharField()
    plan_id = serializers.CharField()
    user_id = serializers.CharField()
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=PlanStatus.choices)
    start_date = serializers.DateField()
    current_week = serializers.IntegerField()
    total_weeks = serializers.IntegerField()


def parse_goal_time(value: str) -> int:
    match = GOAL_TIME.match(value or "")
    if not match:
        raise serializers.ValidationError("goal_time must be H:MM:SS, e.g. 3:05:00.", code="invalid")
    hours, minutes, seconds = (int(part) for part in match.groups())
    total = hours * 3600 + minutes * 60 + seconds
    if total <= 0:
        raise serializers.ValidationError("goal_time must be longer than zero.", code="invalid")
    return total


@extend_schema_field(OpenApiTypes.STR)
class GoalTimeField(serializers.Field):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise serializers.ValidationError("goal_time must be a string H:MM:SS.", code="invalid")
        return parse_goal_time(data)

    def to_representation(self, value):
        return format_goal_time(value)


class RaceGoalInputSerializer(serializers.Serializer):
    user_id = serializers.CharField(required=False, max_length=32, help_text="A coach's athlete (default: the caller)")
    race_name = serializers.CharField(max_length=200)
    race_date = serializers.DateField()
    distance = serializers.FloatField(min_value=100, max_value=500_000, help_text="metres")
    goal_time = GoalTimeField(required=False, allow_null=True, help_text="H:MM:SS")


class RaceGoalSerializer(serializers.Serializer):
    id = serializers.CharField()
    user_id = serializers.CharField()
    race_name = serializers.CharField()
    race_date = serializers.DateField()
    distance = serializers.FloatField()
    goal_time = serializers.CharField(allow_null=True)
    days_until = serializers.IntegerField()
