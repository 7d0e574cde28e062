"""astral.client_ip: the client address behind N trusted proxies (X-Forwarded-For from the right)."""

import pytest
from django.test import RequestFactory

from astral.client_ip import client_ip

PROXY = "10.0.0.2"


def request_from(remote_addr: str | None = PROXY, forwarded_for: str | None = None):
    meta = {}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    request = RequestFactory().get("/", **meta)
    if remote_addr is None:
        del request.META["REMOTE_ADDR"]
    else:
        request.META["REMOTE_ADDR"] = remote_addr
    return request


@pytest.mark.parametrize(
    ("forwarded_for", "expected"),
    [
        (None, PROXY),
        ("203.0.113.7", PROXY),  # no proxy trusted: the header is anyone's to write
        ("203.0.113.7, 198.51.100.1", PROXY),
        ("not-an-ip", PROXY),
    ],
)
def test_no_trusted_proxy_ignores_the_header(settings, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from(forwarded_for=forwarded_for)) == expected


@pytest.mark.parametrize(
    ("forwarded_for", "expected"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("203.0.113.7 ", "203.0.113.7"),
        # A client's own (spoofed) entries are left of what our proxy appended.
        ("1.2.3.4, 203.0.113.7", "203.0.113.7"),
        ("garbage, 203.0.113.7", "203.0.113.7"),
        ("2001:DB8:0:0::1", "2001:db8::1"),  # canonical form: one client, one counter
        (None, PROXY),  # header missing
        ("", PROXY),
        (" , ", PROXY),
        ("203.0.113.300", PROXY),  # malformed
        ("203.0.113.7:8080", PROXY),  # a port is not an address
    ],
)
def test_one_trusted_proxy_takes_the_rightmost_entry(settings, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from(forwarded_for=forwarded_for)) == expected


@pytest.mark.parametrize(
    ("forwarded_for", "expected"),
    [
        # client, then the outer proxy (written by the inner one); REMOTE_ADDR is the inner proxy
        ("203.0.113.7, 172.16.0.1", "203.0.113.7"),
        ("9.9.9.9, 203.0.113.7, 172.16.0.1", "203.0.113.7"),
        ("172.16.0.1", PROXY),  # shorter than the proxy count
        ("203.0.113.7, bogus", PROXY),  # an entry our own proxies wrote is malformed
    ],
)
def test_two_trusted_proxies_take_the_second_entry_from_the_right(settings, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_from(forwarded_for=forwarded_for)) == expected


def test_missing_remote_addr_is_unknown(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from(remote_addr=None)) == "unknown"
    assert client_ip(request_from(remote_addr=None, forwarded_for="203.0.113.7")) == "203.0.113.7"
