"""Tell FIT, GPX and TCX apart by their content — never by the file name.

- FIT: bytes 8–11 of the file header are ASCII ".FIT" (Garmin FIT SDK, "IsFIT()").
- GPX / TCX: XML whose root element is `gpx` / `TrainingCenterDatabase` (namespace ignored).
  A UTF-8 byte-order mark and leading whitespace are tolerated and stripped.

XML safety: a document with a DOCTYPE is refused. Entities can only be declared inside a DOCTYPE,
so refusing it rules out entity-expansion bombs ("billion laughs") and external entities before
gpxpy or ElementTree ever see the bytes. The check stops at the root element, so it is cheap.
"""

import enum
import xml.parsers.expat
from typing import NamedTuple

from analytics.ingest.types import InvalidActivityFile

UTF8_BOM = b"\xef\xbb\xbf"
XML_WHITESPACE = b" \t\r\n"
NOT_AN_ACTIVITY_FILE = (
    "This file is not a FIT, GPX or TCX file, so it cannot be imported. "
    "Export the activity from your watch or app as .fit, .gpx or .tcx and upload that file."
)


class FileFormat(enum.StrEnum):
    FIT = "fit"
    GPX = "gpx"
    TCX = "tcx"


class DetectedFile(NamedTuple):
    format: FileFormat
    payload: bytes  # the bytes to hand to the format's parser (BOM and leading whitespace removed)


XML_ROOTS = {"gpx": FileFormat.GPX, "TrainingCenterDatabase": FileFormat.TCX}


class _RootFound(Exception):
    def __init__(self, name: str) -> None:
        self.name = name


class _DoctypeFound(Exception):
    def __init__(self, name: str) -> None:
        self.name = name


def detect_format(data: bytes) -> DetectedFile:
    """The format of `data`, or InvalidActivityFile when it is none of FIT, GPX, TCX."""
    if len(data) >= 12 and data[8:12] == b".FIT":
        return DetectedFile(FileFormat.FIT, data)
    payload = data.removeprefix(UTF8_BOM).lstrip(XML_WHITESPACE)
    root = xml_root_name(payload)
    if root not in XML_ROOTS:
        raise InvalidActivityFile(NOT_AN_ACTIVITY_FILE, code="UNSUPPORTED_FORMAT")
    return DetectedFile(XML_ROOTS[root], payload)


def xml_root_name(payload: bytes) -> str | None:
    """The local name of the root element of an XML document, None when `payload` is not XML.

    Raises InvalidActivityFile for a GPX/TCX-looking document that carries a DOCTYPE."""
    if not payload.startswith(b"<") and not payload.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # quick exit for JSON, CSV, binary junk; UTF-16 XML starts with its BOM
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")

    def on_start_element(name, _attributes):
        raise _RootFound(name.rsplit(" ", 1)[-1])

    def on_doctype(name, *_rest):
        raise _DoctypeFound(name or "")

    parser.StartElementHandler = on_start_element
    parser.StartDoctypeDeclHandler = on_doctype
    try:
        parser.Parse(payload, True)
    except _RootFound as found:
        return found.name
    except _DoctypeFound as found:
        if found.name.rsplit(":", 1)[-1] in XML_ROOTS:
            raise InvalidActivityFile(
                "This file declares a DOCTYPE, which activity files never need; it was refused for safety. "
                "Export the activity again from your watch or app.",
                code="UNSUPPORTED_FORMAT",
            ) from None
        return None
    except (xml.parsers.expat.ExpatError, ValueError, LookupError):
        return None  # not well-formed before the root element: not an XML activity file
    return None
