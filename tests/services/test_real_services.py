"""The production path against this machine's real services. `make test` runs these with
ASTRAL_REQUIRE_SERVICES=1 (always when CI=true); conftest then refuses to start unless
PostgreSQL, Redis and the broker are really there, so nothing here can pass by skipping."""

import os
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from astral.celery import app, ping
from tests.services.worker import start_worker, stop_worker

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    os.environ.get("ASTRAL_REQUIRE_SERVICES") != "1",
    reason="runs in the services pass of `make test` (PostgreSQL + Redis + Celery worker)",
)


@pytest.mark.django_db
def test_database_is_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        assert int(cursor.fetchone()[0].split(".")[0]) >= 13


def test_cache_is_redis_and_round_trips():
    from django_redis import get_redis_connection

    key = f"probe-{uuid.uuid4().hex}"
    cache.set(key, {"km": 42.195}, 30)
    assert cache.get(key) == {"km": 42.195}
    raw_keys = get_redis_connection("default").keys(f"*{key}*")
    assert len(raw_keys) == 1  # it is really in Redis, not in process memory


def test_celery_is_not_eager_here():
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    assert app.conf.broker_url.startswith(("redis://", "amqp://"))


def test_a_real_worker_runs_a_task():
    app.control.purge()  # messages queued by earlier tests refer to rows that no longer exist
    worker = start_worker("ping")
    try:
        result = ping.delay()
        assert result.get(timeout=60) == "pong"
        assert result.status == "SUCCESS"
    finally:
        output = stop_worker(worker)
    assert "astral.ping" in output, output[-2000:]
    assert "succeeded" in output, output[-2000:]
