"""CSV written as a stream of bytes, safe to open in a spreadsheet.

Every CSV download of the API and the pages goes through `csv_chunks`: a header row, then the
rows, encoded as UTF-8 and yielded every `batch` rows, so a long answer never sits whole in
memory. Cells are guarded against formula injection by OWASP's rule (see `csv_cell`).
"""

import csv
import io
from collections.abc import Iterable, Iterator

# A text cell starting with one of these is read as a formula by Excel, LibreOffice or Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> object:
    """None → an empty cell; text starting like a formula → prefixed with `'` (OWASP, "CSV
    Injection"); numbers stay numbers (a negative number such as TSB -3.5 cannot be a formula)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_chunks(columns: tuple[str, ...], rows: Iterable[list], batch: int = 500) -> Iterator[bytes]:
    """The header row and `rows` (lists in the order of `columns`) as UTF-8 CSV with CRLF line
    ends (RFC 4180), one chunk per `batch` rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for count, row in enumerate(rows, start=1):
        writer.writerow([csv_cell(value) for value in row])
        if count % batch == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return data
