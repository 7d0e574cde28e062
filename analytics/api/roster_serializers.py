"""Documented shape of analytics/coach_athletes_metrics."""

from rest_framework import serializers

from accounts.api.serializers import IntegrationStatusSerializer
from analytics.api.profile_serializers import (
    AttentionSignalsSerializer,
    FitnessCurrentSerializer,
    LastActivitySerializer,
    RunningAnalyticsSerializer,
    TrainingSerializer,
)
from astral.api.schema import PaginationSerializer
from plans.api.serializers import PlanInstanceSerializer


class RosterFitnessSerializer(serializers.Serializer):
    current = FitnessCurrentSerializer()


class RosterMetricsSerializer(serializers.Serializer):
    running_analytics = RunningAnalyticsSerializer()
    fitness = RosterFitnessSerializer()
    training = TrainingSerializer()
    attention_signals = AttentionSignalsSerializer()
    last_updated = serializers.DateTimeField()


class RosterGoalSerializer(serializers.Serializer):
    race_name = serializers.CharField()
    race_date = serializers.DateField()


class RosterGoalsSerializer(serializers.Serializer):
    races = RosterGoalSerializer(many=True)


class RosterAthleteSerializer(serializers.Serializer):
    user_id = serializers.CharField()
    username = serializers.CharField()
    display_name = serializers.CharField()
    profile_image = serializers.CharField()
    email = serializers.CharField()
    assigned_coach_id = serializers.CharField(allow_null=True)
    groups = serializers.ListField(child=serializers.CharField())
    labels = serializers.ListField(child=serializers.CharField())
    current_plans = PlanInstanceSerializer(many=True)
    current_goals = RosterGoalsSerializer()
    has_push_token = serializers.BooleanField()
    last_activity = LastActivitySerializer(allow_null=True)
    integrations = serializers.DictField(child=IntegrationStatusSerializer(), help_text="keyed by provider")
    metrics = RosterMetricsSerializer()


class RosterSerializer(serializers.Serializer):
    athletes = RosterAthleteSerializer(many=True)
    total_count = serializers.IntegerField()
    metadata = PaginationSerializer()
    pagination = PaginationSerializer()
