"""Two Astral installations on ONE Redis never serve each other's cached answers (issue 9).

Three databases, each driven by its own process (tests/services/installation_probe.py) with the
same REDIS_URL and the same CACHE_KEY_PREFIX: `first` and `other` are independent installations
created the same way (same integer pks, same data generations); `copy` is `first` restored beside
it (same pks, public ids and generations) that ran `rotate_installation_id`. Each asks for the
same athlete's profile; only the installation id can keep their keys apart."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django_redis import get_redis_connection

ROOT = Path(__file__).resolve().parents[2]
PROCESS_TIMEOUT_SECONDS = 60

pytestmark = pytest.mark.skipif(
    os.environ.get("ASTRAL_REQUIRE_SERVICES") != "1",
    reason="runs in the services pass of `make test` (PostgreSQL + Redis + Celery worker)",
)


def _admin_connection():
    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"],
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


@pytest.fixture
def databases():
    """Three database names of our own (created on demand, dropped afterwards)."""
    base = f"{settings.DATABASES['default']['NAME']}_inst_{uuid.uuid4().hex[:6]}"
    names = {role: f"{base}_{role}" for role in ("first", "other", "copy")}
    with _admin_connection() as admin:
        for role in ("first", "other"):
            admin.execute(f'CREATE DATABASE "{names[role]}"')
    yield names
    with _admin_connection() as admin:
        for name in names.values():
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _url(name: str) -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


def _start(database: str, *actions: str) -> subprocess.Popen:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CELERY_", "ASTRAL_"))}
    # Same Redis and the same Django KEY_PREFIX for all: only the installation id separates them.
    env.update(DATABASE_URL=_url(database), REDIS_URL=settings.REDIS_URL, CACHE_KEY_PREFIX="astral-shared")
    command = [sys.executable, "-m", "tests.services.installation_probe", *actions]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(process: subprocess.Popen) -> dict | None:
    out, err = process.communicate(timeout=PROCESS_TIMEOUT_SECONDS)
    assert process.returncode == 0, err[-3000:]
    lines = [line for line in out.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else None


def _run(database: str, *actions: str) -> dict | None:
    return _finish(_start(database, *actions))


def _shared_profile_keys() -> list[str]:
    return sorted(key.decode() for key in get_redis_connection("default").keys("astral-shared:*athlete_profile*"))


def test_two_installations_on_one_redis_never_share_cached_answers(databases):
    first_setup, other_setup = _start(databases["first"], "setup"), _start(databases["other"], "setup")
    _finish(first_setup), _finish(other_setup)
    with _admin_connection() as admin:  # a backup of `first` restored beside it
        admin.execute(f'CREATE DATABASE "{databases["copy"]}" TEMPLATE "{databases["first"]}"')
    _run(databases["copy"], "rotate")

    first = _run(databases["first"], "log:3000", "ask")
    copy = _run(databases["copy"], "log:21000", "ask")
    other = _run(databases["other"], "log:10000", "ask")
    first_again = _run(databases["first"], "ask")

    # The collision the issue describes is really set up: same pks and generations everywhere,
    # and the restored copy even has the same public ids.
    assert first["athlete_pk"] == copy["athlete_pk"] == other["athlete_pk"]
    assert first["data_version"] == copy["data_version"] == other["data_version"]
    assert copy["athlete_public_id"] == first["athlete_public_id"] != other["athlete_public_id"]
    assert len({first["installation_id"], copy["installation_id"], other["installation_id"]}) == 3

    assert first["x_cache"] == "MISS"
    for answer, metres in ((copy, 21000), (other, 10000)):
        assert answer["x_cache"] == "MISS"  # never the other installation's cached profile
        assert answer["user_id"] == answer["athlete_public_id"]
        assert answer["recent_activities"][0][1] == metres  # its own newest run
        assert {activity_id for activity_id, _ in answer["recent_activities"]} == set(answer["own_activity_ids"])
    # The cache is really shared and working: the first installation's answer is still there.
    assert first_again["x_cache"] == "HIT"
    assert first_again["recent_activities"] == first["recent_activities"]
    assert [distance for _, distance in first["recent_activities"]] == [3000, 5000]

    keys = _shared_profile_keys()
    assert len(keys) == 3
    for answer in (first, copy, other):
        assert (
            sum(
                f":{answer['installation_id']}:a1:athlete_profile:{answer['athlete_public_id']}:" in key for key in keys
            )
            == 1
        )
