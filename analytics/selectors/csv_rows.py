"""The rows of the CSV answers, read in batches so the number of queries does not grow with the
rows of a batch: the roster as filtered (every matching athlete, not one page), an athlete's
activities and wellness days. Each row is built from the JSON payload of the same row
(analytics.csv_columns), so a CSV cell never disagrees with the API.
"""

from collections.abc import Iterator
from datetime import date

from analytics.csv_columns import (
    ACTIVITY_CSV_COLUMNS,
    WELLNESS_CSV_COLUMNS,
    payload_csv_row,
    roster_csv_row,
)
from analytics.presentation import activity_payload, athlete_row_payload, wellness_payload
from analytics.record_params import ActivityFilters
from analytics.selectors.records import activities_of, wellness_of
from analytics.selectors.roster import RosterFilters, roster_memberships, roster_rows
from organizations.models import Organization

ROSTER_CSV_BATCH = 200  # athletes per batch: the roster's own page size
RECORDS_CSV_BATCH = 500  # activities or wellness days per database round trip


def roster_csv_rows(
    organization: Organization, filters: RosterFilters, sort: str = "", descending: bool = True
) -> Iterator[list]:
    """Every athlete of the roster matching `filters`, in the roster's order: one query for the
    ordered membership ids, then per batch of ROSTER_CSV_BATCH the queries of one roster page."""
    ordered = roster_memberships(organization, filters, sort=sort, descending=descending)
    ids = list(ordered.values_list("pk", flat=True))
    for offset in range(0, len(ids), ROSTER_CSV_BATCH):
        batch = ids[offset : offset + ROSTER_CSV_BATCH]
        # The roster's own query (its joins and annotations) narrowed to the batch.
        by_id = {membership.pk: membership for membership in ordered.filter(pk__in=batch)}
        rows = roster_rows(organization, [by_id[pk] for pk in batch if pk in by_id])
        for row in rows:
            yield roster_csv_row(athlete_row_payload(row))


def activity_csv_rows(athlete, filters: ActivityFilters) -> Iterator[list]:
    """The athlete's activities matching `filters`, newest first (as `GET activities`), in one
    query read RECORDS_CSV_BATCH rows at a time."""
    activities = activities_of(athlete, start=filters.start, end=filters.end, sport=filters.sport)
    for activity in activities.iterator(chunk_size=RECORDS_CSV_BATCH):
        payload = activity_payload(activity, athlete.public_id, athlete.timezone, activity.has_samples)
        yield payload_csv_row(payload, ACTIVITY_CSV_COLUMNS)


def wellness_csv_rows(athlete, first: date, last: date) -> Iterator[list]:
    """The athlete's wellness days from `first` to `last` (local dates, inclusive), by date."""
    for day in wellness_of(athlete, first=first, last=last).iterator(chunk_size=RECORDS_CSV_BATCH):
        yield payload_csv_row(wellness_payload(day), WELLNESS_CSV_COLUMNS)
