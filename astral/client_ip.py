"""The client's IP address, the one every throttle counts by.

Behind reverse proxies REMOTE_ADDR is the nearest proxy, so counting by it would let five failures
from one client lock out everyone behind that proxy. Each proxy appends the address it received
the request from to `X-Forwarded-For`; only the entries our own proxies wrote can be trusted (a
client can send any header it likes), so with N trusted proxies the client is the N-th entry from
the right. `DJANGO_TRUSTED_PROXY_COUNT` (default 0: no proxy, the header is ignored) sets N.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

UNKNOWN = "unknown"


def _parse_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client address in canonical form (`ipaddress`), e.g. "203.0.113.7" or "2001:db8::1".

    With `TRUSTED_PROXY_COUNT` = N > 0 it is the N-th `X-Forwarded-For` entry from the right;
    REMOTE_ADDR (the last proxy) is used instead when the header has fewer than N entries or one of
    those N entries is not an IP address. With N = 0 the header is ignored. "unknown" when even
    REMOTE_ADDR is missing (a Unix socket without a proxy header).
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    fallback = _parse_ip(remote) or remote or UNKNOWN
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted <= 0:
        return fallback
    entries = [entry for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    if len(entries) < trusted:
        return fallback
    # Everything right of the client was written by our own proxies, so it must all be addresses.
    parsed = [_parse_ip(entry) for entry in entries[-trusted:]]
    if any(address is None for address in parsed):
        return fallback
    return parsed[0]
