"""Drill (issue 11 §3c): a Celery worker is killed with SIGKILL in the middle of
`refresh_athlete_metrics`; the task is redelivered (late acknowledgement) and the snapshot ends
correct.

The broker is a redis-server of the test's own (nothing else is queued there). The test holds a
row lock on the athlete's snapshot, so the first worker's refresh is provably mid-task — its
upsert waits on the lock, visible in `pg_stat_activity` — when it is killed. Then the lock goes,
a second worker starts, and without anyone sending the task again it must rebuild the snapshot
from the data as it is now.

The doomed worker runs the prefork pool, as production does, and is killed with its child in one
SIGKILL: there an early acknowledgement (the default, ACKS_LATE off) loses the task — checked, the
drill then fails. A short `CELERY_VISIBILITY_TIMEOUT` lets the Redis broker hand the
unacknowledged task back within seconds instead of the production 10 minutes."""

import os
import time
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from celery import Celery
from django.db import connection

from accounts.models import User
from accounts.services import user_data_changed
from analytics.models import MetricsSnapshot
from analytics.services.snapshots import athlete_snapshots_refresh
from tests.factories import ActivityFactory, UserFactory
from tests.services.throwaway import ThrowawayRedis
from tests.services.worker import kill_worker, start_worker, stop_worker

WAIT_SECONDS = 60

pytestmark = pytest.mark.skipif(
    os.environ.get("ASTRAL_REQUIRE_SERVICES") != "1",
    reason="runs in the services pass of `make test` (PostgreSQL + a redis-server of its own)",
)


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _wait_for(condition, what: str, worker_output=lambda: ""):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} did not happen within {WAIT_SECONDS} s\n{worker_output()}")


def _refresh_waiting_on_lock(conninfo: str) -> bool:
    with psycopg.connect(conninfo, autocommit=True) as probe:
        row = probe.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query ILIKE '%%analytics_metricssnapshot%%' AND pid <> pg_backend_pid()"
        ).fetchone()
    return row[0] > 0


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_refresh_the_task_is_redelivered_and_the_snapshot_ends_correct():
    now = datetime.now(UTC)
    athlete = UserFactory(timezone="UTC")
    ActivityFactory(user=athlete, start_time=now - timedelta(hours=2), distance=10000, duration=3000)
    athlete.refresh_from_db()
    athlete_snapshots_refresh(users=[athlete])  # a snapshot of one run
    ActivityFactory(user=athlete, start_time=now - timedelta(hours=1), distance=4000, duration=1300)
    user_data_changed(user_ids=[athlete.pk], queue_refresh=False)  # now stale: two runs
    version = User.objects.get(pk=athlete.pk).data_version
    stale = MetricsSnapshot.objects.get(user=athlete)
    assert stale.data_version < version and stale.data["last_activity"]["distance"] == 10000

    broker = ThrowawayRedis()
    broker.start()
    env = {"CELERY_BROKER_URL": broker.url, "DATABASE_URL": _database_url(), "CELERY_VISIBILITY_TIMEOUT": "2"}
    first = second = None
    conninfo = _database_url()
    try:
        with psycopg.connect(conninfo) as lock:
            lock.execute("SELECT 1 FROM analytics_metricssnapshot WHERE user_id = %s FOR UPDATE", [athlete.pk])
            first = start_worker("doomed", pool="prefork", **env)
            # An explicit connection: Celery's CELERY_BROKER_URL variable (the services pass's broker)
            # would win over a `broker=` argument.
            sender = Celery()
            with sender.connection_for_write(broker.url) as broker_connection:
                sent = sender.send_task(
                    "analytics.tasks.refresh_athlete_metrics", args=[athlete.pk], connection=broker_connection
                )
            _wait_for(
                lambda: _refresh_waiting_on_lock(conninfo),
                "the first worker reaching the snapshot upsert",
                lambda: kill_worker(first)[-3000:],
            )
            first_output = kill_worker(first)
            lock.rollback()
        # The killed worker's refresh did not land (its transaction died with it).
        time.sleep(1.0)
        assert MetricsSnapshot.objects.get(user=athlete).data_version == stale.data_version
        assert "succeeded" not in first_output

        second = start_worker("survivor", **env)
        _wait_for(
            lambda: MetricsSnapshot.objects.filter(user=athlete, data_version=version).exists(),
            "the redelivered refresh",
        )
    finally:
        second_output = stop_worker(second) if second is not None else ""
        if first is not None and first.poll() is None:
            kill_worker(first)
        broker.remove()

    snapshot = MetricsSnapshot.objects.get(user=athlete)
    assert snapshot.data["last_activity"]["distance"] == 4000
    this_week = now.isocalendar()[:2]
    runs = [(now - timedelta(hours=2), 10.0), (now - timedelta(hours=1), 4.0)]
    expected_km = sum(km for start, km in runs if start.isocalendar()[:2] == this_week)
    assert snapshot.data["running_analytics"]["weekly_distance_km"] == expected_km
    assert f"refresh_athlete_metrics[{sent.id}] succeeded" in second_output
