"""Documented shape of analytics/athlete_profile (and the metrics block the roster reuses)."""

from rest_framework import serializers

from accounts.api.serializers import IntegrationStatusSerializer
from analytics.api.activity_serializers import ActivitySerializer
from plans.api.serializers import PlanInstanceSerializer, RaceGoalSerializer


class DatedValueSerializer(serializers.Serializer):
    date = serializers.DateField()
    value = serializers.FloatField()


class FitnessCurrentSerializer(serializers.Serializer):
    vo2_max = serializers.FloatField(allow_null=True)
    hrv_avg = serializers.FloatField(allow_null=True, help_text="Mean of the last 7 local days with HRV (ms)")
    recovery_score = serializers.FloatField(allow_null=True)
    vo2_max_prev = serializers.FloatField(allow_null=True, help_text="As of 7 days earlier")
    hrv_avg_prev = serializers.FloatField(allow_null=True)
    recovery_score_prev = serializers.FloatField(allow_null=True)


class FitnessSerializer(serializers.Serializer):
    current = FitnessCurrentSerializer()
    vo2_max_history = DatedValueSerializer(many=True)
    hrv_history = DatedValueSerializer(many=True)
    recovery_history = DatedValueSerializer(many=True)


class RunningAnalyticsSerializer(serializers.Serializer):
    weekly_distance_km = serializers.FloatField()
    avg_pace_per_km = serializers.CharField(allow_null=True)


class TrainingSerializer(serializers.Serializer):
    current_week_load = serializers.FloatField()
    four_week_avg_load = serializers.FloatField()
    ctl = serializers.FloatField()
    atl = serializers.FloatField()
    tsb = serializers.FloatField()
    acwr = serializers.FloatField(allow_null=True)
    history_days = serializers.IntegerField()


class FlagSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=["HRV_DROP", "HRV_BELOW_BASELINE", "RECOVERY_DROP", "VO2MAX_CHANGE", "NO_RECENT_RUN", "LOAD_SPIKE"]
    )
    severity = serializers.ChoiceField(choices=["info", "warning", "critical"])
    metric = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    previous = serializers.FloatField(allow_null=True)
    change_pct = serializers.FloatField(allow_null=True)
    message = serializers.CharField()


class AttentionSignalsSerializer(serializers.Serializer):
    flags = FlagSerializer(many=True)


class QualityComponentSerializer(serializers.Serializer):
    key = serializers.CharField()
    ok = serializers.BooleanField()
    weight = serializers.IntegerField()
    hint = serializers.CharField(allow_null=True)


class DataQualitySerializer(serializers.Serializer):
    score = serializers.IntegerField()
    components = QualityComponentSerializer(many=True)


class LastActivitySerializer(serializers.Serializer):
    activity_id = serializers.CharField()
    start_time = serializers.DateTimeField()
    distance = serializers.FloatField()
    duration = serializers.FloatField()


class MetricsSerializer(serializers.Serializer):
    running_analytics = RunningAnalyticsSerializer()
    fitness = FitnessSerializer()
    training = TrainingSerializer()
    attention_signals = AttentionSignalsSerializer()
    last_updated = serializers.DateTimeField()


class InsightSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["activity", "weekly_summary", "group"])
    text = serializers.CharField()
    generated_at = serializers.DateTimeField()
    activity_id = serializers.CharField(allow_null=True)


class CurrentGoalsSerializer(serializers.Serializer):
    races = RaceGoalSerializer(many=True)


class AthleteProfileSerializer(serializers.Serializer):
    user_id = serializers.CharField()
    display_name = serializers.CharField()
    profile_image_url = serializers.CharField()
    metrics = MetricsSerializer()
    current_goals = CurrentGoalsSerializer()
    current_plans = PlanInstanceSerializer(many=True)
    integrations = serializers.DictField(child=IntegrationStatusSerializer(), help_text="keyed by provider")
    insights = InsightSerializer(many=True)
    attention_signals = AttentionSignalsSerializer()
    data_quality = DataQualitySerializer()
    last_activity = LastActivitySerializer(allow_null=True)
    recent_activities = ActivitySerializer(many=True)
