"""Cache keys and cached answers for the analytics API — the one place keys are built.

Keys carry *generations* stored in the database: the athlete's `User.data_version` for answers
about one athlete, `Organization.data_version` for rosters and dashboards (bumped whenever any
member's data changes). A write bumps the generation, so every cached answer built from the old
data is never read again — no deletes to miss, and a cache flush or outage loses nothing.
A cache outage (django-redis IGNORE_EXCEPTIONS) reads as a MISS and the answer is computed.

Every key starts with this database's installation id (`astral.installation`) and names rows by
their public ids, never integer pks: two installations sharing one Redis cannot read each other's
answers even when their pks and generations coincide.
"""

import hashlib
import json
from collections.abc import Callable

from django.core.cache import cache

from astral.installation import installation_key
from astral.principals import is_api_key

KEY_VERSION = 1  # bump when the shape of cached answers changes
ATHLETE_TTL = 5 * 60
ROSTER_TTL = 10 * 60
PROFILE_TTL = 5 * 60


def _digest(params: dict) -> str:
    canonical = json.dumps(params, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:24]


def athlete_key(endpoint: str, athlete, params: dict) -> str:
    """An answer about one athlete: `<installation>:a1:<endpoint>:<usr_…>:g<data_version>:<digest>`."""
    return installation_key(f"a{KEY_VERSION}:{endpoint}:{athlete.public_id}:g{athlete.data_version}:{_digest(params)}")


def organization_key(endpoint: str, organization, viewer, params: dict) -> str:
    """An answer about an organization (roster, dashboards), scoped by who asks (a coach's
    `filter_by_coach` differs from another's) and the organization's data generation:
    `<installation>:o1:<endpoint>:<org_…>:g<data_version>:<viewer>:<digest>`."""
    return installation_key(
        f"o{KEY_VERSION}:{endpoint}:{organization.public_id}:g{organization.data_version}:"
        f"{viewer_key(viewer)}:{_digest(params)}"
    )


def viewer_key(principal) -> str:
    """Who asks, by public id: the user (`usr_…`) or the organization API key (`key_…`)."""
    return principal.api_key.public_id if is_api_key(principal) else principal.public_id


def refresh_pending_key(user_pk: int) -> str:
    """Marks an athlete's snapshot refresh as queued (tasks take integer ids; the installation
    prefix keeps another installation's mark for the same pk from swallowing this one's refresh)."""
    return installation_key(f"metrics-refresh-pending:{user_pk}")


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
