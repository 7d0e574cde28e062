"""Drill (issue 11 §3b): Redis is killed under load and started again.

A throwaway PostgreSQL and a throwaway redis-server behind a two-worker gunicorn. An athlete logs
a run and reads their (cached) athlete profile, over and over, while Redis is killed with SIGKILL
and restarted on the same port from its append-only file — so it comes back holding the answers
it cached before the outage, while the data moved on during it. Expected: not one failed request,
and every profile read after an acknowledged run shows that run — before, during and after the
outage (no stale cached answer when Redis comes back, because cache keys carry the generations
kept in the database)."""

import json
import os
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import redis as redis_client

from tests.services.throwaway import Gunicorn, ThrowawayPostgres, ThrowawayRedis, astral_env, migrate, request

pytestmark = pytest.mark.skipif(
    os.environ.get("ASTRAL_REQUIRE_SERVICES") != "1",
    reason="runs in the services pass of `make test` (it starts its own PostgreSQL and Redis)",
)


class WriteThenRead(threading.Thread):
    def __init__(self, base: str, token: str, user_id: str):
        super().__init__(daemon=True)
        self.base, self.user_id = base, user_id
        self.headers = {"Authorization": f"Bearer {token}"}
        self.stop_event = threading.Event()
        self.failures: list[str] = []
        self.stale: list[str] = []
        self.rounds: list[float] = []

    def run(self):
        start = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)
        n = 0
        while not self.stop_event.is_set():
            n += 1
            when = (start + timedelta(hours=n)).isoformat().replace("+00:00", "Z")
            run = {"start_time": when, "sport": "run", "distance": 5000 + n, "duration": 1500}
            status, _, body = request(self.base + "/api/v1/activities", "POST", run, self.headers)
            if status != 201:
                self.failures.append(f"write {status} {body[:200]}")
                continue
            written = json.loads(body)["data"]["activity_id"]
            path = f"/api/v1/analytics/athlete_profile?user_id={self.user_id}"
            status, _, body = request(self.base + path, headers=self.headers)
            if status != 200:
                self.failures.append(f"read {status} {body[:200]}")
                continue
            recent = [a["activity_id"] for a in json.loads(body)["data"]["recent_activities"]]
            if written not in recent:
                self.stale.append(written)
            self.rounds.append(time.monotonic())


def test_redis_outage_fails_no_request_and_serves_nothing_stale():
    postgres, redis = ThrowawayPostgres(), ThrowawayRedis(persistent=True)
    postgres.start()
    redis.start()
    env = astral_env(postgres.url, redis.url)
    server = None
    try:
        migrate(env)
        server = Gunicorn(env, workers=2)
        credentials = {"username": "drill", "email": "drill@example.com", "password": "a-long-drill-password"}
        status, _, body = request(server.base + "/api/v1/auth/register", "POST", credentials)
        assert status == 201, body
        registered = json.loads(body)
        assert json.loads(request(server.base + "/readyz")[2])["cache"] == "ok"

        load = WriteThenRead(server.base, registered["access_token"], registered["user_id"])
        load.start()
        time.sleep(2.0)
        cached_before = redis_client.Redis(port=redis.port).dbsize()
        redis.kill()
        killed_at = time.monotonic()
        time.sleep(3.0)
        ready = json.loads(request(server.base + "/readyz")[2])
        redis.start()
        back_at = time.monotonic()
        cached_after_restart = redis_client.Redis(port=redis.port).dbsize()
        time.sleep(3.0)
        load.stop_event.set()
        load.join(timeout=30)

        assert ready == {"database": "ok", "cache": "down", "broker": "ok"}
        # Redis came back with the pre-outage answers (the hard case), not empty.
        assert cached_before > 0 and cached_after_restart >= cached_before
        assert load.failures == []
        assert load.stale == []
        # The loop really ran before, during and after the outage.
        assert any(t < killed_at for t in load.rounds)
        assert any(killed_at < t < back_at for t in load.rounds)
        assert any(t > back_at for t in load.rounds)
        assert json.loads(request(server.base + "/readyz")[2])["cache"] == "ok"
    finally:
        if server is not None:
            server.stop()
        redis.remove()
        postgres.remove()
