"""The benchmarks' own PostgreSQL databases on the machine's server (127.0.0.1:5432, user postgres):
created, migrated and seeded once, reused by later runs. No Django import: the scripts call it
before `django.setup()`."""

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = ["-h", "127.0.0.1", "-U", "postgres"]


def ensure_database(name: str, *, athletes: int, reseed: bool = False) -> float | None:
    """Create, migrate and `seed_demo --athletes N --days 365` the database `name` unless it
    exists (`reseed` drops it first); the seed's wall time in seconds when it ran, else None."""
    query = f"SELECT 1 FROM pg_database WHERE datname='{name}'"
    exists = subprocess.run(["psql", *PG, "-tAc", query], capture_output=True, text=True, check=True).stdout.strip()
    if reseed and exists:
        subprocess.run(["dropdb", *PG, name], check=True)
        exists = ""
    if not exists:
        subprocess.run(["createdb", *PG, name], check=True)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], check=True)
    if exists:
        return None
    started = time.monotonic()
    subprocess.run([*manage, "seed_demo", "--athletes", str(athletes), "--days", "365"], check=True)
    return time.monotonic() - started
