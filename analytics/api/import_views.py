"""POST activities/import: a FIT, GPX or TCX file as multipart field `file`."""

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework.views import APIView

from analytics.api.import_serializers import ImportedActivitySerializer, ImportSerializer
from analytics.presentation import activity_payload
from analytics.services.imports import activity_import
from astral.api.auth import IsPerson
from astral.api.envelope import ok
from astral.api.hostile_input import StrictMultiPartParser
from astral.api.schema import envelope, errors
from astral.exceptions import TooLarge


class ActivityImportView(APIView):
    permission_classes = [IsPerson]
    parser_classes = [StrictMultiPartParser]

    @extend_schema(
        tags=["activities"],
        request={"multipart/form-data": ImportSerializer},
        responses={
            201: envelope("ActivityImported", ImportedActivitySerializer()),
            **errors(400, 401, 403, 409),
            413: errors(400)[400],
        },
    )
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is not None and upload.size > settings.MAX_IMPORT_FILE_BYTES:
            raise TooLarge("The file is larger than 25 MB.", "FILE_TOO_LARGE", field="file")
        data = ImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        activity, parsed = activity_import(
            user=request.user, content=upload.read(), timezone_name=data.validated_data.get("timezone", "")
        )
        payload = activity_payload(activity, request.user.public_id, request.user.timezone, bool(parsed.samples))
        payload["import"] = {
            "format": parsed.source_format,
            "samples": len(parsed.samples),
            "notes": list(parsed.notes),
        }
        return ok(payload, status=201)
