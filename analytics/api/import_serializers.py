"""Input and documented answer of the activity import (import_views.py)."""

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from accounts.api.serializers import validate_timezone_name
from analytics.api.activity_serializers import ActivitySerializer


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True,
        help_text="FIT/GPX/TCX (≤ 25 MB), a zip of them, or an Apple Health export; detected from the content",
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


class ImportErrorSerializer(serializers.Serializer):
    file = serializers.CharField(help_text="The entry's path inside the archive")
    code = serializers.CharField(help_text="DUPLICATE_ACTIVITY, UNSUPPORTED_FILE, FILE_TOO_LARGE, CORRUPT_FILE, …")
    message = serializers.CharField()


class ImportJobSerializer(serializers.Serializer):
    import_id = serializers.CharField()
    kind = serializers.ChoiceField(choices=["archive", "apple_health"])
    status = serializers.ChoiceField(choices=["queued", "running", "done", "failed"])
    file_name = serializers.CharField()
    progress = serializers.FloatField(help_text="0–1: entries done (archive), bytes read (Apple Health)")
    total = serializers.IntegerField(help_text="Entries in the archive, or running workouts read so far")
    counts = inline_serializer(
        "ImportCounts",
        {name: serializers.IntegerField() for name in ("imported", "duplicate", "invalid", "wellness_days")},
    )
    errors = ImportErrorSerializer(many=True, help_text="Every entry not imported, with its reason")
    message = serializers.CharField(help_text="Why a failed job failed; empty otherwise")
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
