"""Time buckets: labels, and the database GROUP BY on local days/weeks/months (both engines)."""

import zoneinfo
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from django.db.models import Count, Sum

from analytics.buckets import aggregate_buckets, bucket_labels, local_bucket, zero_filled
from analytics.models import Activity
from tests.factories import ActivityFactory, UserFactory

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def test_week_labels_start_on_the_monday_before_a_midweek_start():
    assert bucket_labels(date(2026, 11, 18), date(2026, 12, 2), "week") == [
        date(2026, 11, 16),
        date(2026, 11, 23),
        date(2026, 11, 30),
    ]


def test_month_labels_across_a_year_end():
    assert bucket_labels(date(2026, 11, 15), date(2027, 2, 1), "month") == [
        date(2026, 11, 1),
        date(2026, 12, 1),
        date(2027, 1, 1),
        date(2027, 2, 1),
    ]


def test_day_labels_include_both_ends():
    labels = bucket_labels(date(2026, 3, 28), date(2026, 3, 30), "day")
    assert labels == [date(2026, 3, 28), date(2026, 3, 29), date(2026, 3, 30)]


def test_zero_fill_walks_labels():
    rows = {date(2026, 1, 2): {"n": 3}}
    points = zero_filled(
        bucket_labels(date(2026, 1, 1), date(2026, 1, 3), "day"),
        rows,
        lambda d, r: {"date": d, "n": r["n"] if r else 0},
    )
    assert [p["n"] for p in points] == [0, 3, 0]


def buckets(user, granularity, zone):
    return aggregate_buckets(
        Activity.objects.filter(user=user),
        local_bucket("start_time", granularity, zone),
        distance=Sum("distance"),
        n=Count("pk"),
    )


@pytest.mark.django_db
def test_local_days_around_midnight_in_three_zones():
    user = UserFactory()
    # 2026-11-19T14:30Z = 23:30 in Tokyo (19th); 15:30Z = 00:30 on the 20th in Tokyo.
    ActivityFactory(user=user, start_time=datetime(2026, 11, 19, 14, 30, tzinfo=UTC), distance=1000)
    ActivityFactory(user=user, start_time=datetime(2026, 11, 19, 15, 30, tzinfo=UTC), distance=2000)
    # 2026-11-20T04:30Z = 23:30 on the 19th in New York (EST, UTC−5).
    ActivityFactory(user=user, start_time=datetime(2026, 11, 20, 4, 30, tzinfo=UTC), distance=4000)

    tokyo = buckets(user, "day", TOKYO)
    assert {d: r["distance"] for d, r in tokyo.items()} == {date(2026, 11, 19): 1000, date(2026, 11, 20): 6000}
    new_york = buckets(user, "day", NEW_YORK)
    assert {d: r["distance"] for d, r in new_york.items()} == {date(2026, 11, 19): 7000}
    utc = buckets(user, "day", UTC)
    assert {d: r["distance"] for d, r in utc.items()} == {date(2026, 11, 19): 3000, date(2026, 11, 20): 4000}
    # Legacy offsets (minutes east): +540 is Tokyo's offset.
    fixed = buckets(user, "day", timezone(timedelta(minutes=540)))
    assert fixed == tokyo


@pytest.mark.django_db
def test_dst_change_in_berlin():
    user = UserFactory()
    # Clocks go forward on 2026-03-29 at 01:00 UTC (02:00 CET → 03:00 CEST).
    ActivityFactory(user=user, start_time=datetime(2026, 3, 28, 22, 30, tzinfo=UTC), distance=1000)  # 23:30 CET, 28th
    ActivityFactory(user=user, start_time=datetime(2026, 3, 28, 23, 30, tzinfo=UTC), distance=2000)  # 00:30 CET, 29th
    ActivityFactory(user=user, start_time=datetime(2026, 3, 29, 21, 30, tzinfo=UTC), distance=4000)  # 23:30 CEST, 29th
    ActivityFactory(user=user, start_time=datetime(2026, 3, 29, 22, 30, tzinfo=UTC), distance=8000)  # 00:30 CEST, 30th
    days = {d: r["distance"] for d, r in buckets(user, "day", BERLIN).items()}
    assert days == {date(2026, 3, 28): 1000, date(2026, 3, 29): 6000, date(2026, 3, 30): 8000}


@pytest.mark.django_db
def test_iso_weeks_and_months_are_local():
    user = UserFactory()
    # Sunday 2026-11-22 23:30 in Berlin (22:30Z) → week of Monday 2026-11-16;
    # Monday 2026-11-23 00:30 in Berlin (23:30Z on the 22nd) → week of 2026-11-23.
    ActivityFactory(user=user, start_time=datetime(2026, 11, 22, 22, 30, tzinfo=UTC), distance=1000)
    ActivityFactory(user=user, start_time=datetime(2026, 11, 22, 23, 30, tzinfo=UTC), distance=2000)
    # 2026-10-31T23:30Z is 00:30 on 1 November in Berlin (CET after 25 October).
    ActivityFactory(user=user, start_time=datetime(2026, 10, 31, 23, 30, tzinfo=UTC), distance=4000)
    weeks = {d: r["distance"] for d, r in buckets(user, "week", BERLIN).items()}
    assert weeks == {date(2026, 11, 16): 1000, date(2026, 11, 23): 2000, date(2026, 10, 26): 4000}
    months = {d: r["distance"] for d, r in buckets(user, "month", BERLIN).items()}
    assert months == {date(2026, 11, 1): 7000}
    utc_months = {d: r["distance"] for d, r in buckets(user, "month", UTC).items()}
    assert utc_months == {date(2026, 10, 1): 4000, date(2026, 11, 1): 3000}
