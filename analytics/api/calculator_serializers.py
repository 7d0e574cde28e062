"""Documented shape of the race calculator (calculator_views.py)."""

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers


class PaceRangeSerializer(serializers.Serializer):
    fast = serializers.CharField()
    slow = serializers.CharField()


RACE_CALCULATION = inline_serializer(
    "RaceCalculation",
    {
        "distance": serializers.FloatField(),
        "time": serializers.FloatField(),
        "vdot": serializers.FloatField(),
        "equivalents": inline_serializer(
            "RaceEquivalents",
            {name: serializers.IntegerField() for name in ("1500m", "mile", "5k", "10k", "half_marathon", "marathon")},
        ),
        "training_paces": inline_serializer(
            "TrainingPaces",
            # E is a range; M, T, I and R are single paces (Daniels' table), all M:SS per km.
            {"E": PaceRangeSerializer(), **{zone: serializers.CharField() for zone in ("M", "T", "I", "R")}},
        ),
    },
)
