"""POST activities/import: a FIT, GPX or TCX file as multipart field `file` (201, imported now), or
a zip archive of them or an Apple Health export (202, an import job); GET imports/{import_id}:
the job's progress."""

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework.views import APIView

from analytics.api.import_serializers import ImportedActivitySerializer, ImportJobSerializer, ImportSerializer
from analytics.ingest.archives import bulk_kind
from analytics.presentation import activity_payload, import_job_payload
from analytics.selectors import records as selectors
from analytics.services.import_jobs import import_job_create
from analytics.services.imports import activity_import
from astral.api.auth import IsPerson
from astral.api.envelope import ok
from astral.api.hostile_input import StrictMultiPartParser
from astral.api.schema import envelope, errors
from astral.exceptions import NotFound, TooLarge


class ActivityImportView(APIView):
    permission_classes = [IsPerson]
    parser_classes = [StrictMultiPartParser]

    @extend_schema(
        tags=["activities"],
        request={"multipart/form-data": ImportSerializer},
        responses={
            201: envelope("ActivityImported", ImportedActivitySerializer()),
            202: envelope("ImportQueued", ImportJobSerializer()),
            **errors(400, 401, 403, 409),
            413: errors(400)[400],
        },
    )
    def post(self, request):
        upload = request.FILES.get("file")
        kind = bulk_kind(upload) if upload is not None else None
        if kind and upload.size > settings.MAX_IMPORT_ARCHIVE_BYTES:
            limit = settings.MAX_IMPORT_ARCHIVE_BYTES // (1024 * 1024)
            raise TooLarge(f"The upload is larger than {limit} MB.", "FILE_TOO_LARGE", field="file")
        if not kind and upload is not None and upload.size > settings.MAX_IMPORT_FILE_BYTES:
            raise TooLarge("The file is larger than 25 MB.", "FILE_TOO_LARGE", field="file")
        data = ImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        timezone_name = data.validated_data.get("timezone", "")
        if kind:
            job = import_job_create(user=request.user, upload=upload, kind=kind, timezone_name=timezone_name)
            return ok(import_job_payload(job), status=202)
        activity, parsed = activity_import(user=request.user, content=upload.read(), timezone_name=timezone_name)
        payload = activity_payload(activity, request.user.public_id, request.user.timezone, bool(parsed.samples))
        payload["import"] = {
            "format": parsed.source_format,
            "samples": len(parsed.samples),
            "notes": list(parsed.notes),
        }
        return ok(payload, status=201)


class ImportJobView(APIView):
    permission_classes = [IsPerson]

    @extend_schema(
        tags=["activities"], responses={200: envelope("ImportJob", ImportJobSerializer()), **errors(401, 403, 404)}
    )
    def get(self, request, import_id: str):
        """The caller's own import job; anyone else's is "not found" (its existence is not told)."""
        job = selectors.import_job_of(request.user, import_id)
        if job is None:
            raise NotFound(f"Import '{import_id}' not found.", "IMPORT_NOT_FOUND")
        return ok(import_job_payload(job))
