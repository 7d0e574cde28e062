"""What `GET /readyz` reports: can this process reach the database, the cache and the broker?

Each check is short (the cache and broker clients have sub-second socket timeouts) and never
raises: a dependency that fails in any way is "down".
"""

import logging
import uuid

from django.core.cache import cache
from django.db import connection

from astral.celery import app

logger = logging.getLogger("astral.readiness")


def _database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _cache() -> bool:
    """A real round trip (the Redis client is set to swallow errors, so a failed set only shows
    as a get that does not return what was written)."""
    key, value = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    found = cache.get(key)
    cache.delete(key)
    return found == value


def _broker() -> bool:
    if app.conf.task_always_eager:
        return True  # no broker configured: tasks run in the process that queues them
    with app.connection_for_write() as conn:
        conn.connect()
        return conn.connected


CHECKS = {"database": _database, "cache": _cache, "broker": _broker}


def dependency_checks() -> dict[str, str]:
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = "ok" if check() else "down"
        except Exception:  # a readiness probe reports, it never fails
            logger.warning("readiness: %s is down", name, exc_info=True)
            results[name] = "down"
    return results
