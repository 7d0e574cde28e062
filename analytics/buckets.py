"""Time buckets for every analytics series: one GROUP BY in the database, then a zero-fill that
walks buckets (never activities).

Buckets are local to a time zone (see astral.local_time for which one applies):
- `day`: a local calendar day;
- `week`: an ISO week (Monday start), labelled by its Monday — also when the range starts
  mid-week, the first bucket is labelled by the Monday before;
- `month`: a calendar month, labelled by its first day.
A bucket's `date` is its first local day. Every bucket of the range is present.
"""

from collections.abc import Callable
from datetime import date, timedelta, tzinfo

from django.db.models import DateField
from django.db.models.functions import Trunc, TruncDate

GRANULARITIES = ("day", "week", "month")


def bucket_start(day: date, granularity: str) -> date:
    if granularity == "day":
        return day
    if granularity == "week":
        return day - timedelta(days=day.weekday())
    if granularity == "month":
        return day.replace(day=1)
    raise ValueError(f"unknown granularity {granularity!r}")


def next_bucket(start: date, granularity: str) -> date:
    if granularity == "day":
        return start + timedelta(days=1)
    if granularity == "week":
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def bucket_labels(first: date, last: date, granularity: str) -> list[date]:
    """Every bucket that overlaps [first, last], by its label (first day)."""
    labels, current = [], bucket_start(first, granularity)
    while current <= last:
        labels.append(current)
        current = next_bucket(current, granularity)
    return labels


def local_bucket(field: str, granularity: str, zone: tzinfo):
    """The SQL expression of the local bucket of a datetime column, as a DATE.

    TruncDate/Trunc with `tzinfo` convert to the zone in the database (PostgreSQL: AT TIME ZONE;
    SQLite: Django's registered functions), so DST and offsets are handled per row."""
    if granularity == "day":
        return TruncDate(field, tzinfo=zone)
    return Trunc(field, granularity, output_field=DateField(), tzinfo=zone)


def date_bucket(field: str, granularity: str):
    """The bucket of a DATE column (wellness days are already local)."""
    if granularity == "day":
        return Trunc(field, "day", output_field=DateField())
    return Trunc(field, granularity, output_field=DateField())


def aggregate_buckets(queryset, bucket_expression, **aggregates) -> dict[date, dict]:
    """One GROUP BY: {bucket label: {aggregate name: value}}."""
    rows = queryset.annotate(bucket=bucket_expression).values("bucket").annotate(**aggregates).order_by()
    return {_as_date(row.pop("bucket")): row for row in rows}


def zero_filled(
    labels: list[date], rows: dict[date, dict], make_point: Callable[[date, dict | None], dict]
) -> list[dict]:
    """One point per label; `make_point(label, row or None)` fills the empty ones."""
    return [make_point(label, rows.get(label)) for label in labels]


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value
