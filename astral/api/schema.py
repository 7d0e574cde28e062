"""OpenAPI helpers: the envelope and the error body as reusable schema components."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers

from astral.local_time import MAX_OFFSET_MINUTES, MIN_OFFSET_MINUTES
from astral.paging import DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE


class ErrorDetailsSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable code, e.g. VALIDATION codes like REQUIRED")
    field = serializers.CharField(required=False, help_text="The bad parameter, for 400s")
    # The extra details some errors carry (docs/api.md names each with its code):
    org_id = serializers.CharField(required=False, help_text="409 LAST_ADMIN: the organization left without admin")
    activity_id = serializers.CharField(required=False, help_text="409 DUPLICATE_ACTIVITY: the activity already stored")
    reason = serializers.CharField(required=False, help_text="400 INVALID_FILE: why the file could not be read")
    retry_after = serializers.IntegerField(
        required=False, help_text="429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE: seconds to wait (also Retry-After)"
    )
    request_id = serializers.CharField(required=False, help_text="500 INTERNAL_ERROR: this request's X-Request-ID")


class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField(help_text="Human-readable message")
    details = ErrorDetailsSerializer()


def envelope(name: str, data) -> serializers.Serializer:
    """Schema of `{"status": "ok", "data": <data>}`; `data` is a serializer (instance) or field.
    The component is named `<name>Response` so it never collides with a data serializer."""
    return inline_serializer(
        name=f"{name}Response",
        fields={"status": serializers.CharField(default="ok"), "data": data},
    )


class PaginationSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    per_page = serializers.IntegerField()
    total_pages = serializers.IntegerField()
    has_next = serializers.BooleanField()
    has_prev = serializers.BooleanField()


def page_parameters(default_per_page: int = DEFAULT_PER_PAGE) -> list[OpenApiParameter]:
    """`page` and `per_page` as astral.paging.page_params() reads them (out of range → 400)."""
    return [
        OpenApiParameter("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, description="Default 1"),
        OpenApiParameter(
            "per_page",
            {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            description=f"Default {default_per_page}, at most {MAX_PER_PAGE}",
        ),
    ]


# `timezone_offset_minutes` as astral.local_time.zone_from_offset() reads it.
OFFSET_MINUTES = {"type": "integer", "minimum": MIN_OFFSET_MINUTES, "maximum": MAX_OFFSET_MINUTES}


def paginated_envelope(name: str, data) -> serializers.Serializer:
    """Schema of `{"status": "ok", "data": [...], "meta": {"pagination": {...}}}` (a paged list)."""
    return inline_serializer(
        name,
        {
            "status": serializers.CharField(),
            "data": data,
            "meta": inline_serializer(f"{name.removesuffix('Response')}Meta", {"pagination": PaginationSerializer()}),
        },
    )


def errors(*codes: int) -> dict:
    descriptions = {
        400: "Validation error (details.field names the parameter)",
        401: "Missing, invalid, expired or revoked credentials",
        403: "Authenticated but not allowed",
        404: "No such resource",
        409: "Duplicate",
        429: "Too many attempts",
    }
    return {code: OpenApiResponse(ErrorSerializer, description=descriptions[code]) for code in codes}


def csv_format_parameter(what: str) -> OpenApiParameter:
    """`format` as astral.params.format_param reads it (anything else → 400 INVALID_CHOICE)."""
    return OpenApiParameter(
        "format",
        str,
        enum=["json", "csv"],
        description=f'Default "json". "csv": text/csv attachment, streamed — {what}; columns in docs/api.md',
    )


def with_csv(json_response, description: str) -> dict:
    """The 200 of an endpoint that also answers `format=csv`: its JSON envelope and the CSV text."""
    return {
        (200, "application/json"): json_response,
        (200, "text/csv"): OpenApiResponse(
            {"type": "string"}, description=f"{description} (format=csv): a header row, then one row each"
        ),
    }
