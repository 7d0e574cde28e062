"""`GET users/me/export`: the caller's data as a zip, streamed (analytics.selectors.export)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.views import APIView

from analytics.downloads import export_response
from astral.api.auth import IsPerson
from astral.api.schema import errors


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
