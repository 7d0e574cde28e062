"""Issue 12 §2: reads on a real PostgreSQL streaming replica, never stale.

A throwaway primary (`initdb`) and a hot standby made from it with `pg_basebackup -R`, behind a
two-worker gunicorn with `DATABASE_REPLICA_URLS` pointing at the standby. With replay paused on
the standby, an athlete's run logged through the API is at once in their own stats and in their
coach's roster (the reads went to the primary); with replay running, reads are served by the
standby (its table statistics count them); with the standby gone, nothing fails."""

import json
import os
import time
from datetime import UTC, datetime, timedelta

import pytest

from astral.replicas import lsn_value
from tests.services.throwaway import Gunicorn, ThrowawayPostgres, astral_env, migrate, request

pytestmark = pytest.mark.skipif(
    os.environ.get("ASTRAL_REQUIRE_SERVICES") != "1",
    reason="runs in the services pass of `make test` (it starts its own primary and standby)",
)
API = "/api/v1"


def api(server, path, token=None, method="GET", body=None, expect=200):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    status, _, text = request(server.base + API + path, method, body, headers)
    assert status == expect, f"{method} {path}: {status} {text[:300]}"
    return json.loads(text)


def register(server, username, role):
    body = {"username": username, "email": f"{username}@example.com", "password": "a-long-drill-password", "role": role}
    answer = api(server, "/auth/register", method="POST", body=body, expect=201)
    return answer["access_token"], answer["user_id"]


def wait_until(condition, what, seconds=30.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {seconds} s"
        time.sleep(0.2)


def caught_up(primary, standby) -> bool:
    written = lsn_value(primary.sql("SELECT pg_current_wal_insert_lsn()")[0])
    replayed = standby.sql("SELECT pg_last_wal_replay_lsn()")[0]
    return replayed is not None and lsn_value(replayed) >= written


def tuples_read(standby) -> int:
    """Rows read from Astral's tables on the standby (its statistics; the test's own probes read
    only catalogs, so they do not count)."""
    standby.sql("SELECT pg_stat_clear_snapshot()")
    return standby.sql(
        "SELECT coalesce(sum(seq_tup_read), 0) + coalesce(sum(idx_tup_fetch), 0) FROM pg_stat_user_tables"
    )[0]


def test_reads_use_a_caught_up_standby_and_never_miss_an_acknowledged_write():
    primary = ThrowawayPostgres()
    primary.start()
    standby = server = None
    try:
        env = astral_env(primary.url)
        migrate(env)
        standby = ThrowawayPostgres(standby_of=primary)
        standby.start()
        assert standby.sql("SELECT pg_is_in_recovery()")[0] is True
        server = Gunicorn({**env, "DATABASE_REPLICA_URLS": standby.url}, workers=2)

        coach, _ = register(server, "replica-coach", "coach")
        athlete, athlete_id = register(server, "replica-athlete", "athlete")
        org_id = api(server, "/organizations", coach, "POST", {"name": "Replica Club"}, 201)["data"]["org_id"]
        invitation = api(server, f"/organizations/{org_id}/members", coach, "POST", {"user_id": athlete_id}, 202)
        invitation_id = invitation["data"]["invitation_id"]
        api(server, f"/invitations/{invitation_id}/accept", athlete, "POST", {})
        roster_path = f"/analytics/coach_athletes_metrics?org_id={org_id}"
        today = datetime.now(UTC).date()
        stats_path = f"/analytics/activity_stats?from={today - timedelta(days=1)}&to={today}"

        # Replay paused: the standby falls behind the next write, so reads must not use it.
        wait_until(lambda: caught_up(primary, standby), "the standby catching up")
        standby.sql("SELECT pg_wal_replay_pause()")
        wait_until(lambda: standby.sql("SELECT pg_get_wal_replay_pause_state()")[0] == "paused", "replay pausing")
        started = (datetime.now(UTC) - timedelta(minutes=30)).isoformat().replace("+00:00", "Z")
        run = {"start_time": started, "sport": "run", "distance": 12345, "duration": 3600}
        activity_id = api(server, "/activities", athlete, "POST", run, 201)["data"]["activity_id"]
        assert not caught_up(primary, standby)
        before_paused_reads = tuples_read(standby)
        stats = api(server, stats_path, athlete)["data"]
        assert sum(bucket["distance"] for bucket in stats) == 12345
        [row] = api(server, roster_path, coach)["data"]["athletes"]
        assert (row["user_id"], row["last_activity"]["activity_id"]) == (athlete_id, activity_id)
        time.sleep(1.5)
        paused_reads = tuples_read(standby) - before_paused_reads

        # Replay running: once caught up, the same reads are served by the standby.
        standby.sql("SELECT pg_wal_replay_resume()")
        wait_until(lambda: caught_up(primary, standby), "the standby catching up again")
        before = tuples_read(standby)
        for _ in range(10):
            [row] = api(server, roster_path, coach)["data"]["athletes"]
            assert row["last_activity"]["activity_id"] == activity_id
        assert paused_reads == 0  # while it lagged, not one row was read there
        wait_until(lambda: tuples_read(standby) - before >= 10, "reads on the standby", seconds=20)

        # The standby gone: skipped, never an error.
        standby.stop()
        [row] = api(server, roster_path, coach)["data"]["athletes"]
        assert row["last_activity"]["activity_id"] == activity_id
        api(server, stats_path, athlete)
    finally:
        if server is not None:
            server.stop()
        if standby is not None:
            standby.remove()
        primary.remove()
