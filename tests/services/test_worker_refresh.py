"""A real Celery worker on the machine's broker rebuilds the snapshot after a run is logged.

The worker is a separate process pointed at pytest's test database; the test only polls the
database (bounded), so the snapshot it sees can only have been written by the worker."""

import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection

from accounts.models import User
from analytics.models import MetricsSnapshot
from astral.celery import app
from tests.conftest import bearer_client
from tests.factories import UserFactory
from tests.services.worker import start_worker, stop_worker

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 60

pytestmark = pytest.mark.skipif(
    os.environ.get("ASTRAL_REQUIRE_SERVICES") != "1",
    reason="runs in the services pass of `make test` (PostgreSQL + Redis + Celery worker)",
)


def start_refresh_worker():
    """A worker on pytest's test database (a separate process reads DATABASE_URL)."""
    db = connection.settings_dict
    return start_worker("refresh", DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}")


@pytest.mark.django_db(transaction=True)
def test_worker_writes_the_snapshot_after_a_run_is_logged():
    app.control.purge()
    athlete = UserFactory(timezone="UTC")
    worker = start_refresh_worker()
    try:
        response = bearer_client(athlete).post(
            "/api/v1/activities",
            {
                "start_time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 3600)),
                "sport": "run",
                "distance": 10000,
                "duration": 3000,
            },
            format="json",
        )
        assert response.status_code == 201
        version = User.objects.get(pk=athlete.pk).data_version
        deadline = time.monotonic() + WAIT_SECONDS
        snapshot = None
        while time.monotonic() < deadline:
            snapshot = MetricsSnapshot.objects.filter(user=athlete, data_version__gte=version).first()
            if snapshot:
                break
            time.sleep(0.5)
    finally:
        output = stop_worker(worker)
    assert snapshot is not None, f"no snapshot within {WAIT_SECONDS} s; worker said:\n{output[-3000:]}"
    started, now = datetime.now(UTC) - timedelta(hours=1), datetime.now(UTC)
    same_iso_week = started.isocalendar()[:2] == now.isocalendar()[:2]
    assert snapshot.data["running_analytics"]["weekly_distance_km"] == (10.0 if same_iso_week else 0.0)
    assert snapshot.data["last_activity"]["distance"] == 10000
    assert "analytics.tasks.refresh_athlete_metrics" in output
    assert "succeeded" in output
