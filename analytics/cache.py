"""Cache keys and cached answers for the analytics API — the one place keys are built.

Keys carry *generations* stored in the database: the athlete's `User.data_version` for answers
about one athlete, `Organization.data_version` for rosters and dashboards (bumped whenever any
member's data changes). A write bumps the generation, so every cached answer built from the old
data is never read again — no deletes to miss, and a cache flush or outage loses nothing.
A cache outage (django-redis IGNORE_EXCEPTIONS) reads as a MISS and the answer is computed.
"""

import hashlib
import json
from collections.abc import Callable

from django.core.cache import cache

KEY_VERSION = 1  # bump when the shape of cached answers changes
ATHLETE_TTL = 5 * 60
ROSTER_TTL = 10 * 60
PROFILE_TTL = 5 * 60


def _digest(params: dict) -> str:
    canonical = json.dumps(params, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:24]


def athlete_key(endpoint: str, athlete, params: dict) -> str:
    """An answer about one athlete: endpoint, athlete, their data generation, the parameters."""
    return f"a{KEY_VERSION}:{endpoint}:{athlete.pk}:g{athlete.data_version}:{_digest(params)}"


def viewer_key(principal) -> str:
    """Who asks, for organization_key: a person by user pk, an organization API key by key pk."""
    api_key = getattr(principal, "api_key", None)
    return f"key{api_key.pk}" if api_key is not None else f"user{principal.pk}"


def organization_key(endpoint: str, organization, viewer_key: str, params: dict) -> str:
    """An answer about an organization (roster, dashboards): scoped by who asks (a coach's
    `filter_by_coach` differs from another's) and the organization's data generation."""
    return f"o{KEY_VERSION}:{endpoint}:{organization.pk}:g{organization.data_version}:{viewer_key}:{_digest(params)}"


def cached(key: str, timeout: int, compute: Callable[[], object], *, bypass: bool = False) -> tuple[object, bool]:
    """(answer, hit). `bypass` recomputes and stores the fresh answer."""
    if not bypass:
        answer = cache.get(key)
        if answer is not None:
            return answer, True
    answer = compute()
    cache.set(key, answer, timeout)
    return answer, False


def x_cache(hit: bool) -> dict:
    return {"X-Cache": "HIT" if hit else "MISS"}
