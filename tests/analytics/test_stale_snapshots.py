"""The hourly refresh rebuilds only stale snapshots: missing, older than the athlete's data, or of
another local day than the athlete's today — in a number of queries that does not depend on the
athletes or their time zones."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.services import user_data_changed
from analytics.models import MetricsSnapshot
from analytics.selectors.stale_snapshots import stale_snapshot_athletes
from analytics.services.snapshots import athlete_snapshots_refresh
from analytics.tasks import refresh_all_metrics, refresh_metrics_batch
from tests.factories import TWELVE_ZONES, ActivityFactory, CoachFactory, UserFactory

pytestmark = pytest.mark.django_db

# Thursday 2026-11-19 12:00 UTC: 21:00 in Tokyo, 07:00 in New York.
NOW = datetime(2026, 11, 19, 12, 0, tzinfo=UTC)


def stale_names(now) -> set[str]:
    return set(stale_snapshot_athletes(now).values_list("username", flat=True))


def test_missing_outdated_and_day_turned_snapshots_are_stale_fresh_ones_are_not():
    fresh_utc = UserFactory(username="fresh-utc", timezone="UTC")
    fresh_tokyo = UserFactory(username="fresh-tokyo", timezone="Asia/Tokyo")
    fresh_no_zone = UserFactory(username="fresh-no-zone", timezone="")
    outdated = UserFactory(username="outdated", timezone="UTC")
    UserFactory(username="never-built", timezone="UTC")
    UserFactory(username="inactive", is_active=False)
    CoachFactory(username="a-coach")  # coaches have no snapshot to keep
    athlete_snapshots_refresh(users=[fresh_utc, fresh_tokyo, fresh_no_zone, outdated], now=NOW)
    ActivityFactory(user=outdated, start_time=NOW - timedelta(hours=1))
    user_data_changed(user_ids=[outdated.pk], queue_refresh=False)

    assert stale_names(NOW) == {"outdated", "never-built"}
    # 15:30 UTC is 00:30 the next day in Tokyo only: its athlete's "today" rolled over.
    assert stale_names(NOW + timedelta(hours=3, minutes=30)) == {"outdated", "never-built", "fresh-tokyo"}
    # The next UTC day: every built snapshot is of yesterday.
    assert stale_names(NOW + timedelta(days=1)) == {
        "outdated",
        "never-built",
        "fresh-tokyo",
        "fresh-utc",
        "fresh-no-zone",
    }


@pytest.mark.django_db(transaction=True)  # the services pass's worker reads the rows on its own connection
def test_the_hourly_fan_out_rebuilds_only_the_stale(tasks):
    fresh = UserFactory(timezone="UTC")
    stale = UserFactory(timezone="UTC")
    now = datetime.now(UTC)
    athlete_snapshots_refresh(users=[fresh, stale], now=now)
    built_at = MetricsSnapshot.objects.get(user=fresh).computed_at
    user_data_changed(user_ids=[stale.pk], queue_refresh=False)

    assert refresh_all_metrics() == 1  # one batch, of the stale one
    tasks.settle()
    assert MetricsSnapshot.objects.get(user=fresh).computed_at == built_at
    stale.refresh_from_db()
    assert MetricsSnapshot.objects.get(user=stale).data_version == stale.data_version
    assert refresh_all_metrics() == 0  # nothing left to do
    assert refresh_metrics_batch([fresh.pk, stale.pk]) == 0  # a batch skips what a read rebuilt since


def test_finding_the_stale_costs_the_same_for_one_zone_or_twelve():
    def count(zones):
        users = [UserFactory(timezone=zone) for zone in zones]
        athlete_snapshots_refresh(users=users[::2], now=NOW)
        with CaptureQueriesContext(connection) as ctx:
            list(stale_snapshot_athletes(NOW))
        return len(ctx.captured_queries)

    assert count(["Europe/Berlin"]) == count(TWELVE_ZONES * 10)
