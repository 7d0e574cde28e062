"""Downloads the API and the pages serve alike (view-level: it builds an HTTP response)."""

from collections.abc import Iterable

from django.http import StreamingHttpResponse

from analytics.csv_columns import ACTIVITY_CSV_COLUMNS, ROSTER_CSV_COLUMNS, WELLNESS_CSV_COLUMNS
from analytics.record_params import ActivityFilters
from analytics.selectors.csv_rows import activity_csv_rows, roster_csv_rows, wellness_csv_rows
from analytics.selectors.export import export_filename, user_export_chunks
from analytics.selectors.roster import RosterFilters
from astral.csv_stream import csv_chunks


def export_response(user) -> StreamingHttpResponse:
    """The streamed zip of everything the user owns (`GET users/me/export`, "Export my data")."""
    response = StreamingHttpResponse(user_export_chunks(user), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{export_filename(user)}"'
    response["Cache-Control"] = "no-store"
    return response


def csv_response(columns: tuple[str, ...], rows: Iterable[list], filename: str) -> StreamingHttpResponse:
    """A streamed `text/csv; charset=utf-8` attachment (`filename` holds only [A-Za-z0-9_.-])."""
    response = StreamingHttpResponse(csv_chunks(columns, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def roster_csv_response(organization, filters: RosterFilters, sort: str = "", descending: bool = True):
    """The roster as filtered, every matching athlete: `athletes-<org_id>.csv`."""
    rows = roster_csv_rows(organization, filters, sort=sort, descending=descending)
    return csv_response(ROSTER_CSV_COLUMNS, rows, f"athletes-{organization.public_id}.csv")


def activities_csv_response(athlete, filters: ActivityFilters):
    """The athlete's activities matching `filters`, newest first: `activities-<user_id>.csv`."""
    return csv_response(
        ACTIVITY_CSV_COLUMNS, activity_csv_rows(athlete, filters), f"activities-{athlete.public_id}.csv"
    )


def wellness_csv_response(athlete, first, last):
    """The athlete's wellness days: `wellness-<user_id>-<from>-<to>.csv`."""
    filename = f"wellness-{athlete.public_id}-{first.isoformat()}-{last.isoformat()}.csv"
    return csv_response(WELLNESS_CSV_COLUMNS, wellness_csv_rows(athlete, first, last), filename)
