"""Input and documented answer of the wellness endpoints (wellness_views.py)."""

from rest_framework import serializers

from analytics.services.wellness import WELLNESS_FIELDS


class WellnessInputSerializer(serializers.Serializer):
    resting_heart_rate = serializers.IntegerField(min_value=25, max_value=120, required=False, allow_null=True)
    hrv = serializers.FloatField(min_value=1, max_value=300, required=False, allow_null=True, help_text="rMSSD, ms")
    hrv_sdnn = serializers.FloatField(
        min_value=1, max_value=300, required=False, allow_null=True, help_text="SDNN, ms (Apple Health); not rMSSD"
    )
    vo2_max = serializers.FloatField(min_value=10, max_value=95, required=False, allow_null=True, help_text="ml/kg/min")
    recovery_score = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True)
    sleep_hours = serializers.FloatField(min_value=0, max_value=24, required=False, allow_null=True)

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError(
                {
                    "resting_heart_rate": [
                        serializers.ErrorDetail(f"Give at least one of {', '.join(WELLNESS_FIELDS)}.", "required")
                    ]
                }
            )
        return attrs


class WellnessDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    resting_heart_rate = serializers.IntegerField(allow_null=True)
    hrv = serializers.FloatField(allow_null=True)
    hrv_sdnn = serializers.FloatField(allow_null=True)
    vo2_max = serializers.FloatField(allow_null=True)
    recovery_score = serializers.IntegerField(allow_null=True)
    sleep_hours = serializers.FloatField(allow_null=True)
