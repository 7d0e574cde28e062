"""Import jobs: an archive of device files, or an Apple Health export, imported in the background
(the export's own steps: `analytics.services.health_import`). Archives go file by file.

`import_job_create` stores the upload (default storage, MEDIA_ROOT) and queues `run_import` after
commit. `import_job_run` claims the job, then imports each entry in its own transaction through
the same `activity_import` as a single upload: a file is stored whole or not at all, and is
counted `imported`, `duplicate` (already stored: same file, or same start and sport) or `invalid`
(with the reason). Progress is saved after every entry, so a run that dies (a killed worker) is
resumed after the last entry done — by the redelivered task, or by the next `resume_import_jobs`
sweep — without counting anything twice.
"""

import logging
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import PurePath

from django.conf import settings
from django.db.models import Q

from accounts.models import User
from analytics.ingest.archives import read_archive
from analytics.ingest.types import InvalidActivityFile
from analytics.models import ImportJob, ImportKind, ImportStatus
from analytics.services.health_import import health_export_run
from analytics.services.imports import activity_import
from astral.exceptions import Conflict, InvalidInput

logger = logging.getLogger("astral.imports")

STALE_AFTER = timedelta(minutes=10)  # a running job silent this long has lost its worker
COUNTS = ("imported", "duplicate", "invalid", "wellness_days")


def import_job_create(*, user: User, upload, kind: str, timezone_name: str = "") -> ImportJob:
    from analytics.tasks import run_import
    from astral.celery import enqueue_on_commit

    job = ImportJob(
        user=user,
        kind=kind,
        file_name=PurePath(upload.name or "archive.zip").name[:255],
        timezone=timezone_name,
        counts=dict.fromkeys(COUNTS, 0),
    )
    job.upload.save(f"{secrets.token_hex(16)}.upload", upload, save=False)
    job.save()
    enqueue_on_commit(run_import, job.pk)
    return job


def _claim(job_pk: int, now: datetime) -> ImportJob | None:
    """Take the job: queued, or running but silent for STALE_AFTER (its worker is gone)."""
    claimable = Q(status=ImportStatus.QUEUED) | Q(status=ImportStatus.RUNNING, updated_at__lt=now - STALE_AFTER)
    if not ImportJob.objects.filter(claimable, pk=job_pk).update(status=ImportStatus.RUNNING, updated_at=now):
        return None
    return ImportJob.objects.select_related("user").get(pk=job_pk)


def _finish(job: ImportJob, status: str, message: str = "") -> None:
    job.status, job.message, job.finished_at = status, message, datetime.now(UTC)
    job.save(update_fields=["status", "message", "finished_at", "updated_at"])
    if job.upload:
        job.upload.delete(save=False)  # the upload is not kept once the job ended
        ImportJob.objects.filter(pk=job.pk).update(upload="")


def _import_entry(job: ImportJob, entry) -> tuple[str, dict | None]:
    """('imported' | 'duplicate' | 'invalid', the error row or None)."""
    if entry.error_code:
        return "invalid", {"file": entry.name, "code": entry.error_code, "message": entry.error}
    try:
        activity_import(user=job.user, content=entry.content, timezone_name=job.timezone)
    except Conflict as conflict:
        return "duplicate", {"file": entry.name, "code": conflict.code, "message": conflict.message}
    except InvalidInput as invalid:
        code = invalid.extra.get("reason") or invalid.code
        return "invalid", {"file": entry.name, "code": code, "message": invalid.message}
    return "imported", None


def _save(job: ImportJob) -> None:
    job.save(update_fields=["total", "processed", "progress", "counts", "errors", "updated_at"])


def _run_archive(job: ImportJob) -> None:
    with job.upload.open("rb") as source:
        total, entries = read_archive(source, settings.MAX_IMPORT_FILE_BYTES)
        job.total = total
        for index, entry in enumerate(entries):
            if index < job.processed:
                continue  # done by an earlier run
            outcome, error = _import_entry(job, entry)
            job.counts[outcome] = job.counts.get(outcome, 0) + 1
            if error:
                job.errors.append(error)
            job.processed, job.progress = index + 1, round((index + 1) / total, 4)
            _save(job)


def import_job_run(job_pk: int, *, now: datetime | None = None) -> ImportJob | None:
    """Run (or resume) the job; None when another run holds it or it has ended."""
    job = _claim(job_pk, now or datetime.now(UTC))
    if job is None:
        return None
    try:
        if job.kind == ImportKind.APPLE_HEALTH:
            health_export_run(job, _save)
        else:
            _run_archive(job)
    except InvalidActivityFile as unreadable:
        _finish(job, ImportStatus.FAILED, unreadable.message)
        return job
    except FileNotFoundError:
        _finish(job, ImportStatus.FAILED, "The uploaded file is gone from the server's storage.")
        return job
    job.progress = 1.0
    _save(job)
    _finish(job, ImportStatus.DONE)
    logger.info("Import %s done: %s", job.public_id, job.counts)
    return job


def stalled_import_job_pks(now: datetime) -> list[int]:
    """Jobs queued but never started (the broker was down) or running with a dead worker."""
    stalled = Q(status=ImportStatus.QUEUED, created_at__lt=now - timedelta(minutes=5)) | Q(
        status=ImportStatus.RUNNING, updated_at__lt=now - STALE_AFTER
    )
    return list(ImportJob.objects.filter(stalled).values_list("pk", flat=True))
