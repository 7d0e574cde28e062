"""Metrics snapshots: a built scenario, freshness, batch query budget, insights, tasks, command."""

import zoneinfo
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from accounts.services import user_data_changed
from analytics.cache import refresh_pending_key
from analytics.models import Activity, DailyWellness, Insight, MetricsSnapshot
from analytics.services.snapshots import athlete_snapshot_fresh, athlete_snapshots_refresh
from analytics.tasks import refresh_athlete_metrics
from tests.factories import (
    TWELVE_ZONES,
    ActivityFactory,
    DailyWellnessFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)
from tests.faults import broker_down

pytestmark = pytest.mark.django_db

# Thursday 2026-11-19, 12:00 UTC. ISO week starts Monday 2026-11-16.
NOW = datetime(2026, 11, 19, 12, 0, tzinfo=UTC)
TODAY = date(2026, 11, 19)


def at(day: date, hour: int = 7) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@pytest.fixture
def athlete_with_history():
    athlete = UserFactory(timezone="UTC", vdot=50, resting_heart_rate=50, max_heart_rate=190, sex="male")
    # HRV 70 for 14 days, then 55 for the last 7 (2026-11-13 … 2026-11-19).
    for offset in range(21):
        day = TODAY - timedelta(days=20 - offset)
        DailyWellnessFactory(
            user=athlete,
            date=day,
            hrv=70 if offset < 14 else 55,
            recovery_score=80,
            vo2_max=52.0,
            resting_heart_rate=48,
        )
    # This week: Monday 10 km and Wednesday 12 km of runs, plus a ride (not running distance).
    ActivityFactory(user=athlete, start_time=at(date(2026, 11, 16)), distance=10000, duration=3000, training_load=80)
    ActivityFactory(user=athlete, start_time=at(date(2026, 11, 18)), distance=12000, duration=3480, training_load=95)
    ActivityFactory(
        user=athlete, sport="ride", start_time=at(date(2026, 11, 17)), distance=30000, duration=3600, training_load=60
    )
    # Last week Sunday: belongs to the previous ISO week.
    ActivityFactory(user=athlete, start_time=at(date(2026, 11, 15)), distance=21100, duration=6300, training_load=150)
    return athlete


def test_built_scenario(athlete_with_history):
    data = athlete_snapshot_fresh(athlete_with_history, now=NOW).data

    assert data["as_of"] == "2026-11-19"
    assert data["running_analytics"]["weekly_distance_km"] == 22.0  # 10 + 12; the ride does not count
    # Last 28 days of runs: 43.1 km in 12780 s → 296.5 s/km → 4:57 (rounded to the second)
    assert data["running_analytics"]["avg_pace_per_km"] == "4:57"
    current = data["fitness"]["current"]
    assert (current["hrv_avg"], current["hrv_avg_prev"]) == (55.0, 70.0)
    assert (current["recovery_score"], current["vo2_max"]) == (80, 52.0)
    codes = {flag["code"]: flag for flag in data["attention_signals"]["flags"]}
    assert codes["HRV_DROP"]["severity"] == "critical"  # (70 − 55) / 70 = 21.4 % ≥ 20 %
    assert "55" in codes["HRV_DROP"]["message"]
    assert "70" in codes["HRV_DROP"]["message"]
    assert "NO_RECENT_RUN" not in codes
    assert data["training"]["current_week_load"] == 235.0  # 80 + 95 + 60 (all sports)
    assert len(data["fitness"]["hrv_history"]) == 21
    assert data["fitness"]["hrv_history"][-1] == {"date": "2026-11-19", "value": 55.0}
    assert data["last_activity"]["start_time"] == "2026-11-18T07:00:00Z"
    quality = data["data_quality"]
    # VDOT 20 + pace zones derived from it 20 + time zone 10; no HR zones, integration or units.
    assert quality["score"] == 50
    assert {c["key"] for c in quality["components"] if c["ok"]} == {"pace_zones", "vdot", "timezone"}


def test_weeks_follow_the_athletes_time_zone():
    # 2026-11-15 23:30 in Tokyo is 2026-11-15T14:30Z: Sunday, the previous ISO week there.
    tokyo = UserFactory(timezone="Asia/Tokyo")
    ActivityFactory(user=tokyo, start_time=datetime(2026, 11, 15, 14, 30, tzinfo=UTC), distance=5000, duration=1500)
    # 2026-11-15T15:30Z is 00:30 on Monday 2026-11-16 in Tokyo: this ISO week.
    ActivityFactory(user=tokyo, start_time=datetime(2026, 11, 15, 15, 30, tzinfo=UTC), distance=8000, duration=2400)
    data = athlete_snapshot_fresh(tokyo, now=NOW).data
    assert data["running_analytics"]["weekly_distance_km"] == 8.0


def test_no_recent_run_flag():
    idle = UserFactory(timezone="UTC")
    ActivityFactory(user=idle, start_time=at(TODAY - timedelta(days=9)))
    flags = athlete_snapshot_fresh(idle, now=NOW).data["attention_signals"]["flags"]
    assert [flag["code"] for flag in flags] == ["NO_RECENT_RUN"]


def test_snapshot_is_rebuilt_when_data_changes_or_the_day_turns(athlete_with_history):
    first = athlete_snapshot_fresh(athlete_with_history, now=NOW)
    again = athlete_snapshot_fresh(athlete_with_history, now=NOW)
    assert again.data["last_updated"] == first.data["last_updated"]  # fresh: served as stored

    ActivityFactory(user=athlete_with_history, start_time=at(TODAY, 6), distance=5000, duration=1500)
    user_data_changed(user_ids=[athlete_with_history.pk])
    athlete_with_history.refresh_from_db()
    later = NOW + timedelta(minutes=5)
    rebuilt = athlete_snapshot_fresh(athlete_with_history, now=later)
    assert rebuilt.data["running_analytics"]["weekly_distance_km"] == 27.0
    assert rebuilt.data_version == athlete_with_history.data_version

    next_day = athlete_snapshot_fresh(athlete_with_history, now=NOW + timedelta(days=1))
    assert next_day.data["as_of"] == "2026-11-20"


def test_insights_are_stored_and_replaced(athlete_with_history):
    athlete_snapshots_refresh(users=[athlete_with_history], now=NOW)
    rows = Insight.objects.filter(user=athlete_with_history)
    assert rows.filter(kind="weekly_summary").count() == 1
    assert rows.filter(kind="activity").count() == 4  # 4 activities in the last 60 days
    weekly = rows.get(kind="weekly_summary").text
    assert "22.0 km" in weekly
    athlete_snapshots_refresh(users=[athlete_with_history], now=NOW)
    assert Insight.objects.filter(user=athlete_with_history).count() == 5
    assert all(row.generated_at == NOW for row in Insight.objects.filter(user=athlete_with_history))


def refresh_queries(users) -> int:
    with CaptureQueriesContext(connection) as ctx:
        athlete_snapshots_refresh(users=users, now=NOW)
    return len(ctx.captured_queries)


def test_batch_refresh_query_count_does_not_grow_with_time_zones():
    def make(zones):
        users = []
        for zone in zones:
            user = UserFactory(timezone=zone)
            ActivityFactory(user=user, start_time=at(TODAY - timedelta(days=1)))
            users.append(user)
        return users

    one_zone = refresh_queries(make(["Europe/Berlin"] * len(TWELVE_ZONES)))
    twelve_zones = refresh_queries(make(TWELVE_ZONES))
    # PostgreSQL converts each row with its athlete's zone: one GROUP BY. SQLite cannot, so the
    # embedded default runs one per distinct zone (docs/architecture.md).
    extra = 0 if connection.vendor == "postgresql" else len(TWELVE_ZONES) - 1
    assert twelve_zones == one_zone + extra


def test_one_batch_of_many_zones_puts_every_run_on_its_athletes_local_day():
    # For each zone: a run at 23:30 local on Sunday 2026-11-15 (last ISO week there) and one at
    # 00:30 local on Monday 2026-11-16 (this week). Only the Monday run counts, in every zone.
    users = {}
    for index, zone in enumerate(("Asia/Tokyo", "America/New_York", "Asia/Kathmandu", "Pacific/Auckland")):
        user = users[zone] = UserFactory(timezone=zone)
        local = zoneinfo.ZoneInfo(zone)
        ActivityFactory(user=user, start_time=datetime(2026, 11, 15, 23, 30, tzinfo=local), distance=9000)
        ActivityFactory(user=user, start_time=datetime(2026, 11, 16, 0, 30, tzinfo=local), distance=1000 * (index + 2))
    refreshed = athlete_snapshots_refresh(users=list(users.values()), now=NOW)
    weekly = {zone: refreshed[user.pk].data["running_analytics"]["weekly_distance_km"] for zone, user in users.items()}
    assert weekly == {"Asia/Tokyo": 2.0, "America/New_York": 3.0, "Asia/Kathmandu": 4.0, "Pacific/Auckland": 5.0}


def test_batch_refresh_query_count_does_not_grow_with_athletes():
    refresh = refresh_queries

    def make(n):
        users = []
        for _ in range(n):
            user = UserFactory(timezone="Europe/Berlin")
            ActivityFactory(user=user, start_time=at(TODAY - timedelta(days=1)))
            DailyWellnessFactory(user=user, date=TODAY)
            users.append(user)
        return users

    one = refresh(make(1))
    thirty = refresh(make(30))
    assert thirty == one


def test_refresh_task_is_idempotent_and_handles_deleted_users(athlete_with_history):
    assert refresh_athlete_metrics(athlete_with_history.pk) == athlete_with_history.public_id
    first = MetricsSnapshot.objects.get(user=athlete_with_history).data
    refresh_athlete_metrics(athlete_with_history.pk)
    second = MetricsSnapshot.objects.get(user=athlete_with_history).data
    assert {k: v for k, v in first.items() if k != "last_updated"} == {
        k: v for k, v in second.items() if k != "last_updated"
    }
    assert MetricsSnapshot.objects.count() == 1
    assert refresh_athlete_metrics(999_999) is None


def test_writes_queue_one_refresh_while_one_is_pending(athlete, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        user_data_changed(user_ids=[athlete.pk])
        user_data_changed(user_ids=[athlete.pk])
    assert len(callbacks) == 1  # de-duplicated
    assert cache.get(refresh_pending_key(athlete.pk)) == 1


@pytest.mark.django_db(transaction=True)  # the services pass's worker reads the rows on its own connection
def test_queued_refresh_runs_and_clears_the_pending_mark(athlete, tasks):
    user_data_changed(user_ids=[athlete.pk])  # autocommit: queued at once
    tasks.settle()
    assert MetricsSnapshot.objects.filter(user=athlete).exists()
    assert cache.get(refresh_pending_key(athlete.pk)) is None


def test_broker_outage_never_fails_the_write(athlete_client, athlete, django_capture_on_commit_callbacks, caplog):
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        response = athlete_client.post(
            "/api/v1/activities",
            {"start_time": "2026-11-19T07:00:00Z", "sport": "run", "distance": 5000, "duration": 1500},
            format="json",
        )
    assert response.status_code == 201
    assert Activity.objects.filter(user=athlete).count() == 1
    assert "Could not queue" in caplog.text


def test_refresh_metrics_command(athlete_with_history):
    org = OrganizationFactory()
    MembershipFactory(user=athlete_with_history, organization=org)
    other = UserFactory()
    out = StringIO()

    call_command("refresh_metrics", "--org", org.public_id, "--quiet", stdout=out)
    assert "Refreshed 1 athlete(s)" in out.getvalue()
    assert set(MetricsSnapshot.objects.values_list("user_id", flat=True)) == {athlete_with_history.pk}

    call_command("refresh_metrics", "--user", other.public_id, "--quiet", stdout=out)
    call_command("refresh_metrics", "--quiet", stdout=out)
    assert MetricsSnapshot.objects.count() == User.objects.filter(role="athlete").count()
    with pytest.raises(CommandError, match="No organization"):
        call_command("refresh_metrics", "--org", "org_missing")
    with pytest.raises(CommandError, match="No active user"):
        call_command("refresh_metrics", "--user", "usr_missing")
    assert DailyWellness.objects.count() == 21  # the command never writes athlete data
