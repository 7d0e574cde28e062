"""Login throttling counts the *client* address: behind a proxy one client's failures lock out that
client only, and without a trusted proxy a forged X-Forwarded-For changes nothing."""

import pytest
from django.core.cache import cache

from accounts.models import AccessToken
from astral.installation import installation_key
from tests.factories import TEST_PASSWORD, UserFactory

LOGIN = "/api/v1/auth/login"
WEB_LOGIN = "/accounts/login/"
PROXY = "10.0.0.2"
CLIENT_A = "203.0.113.7"
CLIENT_B = "198.51.100.23"

pytestmark = pytest.mark.django_db


def api_login(api, username: str, password: str, **meta):
    return api.post(LOGIN, {"username": username, "password": password}, format="json", **meta)


def fail_five_times(api, **meta):
    # Five different usernames, so only the per-IP counter can reach the limit.
    for attempt in range(5):
        assert api_login(api, f"guess{attempt}", "bad", **meta).status_code == 401


def test_behind_one_proxy_only_the_failing_client_is_throttled(api, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="zola")
    fail_five_times(api, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_A)
    assert cache.get(installation_key(f"login-failures:ip:{CLIENT_A}")) == 5
    assert cache.get(installation_key(f"login-failures:ip:{PROXY}")) is None

    blocked = api_login(api, "zola", TEST_PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_A)
    assert blocked.status_code == 429
    assert blocked.json()["details"]["code"] == "RATE_LIMITED"
    # A forged entry left of the one the proxy appended does not get client A out either.
    forged = api_login(api, "zola", TEST_PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {CLIENT_A}")
    assert forged.status_code == 429
    assert not AccessToken.objects.exists()

    other = api_login(api, "zola", TEST_PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_B)
    assert other.status_code == 200
    assert other.json()["user_id"] == AccessToken.objects.get().user.public_id


def test_without_a_trusted_proxy_a_forged_header_does_not_change_the_counted_ip(api, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    UserFactory(username="zola")
    for attempt in range(5):
        response = api_login(
            api, f"guess{attempt}", "bad", REMOTE_ADDR=CLIENT_A, HTTP_X_FORWARDED_FOR=f"9.9.9.{attempt}"
        )
        assert response.status_code == 401
    assert cache.get(installation_key(f"login-failures:ip:{CLIENT_A}")) == 5
    assert not any(cache.get(f"login-failures:ip:9.9.9.{attempt}") for attempt in range(5))

    rotated = api_login(api, "zola", TEST_PASSWORD, REMOTE_ADDR=CLIENT_A, HTTP_X_FORWARDED_FOR=CLIENT_B)
    assert rotated.status_code == 429
    assert api_login(api, "zola", TEST_PASSWORD, REMOTE_ADDR=CLIENT_B).status_code == 200


def test_web_login_counts_the_same_client_address(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="kip")
    for attempt in range(5):
        client.post(
            WEB_LOGIN,
            {"username": f"guess{attempt}", "password": "nope"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=CLIENT_A,
        )
    assert cache.get(installation_key(f"login-failures:ip:{CLIENT_A}")) == 5

    blocked = client.post(
        WEB_LOGIN, {"username": "kip", "password": TEST_PASSWORD}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_A
    )
    assert "Too many failed login attempts" in blocked.content.decode()
    assert "_auth_user_id" not in client.session

    # The web form and the API share the counters: client A is throttled on the API too.
    assert (
        client.post(
            LOGIN,
            {"username": "kip", "password": TEST_PASSWORD},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=CLIENT_A,
            content_type="application/json",
        ).status_code
        == 429
    )

    other = client.post(
        WEB_LOGIN, {"username": "kip", "password": TEST_PASSWORD}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_B
    )
    assert other.status_code == 302
    assert client.session["_auth_user_id"]
