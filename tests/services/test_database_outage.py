"""Drill (issue 11 §3a): PostgreSQL stops under load and comes back.

A throwaway cluster (initdb into a temporary folder, on a free port) and a gunicorn with two
workers serving Astral on it; a load loop logs runs and reads the profile while the cluster is
stopped and started again. Expected: 503 SERVICE_UNAVAILABLE (error body, Retry-After) during the
outage — never a 500 or an HTML trace —, /readyz 503 with database "down", a 503 page in the site
layout, 200s again within 5 s of the restart without restarting Astral, and no acknowledged
write lost.
"""

import json
import os
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.services.throwaway import Gunicorn, ThrowawayPostgres, astral_env, migrate, request

pytestmark = pytest.mark.skipif(
    os.environ.get("ASTRAL_REQUIRE_SERVICES") != "1",
    reason="runs in the services pass of `make test` (it starts its own PostgreSQL)",
)


class LoadLoop(threading.Thread):
    """Logs a run (a new start minute each time) and reads auth/me, over and over."""

    def __init__(self, base: str, token: str):
        super().__init__(daemon=True)
        self.base, self.headers = base, {"Authorization": f"Bearer {token}"}
        self.stop_event = threading.Event()
        self.answers: list[tuple[float, str, int, dict, str]] = []  # (time, what, status, headers, body)
        self.acknowledged: set[str] = set()

    def run(self):
        start = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)
        n = 0
        while not self.stop_event.is_set():
            n += 1
            when = (start + timedelta(minutes=n)).isoformat().replace("+00:00", "Z")
            run = {"start_time": when, "sport": "run", "distance": 5000, "duration": 1500}
            for what, method, path, body in (
                ("write", "POST", "/api/v1/activities", run),
                ("read", "GET", "/api/v1/auth/me", None),
            ):
                try:
                    status, headers, text = request(self.base + path, method, body, self.headers)
                except OSError as error:  # the server itself must never drop the connection
                    status, headers, text = 0, {}, repr(error)
                self.answers.append((time.monotonic(), what, status, headers, text))
                if what == "write" and status == 201:
                    self.acknowledged.add(when)
            time.sleep(0.02)


def test_postgresql_outage_gives_503s_and_recovers_without_losing_writes():
    postgres = ThrowawayPostgres()
    postgres.start()
    env = astral_env(postgres.url)
    server = None
    try:
        migrate(env)
        server = Gunicorn(env, workers=2)
        credentials = {"username": "drill", "email": "drill@example.com", "password": "a-long-drill-password"}
        status, _, body = request(server.base + "/api/v1/auth/register", "POST", credentials)
        assert status == 201, body
        token = json.loads(body)["access_token"]
        assert request(server.base + "/readyz")[0] == 200

        load = LoadLoop(server.base, token)
        load.start()
        time.sleep(1.5)
        postgres.stop()
        stopped_at = time.monotonic()
        time.sleep(2.0)
        ready_status, _, ready_body = request(server.base + "/readyz")
        page_status, page_headers, page = request(
            server.base + "/athletes/", headers={"Cookie": "sessionid=" + "a" * 32}
        )
        restarting_at = time.monotonic()
        postgres.start()
        restarted_at = time.monotonic()
        time.sleep(6.0)
        load.stop_event.set()
        load.join(timeout=30)

        # During the outage: the database is reported down and the page is a 503 in the layout.
        assert ready_status == 503
        assert json.loads(ready_body)["database"] == "down"
        assert page_status == 503
        assert "<title>503 · Astral</title>" in page and 'class="layout"' in page  # the site layout
        assert "The database is unavailable" in page and "Traceback" not in page
        assert page_headers.get("Retry-After") == "5"

        statuses = {status for _, _, status, _, _ in load.answers}
        assert statuses <= {200, 201, 503}, sorted(statuses)  # never a 500, never a dropped connection
        outage = [a for a in load.answers if stopped_at + 0.5 < a[0] < restarting_at]
        assert outage and [a[1:3] for a in outage if a[2] != 503] == []
        for _, _, _, headers, text in outage:
            assert json.loads(text)["details"]["code"] == "SERVICE_UNAVAILABLE"
            assert headers.get("Retry-After") == "5"
        # Back within 5 s of the restart, by itself, and it stays back.
        after = [a for a in load.answers if a[0] > restarted_at + 5.0]
        assert after and all(status in (200, 201) for _, _, status, _, _ in after)
        first_ok = min(a[0] for a in load.answers if a[0] > restarted_at and a[2] in (200, 201))
        assert first_ok - restarted_at < 5.0

        # Every acknowledged write is there; nothing answered 503 was half-written.
        status, _, body = request(server.base + "/api/v1/activities?per_page=200", headers=load.headers)
        stored = {row["start_time"].replace("+00:00", "Z") for row in json.loads(body)["data"]}
        assert load.acknowledged and stored == load.acknowledged
        assert request(server.base + "/readyz")[0] == 200
    finally:
        if server is not None:
            log = server.stop()
            assert "Traceback" not in log or "OperationalError" in log, log[-3000:]
        postgres.remove()
