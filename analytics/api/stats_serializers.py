"""Documented shapes of the stats endpoints (stats_views.py and stats_series_views.py)."""

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers


class FitnessStatsSerializer(serializers.Serializer):
    total_activities = serializers.IntegerField(help_text="Runs in the window")
    total_distance = serializers.FloatField(help_text="metres")
    total_duration = serializers.FloatField(help_text="seconds (moving time)")
    avg_pace = serializers.CharField(allow_null=True, help_text="M:SS per km; null without runs")
    avg_heart_rate = serializers.IntegerField(
        required=False, help_text="bpm, duration-weighted over runs with HR; absent when none has HR"
    )


class RunningStatsPointSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="The bucket's first local day (ISO week: its Monday; month: the 1st)")
    distance = serializers.FloatField(help_text="metres")
    duration = serializers.FloatField(help_text="seconds")
    nexrex_training_load = serializers.FloatField(help_text="NR ETE+ training load")
    runs = serializers.IntegerField()
    calories = serializers.IntegerField(help_text="kcal")
    pace_z1_time = serializers.FloatField(help_text="seconds in pace zone 1 (easy)")
    pace_z2_time = serializers.FloatField(help_text="seconds in pace zone 2 (marathon)")
    pace_z3_time = serializers.FloatField(help_text="seconds in pace zone 3 (threshold)")
    pace_z4_time = serializers.FloatField(help_text="seconds in pace zone 4 (interval)")
    pace_z5_time = serializers.FloatField(help_text="seconds in pace zone 5 (repetition)")


def series_meta_serializer(name: str, granularities: tuple[str, ...], with_zone: bool):
    fields = {
        "from": serializers.DateField(),
        "to": serializers.DateField(),
        "granularity": serializers.ChoiceField(choices=granularities),
    }
    if with_zone:
        fields["timezone"] = serializers.CharField()
    return inline_serializer(name, fields)


class ActivityStatsBucketSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="The bucket's first local day (month: the 1st)")
    distance = serializers.FloatField(help_text="metres")
    duration = serializers.FloatField(help_text="seconds")
    training_load = serializers.FloatField(help_text="NR ETE+ training load")
    calories = serializers.IntegerField(help_text="kcal")
    activities = serializers.IntegerField(help_text="number of activities (all sports)")
    pace_z1_time = serializers.FloatField(help_text="seconds in pace zone 1")
    pace_z2_time = serializers.FloatField(help_text="seconds in pace zone 2")
    pace_z3_time = serializers.FloatField(help_text="seconds in pace zone 3")
    pace_z4_time = serializers.FloatField(help_text="seconds in pace zone 4")
    pace_z5_time = serializers.FloatField(help_text="seconds in pace zone 5")


class HealthMetricsBucketSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="The bucket's first day (week: its Monday; month: the 1st)")
    resting_heart_rate = serializers.FloatField(allow_null=True, help_text="mean bpm; null without data")
    hrv = serializers.FloatField(allow_null=True, help_text="mean rMSSD, ms; null without data")
    vo2_max = serializers.FloatField(allow_null=True, help_text="mean ml/kg/min; null without data")
