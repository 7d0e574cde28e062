"""Input and documented answer of the activity import (import_views.py)."""

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from accounts.api.serializers import validate_timezone_name
from analytics.api.activity_serializers import ActivitySerializer


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True, help_text="FIT, GPX or TCX; detected from the content; at most 25 MB"
    )
    timezone = serializers.CharField(
        required=False, allow_blank=True, validators=[validate_timezone_name], help_text="Where it was recorded (IANA)"
    )


class ImportedActivitySerializer(ActivitySerializer):
    # `import` is a keyword, so the field is declared through the class namespace.
    locals()["import"] = inline_serializer(
        "ImportDetails",
        {
            "format": serializers.ChoiceField(choices=["fit", "gpx", "tcx"]),
            "samples": serializers.IntegerField(),
            "notes": serializers.ListField(child=serializers.CharField()),
        },
    )
