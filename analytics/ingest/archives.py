"""Archives of device files — what Garmin Connect's and Strava's bulk exports give: a zip of FIT,
GPX and TCX files, some gzip-compressed (Strava writes `activities/1234.fit.gz`).

Every entry is read with a hard size limit on what it inflates to, whatever its header claims,
so a zip bomb stops at the limit. Folders, macOS resource forks (`__MACOSX/`, `._name`) and hidden
files are not entries; anything else that is not an activity file is an entry with an error.
"""

import gzip
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from analytics.ingest.types import InvalidActivityFile

ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx")


@dataclass(frozen=True, slots=True)
class ArchiveEntry:
    name: str
    content: bytes | None = None
    error_code: str = ""
    error: str = ""


def _bounded(stream, limit: int) -> bytes | None:
    """At most `limit` bytes of the stream, or None when it holds more."""
    data = stream.read(limit + 1)
    return data if len(data) <= limit else None


def _is_entry(info: zipfile.ZipInfo) -> bool:
    base = info.filename.rsplit("/", 1)[-1]
    return not info.is_dir() and not info.filename.startswith("__MACOSX/") and not base.startswith(".")


def _entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> ArchiveEntry:
    name, lower = info.filename, info.filename.lower()
    compressed = lower.endswith(".gz")
    if not (lower[:-3] if compressed else lower).endswith(ACTIVITY_SUFFIXES):
        return ArchiveEntry(name, error_code="UNSUPPORTED_FILE", error="Not a FIT, GPX or TCX file.")
    too_large = ArchiveEntry(name, error_code="FILE_TOO_LARGE", error=f"Larger than {limit // (1024 * 1024)} MB.")
    try:
        with archive.open(info) as member:
            content = _bounded(member, limit)
        if content is not None and compressed:
            with gzip.GzipFile(fileobj=io.BytesIO(content)) as inflated:
                content = _bounded(inflated, limit)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        # RuntimeError: an encrypted entry; OSError/EOFError: a damaged one, or bad gzip data
        return ArchiveEntry(name, error_code="CORRUPT_FILE", error="This file in the archive is damaged.")
    return ArchiveEntry(name, content=content) if content is not None else too_large


def read_archive(source: BinaryIO, member_limit: int) -> tuple[int, Iterator[ArchiveEntry]]:
    """(number of entries, the entries in archive order). Raises InvalidActivityFile when the zip
    itself cannot be read."""
    try:
        archive = zipfile.ZipFile(source)
        infos = [info for info in archive.infolist() if _is_entry(info)]
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise InvalidActivityFile("This zip archive could not be read.", code="CORRUPT_FILE") from error

    def entries() -> Iterator[ArchiveEntry]:
        with archive:
            for info in infos:
                yield _entry(archive, info, member_limit)

    return len(infos), entries()


ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a zip's first entry, or an empty zip
HEAD_BYTES = 256 * 1024  # Apple's DTD header alone is ~12 KB


def bulk_kind(upload: BinaryIO) -> str | None:
    """ "apple_health" (the Health app's export.zip, or its export.xml), "archive" (any other zip:
    device files), or None (a single device file). Reads the head only; the stream is rewound."""
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    try:
        if head[:4] in ZIP_MAGIC:
            try:
                names = zipfile.ZipFile(upload).namelist()
            except (zipfile.BadZipFile, OSError, ValueError):
                return "archive"  # damaged: the job says so
            return "apple_health" if any(name.rsplit("/", 1)[-1] == "export.xml" for name in names) else "archive"
        return "apple_health" if b"<HealthData" in head else None
    finally:
        upload.seek(0)
