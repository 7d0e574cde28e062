"""Read replicas without stale reads (`DATABASE_REPLICA_URLS`).

The model is GitLab's database load balancing, made strict: a read may go to a replica only when
that replica has replayed everything the primary had written when the read began. So once any
write is acknowledged — an athlete's run, a coach's invitation — every later read sees it, on
whichever database it lands ("a coach never sees old numbers after an athlete logs a run").

- Only the reads of a safe request (GET, HEAD, OPTIONS) are candidates, decided once per request
  on its first read: the primary's WAL insert position (`pg_current_wal_insert_lsn()`) is compared
  with each replica's `pg_last_wal_replay_lsn()`; the first replica, in random order, that has
  replayed past it serves the request's reads. None caught up → the primary.
- Everything else reads the primary: unsafe requests, reads inside a transaction
  (`atomic`), reads after the request wrote anything, Celery tasks and management commands.
- A replica that cannot be reached is skipped for `REPLICA_RETRY_SECONDS`, never an error.
- Every write goes to the primary; migrations run on the primary only.
"""

import contextvars
import logging
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger("astral.replicas")

PRIMARY = "default"
REPLICA_PREFIX = "replica_"
REPLICA_RETRY_SECONDS = 10.0
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_unreachable_until: dict[str, float] = {}


@dataclass
class _RequestReads:
    decided: bool = False
    alias: str = PRIMARY
    wrote: bool = False


_reads: contextvars.ContextVar[_RequestReads | None] = contextvars.ContextVar("astral_replica_reads", default=None)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith(REPLICA_PREFIX)]


def lsn_value(lsn: str) -> int:
    """A PostgreSQL LSN ('16/B374D848') as an integer, for comparing positions."""
    high, low = lsn.split("/")
    return (int(high, 16) << 32) | int(low, 16)


def _replayed(alias: str) -> int | None:
    """The replica's replay position, or None when it cannot be reached (then skipped a while)."""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn()")
            (lsn,) = cursor.fetchone()
    except DatabaseError as error:
        _unreachable_until[alias] = time.monotonic() + REPLICA_RETRY_SECONDS
        logger.warning("Replica %s is unreachable, reading from the primary: %s", alias, error)
        connections[alias].close()
        return None
    return lsn_value(lsn) if lsn else None


def caught_up_replica() -> str | None:
    """A replica that has replayed everything written before now, or None."""
    now = time.monotonic()
    candidates = [alias for alias in replica_aliases() if _unreachable_until.get(alias, 0.0) <= now]
    if not candidates:
        return None
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()")
        (written,) = cursor.fetchone()
    needed = lsn_value(written)
    random.shuffle(candidates)
    for alias in candidates:
        replayed = _replayed(alias)
        if replayed is not None and replayed >= needed:
            return alias
    return None


class ReplicaRouter:
    """Installed only when replicas are configured (settings.DATABASE_ROUTERS)."""

    def db_for_read(self, model, **hints):
        reads = _reads.get()
        if reads is None or reads.wrote or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        if not reads.decided:
            reads.alias, reads.decided = caught_up_replica() or PRIMARY, True
        return reads.alias

    def db_for_write(self, model, **hints):
        reads = _reads.get()
        if reads is not None:
            reads.wrote = True  # the rest of the request reads its own write
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # replicas hold the primary's rows

    def allow_migrate(self, db, app_label, **hints):
        return db == PRIMARY


class ReplicaReadsMiddleware:
    """Marks a safe request's reads as candidates for a caught-up replica."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = bool(replica_aliases())

    def __call__(self, request):
        if not self.enabled or request.method not in SAFE_METHODS:
            return self.get_response(request)
        token = _reads.set(_RequestReads())
        try:
            return self.get_response(request)
        finally:
            _reads.reset(token)
