"""Documented shapes of GET analytics/attention_queue and POST …/{flag_id}/seen (attention_views.py)."""

from rest_framework import serializers

from analytics.models.attention import Severity
from astral.api.schema import PaginationSerializer


class AttentionItemSerializer(serializers.Serializer):
    flag_id = serializers.CharField(help_text="the flag (flg_…): POST analytics/attention_queue/{flag_id}/seen")
    user_id = serializers.CharField(help_text="the athlete")
    display_name = serializers.CharField(help_text="the athlete's display name, else their username")
    code = serializers.CharField(
        help_text="HRV_DROP, HRV_BELOW_BASELINE, RECOVERY_DROP, VO2MAX_CHANGE, NO_RECENT_RUN or LOAD_SPIKE "
        "(docs/metrics.md)"
    )
    severity = serializers.ChoiceField(choices=Severity.values)
    message = serializers.CharField(help_text='e.g. "No run in the last 9 days (last run 2026-11-12)"')
    value = serializers.FloatField(allow_null=True, help_text="the measure the flag shows (its unit per code)")
    previous = serializers.FloatField(allow_null=True, help_text="the measure it is compared with, if any")
    since = serializers.DateTimeField(help_text="UTC: when this episode of the flag was raised")
    worsened_at = serializers.DateTimeField(allow_null=True, help_text="UTC: when its severity last rose, if it did")


class AttentionQueueSerializer(serializers.Serializer):
    items = AttentionItemSerializer(
        many=True, help_text="most severe first, then the most recently raised or worsened, then the oldest flag"
    )
    pagination = PaginationSerializer()


class AttentionSeenSerializer(serializers.Serializer):
    flag_id = serializers.CharField()
    severity = serializers.ChoiceField(choices=Severity.values, help_text="the severity it was seen at")
    seen_at = serializers.DateTimeField(help_text="UTC")
