"""`GET users/me/export`: the caller's data as a zip, streamed (analytics.selectors.export)."""

from django.http import StreamingHttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.views import APIView

from analytics.selectors.export import export_filename, user_export_chunks
from astral.api.auth import IsPerson
from astral.api.schema import errors


def export_response(user) -> StreamingHttpResponse:
    """The streamed zip download, shared by the API and the web page."""
    response = StreamingHttpResponse(user_export_chunks(user), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{export_filename(user)}"'
    response["Cache-Control"] = "no-store"
    return response


class UserExportView(APIView):
    permission_classes = [IsPerson]

    @extend_schema(
        tags=["users"],
        summary="Export all of the caller's data (GDPR art. 20)",
        description="A zip with profile.json, activities.csv, wellness.csv, goals.json and memberships.json.",
        responses={
            (200, "application/zip"): OpenApiResponse(
                {"type": "string", "format": "binary"}, description="The zip archive"
            ),
            **errors(401, 403),
        },
    )
    def get(self, request):
        return export_response(request.user)
