"""DATABASE_REPLICA_URLS: each URL becomes a `replica_<n>` database (mirroring the primary in tests,
a short connect timeout) and installs the router; unset, there is no router at all. The routing
itself is drilled against a real standby in tests/services/test_read_replica.py."""

import json
import os
import subprocess
import sys

from astral.replicas import lsn_value

CODE = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps({'aliases': sorted(settings.DATABASES), 'routers': getattr(settings, 'DATABASE_ROUTERS', []), "
    "'replica': settings.DATABASES.get('replica_1')}, default=str))"
)


def settings_with(**env) -> dict:
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_REPLICA_URLS"}
    environment.update(DJANGO_SETTINGS_MODULE="astral.settings", DJANGO_DEBUG="true", **env)
    out = subprocess.run([sys.executable, "-c", CODE], env=environment, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_replica_urls_become_replica_databases_behind_the_router():
    found = settings_with(
        DATABASE_URL="postgres://app@primary:5432/astral",
        DATABASE_REPLICA_URLS="postgres://app@replica-a:5432/astral, postgres://app@replica-b:6432/astral",
    )
    assert found["aliases"] == ["default", "replica_0", "replica_1"]
    assert found["routers"] == ["astral.replicas.ReplicaRouter"]
    replica = found["replica"]
    assert (replica["HOST"], replica["PORT"], replica["NAME"]) == ("replica-b", 6432, "astral")
    assert replica["OPTIONS"]["connect_timeout"] == 2
    assert replica["TEST"]["MIRROR"] == "default"


def test_without_replicas_there_is_no_router():
    found = settings_with()
    assert found["aliases"] == ["default"]
    assert found["routers"] == []


def test_lsns_compare_as_numbers():
    assert lsn_value("0/3000060") == 0x3000060
    assert lsn_value("16/B374D848") == (0x16 << 32) + 0xB374D848
    assert lsn_value("1/0") > lsn_value("0/FFFFFFFF")


def test_replicas_beside_sqlite_are_refused_at_startup():
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment.update(
        DJANGO_SETTINGS_MODULE="astral.settings",
        DJANGO_DEBUG="true",
        DATABASE_REPLICA_URLS="postgres://app@replica-a:5432/astral",
    )
    run = subprocess.run([sys.executable, "-c", CODE], env=environment, capture_output=True, text=True)
    assert run.returncode != 0
    assert "DATABASE_REPLICA_URLS needs a PostgreSQL DATABASE_URL" in run.stderr
