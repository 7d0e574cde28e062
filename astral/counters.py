"""Request counters in the cache, for rate limits: one window per key, per installation."""

from django.core.cache import cache

from astral.installation import installation_key


def counter_hit(key: str, window_seconds: int) -> int | None:
    """Count one event under `key` (namespaced by the installation); the count so far in the
    window, which starts at the first event (add) and keeps its expiry (incr). None when the
    cache is down: a limit built on it is then inactive, never an error."""
    key = installation_key(key)
    if cache.add(key, 1, window_seconds):
        return 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        return 1 if cache.add(key, 1, window_seconds) else None
    return count if isinstance(count, int) else None
