"""auth/password_reset(+/confirm) and auth/password_change: no enumeration, limits, revocation."""

import os
from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from accounts.models import AccessToken, OneTimeToken, User
from accounts.one_time import one_time_token_issue
from accounts.passwords import RESET_LIMIT_PER_ADDRESS, RESET_LIMIT_PER_IP
from accounts.services import access_token_issue
from tests.accounts.lifecycle import mailed_token, post_and_deliver
from tests.conftest import bearer_client
from tests.factories import TEST_PASSWORD, UserFactory
from tests.smtp import body_of

RESET = "/api/v1/auth/password_reset"
CONFIRM = "/api/v1/auth/password_reset/confirm"
CHANGE = "/api/v1/auth/password_change"
LOGIN = "/api/v1/auth/login"
ME = "/api/v1/auth/me"
NEW_PASSWORD = "interval-sessions-77"
ACCEPTED = {
    "status": "ok",
    "message": "If an account uses that address, a link to reset its password is on its way.",
}

pytestmark = pytest.mark.django_db


@pytest.fixture
def maria(db):
    return UserFactory(username="maria", email="maria@example.com")


def login(api, password):
    return api.post(LOGIN, {"username": "maria", "password": password}, format="json")


def test_reset_by_mail_sets_the_password_and_revokes_every_token(
    maria, mailbox, api, django_capture_on_commit_callbacks
):
    clients = [bearer_client(maria), bearer_client(maria)]
    response = post_and_deliver(api, RESET, {"email": "MARIA@example.com"}, django_capture_on_commit_callbacks)
    assert response.status_code == 202
    assert response.json() == ACCEPTED
    [message] = mailbox.wait_for(1)
    assert message["To"] == "maria@example.com"
    assert message["Subject"] == "Reset your Astral password"
    assert "for 60 minutes" in body_of(message)
    link, token = mailed_token(mailbox)
    assert link == f"http://127.0.0.1:8000/accounts/reset/?token={token}"
    row = OneTimeToken.objects.get()
    assert (row.purpose, row.expires_at - row.created_at) == ("password_reset", timedelta(hours=1))

    confirmed = api.post(CONFIRM, {"token": token, "password": NEW_PASSWORD}, format="json")
    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == "ok"

    maria.refresh_from_db()
    assert maria.check_password(NEW_PASSWORD)
    assert AccessToken.objects.filter(user=maria, revoked_at__isnull=True).count() == 0
    assert AccessToken.objects.filter(user=maria).count() == 2
    for client in clients:
        assert client.get(ME).json()["details"]["code"] == "TOKEN_REVOKED"
    assert login(api, TEST_PASSWORD).status_code == 401
    assert login(api, NEW_PASSWORD).status_code == 200
    # The link worked once.
    again = api.post(CONFIRM, {"token": token, "password": "another-long-pass-1"}, format="json")
    assert again.status_code == 400
    assert again.json()["details"] == {"code": "INVALID_OR_EXPIRED_TOKEN", "field": "token"}


def test_unknown_address_gets_the_same_answer_and_no_mail(maria, mailbox, api, django_capture_on_commit_callbacks):
    response = post_and_deliver(api, RESET, {"email": "nobody@example.com"}, django_capture_on_commit_callbacks)
    assert response.status_code == 202
    assert response.json() == ACCEPTED
    assert OneTimeToken.objects.count() == 0
    assert mailbox.delivered() == []


def test_a_weak_password_is_refused_without_spending_the_token(maria, api):
    token = one_time_token_issue(user=maria, purpose="password_reset")
    for weak, fragment in [("short1", "too short"), ("12345678901", "entirely numeric"), ("password123", "too common")]:
        response = api.post(CONFIRM, {"token": token, "password": weak}, format="json")
        assert response.status_code == 400
        assert response.json()["details"] == {"code": "WEAK_PASSWORD", "field": "password"}
        assert fragment in response.json()["error"]
    assert api.post(CONFIRM, {"token": token, "password": NEW_PASSWORD}, format="json").status_code == 200


def test_expired_and_other_purpose_tokens_are_refused(maria, api):
    expired = one_time_token_issue(user=maria, purpose="password_reset", now=timezone.now() - timedelta(minutes=61))
    verify = one_time_token_issue(user=maria, purpose="verify_email")
    for token in (expired, verify, "not-a-token"):
        response = api.post(CONFIRM, {"token": token, "password": NEW_PASSWORD}, format="json")
        assert response.status_code == 400
        assert response.json()["details"]["code"] == "INVALID_OR_EXPIRED_TOKEN"
    maria.refresh_from_db()
    assert maria.check_password(TEST_PASSWORD)


def test_a_new_password_kills_older_reset_links(maria, api):
    first = one_time_token_issue(user=maria, purpose="password_reset")
    second = one_time_token_issue(user=maria, purpose="password_reset")
    assert api.post(CONFIRM, {"token": second, "password": NEW_PASSWORD}, format="json").status_code == 200
    assert api.post(CONFIRM, {"token": first, "password": "yet-another-pass-9"}, format="json").status_code == 400


def test_requests_are_limited_per_address_whether_or_not_it_has_an_account(maria, api):
    for address in ("maria@example.com", "ghost@example.com"):
        answers = [api.post(RESET, {"email": address}, format="json") for _ in range(RESET_LIMIT_PER_ADDRESS + 1)]
        assert [a.status_code for a in answers] == [202, 202, 202, 429]
        assert answers[-1].json()["details"]["code"] == "RATE_LIMITED"
        assert 1 <= int(answers[-1]["Retry-After"]) <= 3600
    assert OneTimeToken.objects.count() == RESET_LIMIT_PER_ADDRESS  # only maria's three


def test_the_limit_counts_per_installation(api, installation_switch):
    """Another installation on the same Redis keeps its own reset counters."""
    codes = [api.post(RESET, {"email": "ghost@example.com"}, format="json").status_code for _ in range(4)]
    assert codes == [202, 202, 202, 429]
    original = installation_switch.installation_id()
    installation_switch.installation_id_rotate()
    assert api.post(RESET, {"email": "ghost@example.com"}, format="json").status_code == 202
    installation_switch._memo = original
    assert api.post(RESET, {"email": "ghost@example.com"}, format="json").status_code == 429


def test_requests_are_limited_per_client_ip(api):
    codes = [
        api.post(RESET, {"email": f"person{n}@example.com"}, format="json", REMOTE_ADDR="10.0.0.9").status_code
        for n in range(RESET_LIMIT_PER_IP + 1)
    ]
    assert codes == [202] * RESET_LIMIT_PER_IP + [429]
    other_ip = api.post(RESET, {"email": "person0@example.com"}, format="json", REMOTE_ADDR="10.0.0.10")
    assert other_ip.status_code == 202


def test_with_the_cache_down_resets_still_work_unlimited(maria, api):
    from tests.test_settings_and_resilience import REDIS_DOWN

    with override_settings(CACHES=REDIS_DOWN, DJANGO_REDIS_IGNORE_EXCEPTIONS=True):
        codes = [api.post(RESET, {"email": "maria@example.com"}, format="json").status_code for _ in range(5)]
    assert codes == [202] * 5
    assert OneTimeToken.objects.count() == 5


def test_hostile_input_is_a_400(api, maria):
    token = one_time_token_issue(user=maria, purpose="password_reset")
    cases = [
        (RESET, {"email": "maria@example.com\x00"}, "email"),
        (RESET, {"email": "not an address"}, "email"),
        (CONFIRM, {"token": token + "\x00", "password": NEW_PASSWORD}, "token"),
        (CONFIRM, {"token": token, "password": "long-enough\x00pass"}, "password"),
        (CONFIRM, {"token": token}, "password"),
    ]
    for path, body, field in cases:
        response = api.post(path, body, format="json")
        assert response.status_code == 400, body
        assert response.json()["details"]["field"] == field
    maria.refresh_from_db()
    assert maria.check_password(TEST_PASSWORD)


class TestPasswordChange:
    def test_revokes_every_token_and_returns_a_fresh_one(self, maria, api):
        caller, other = bearer_client(maria), bearer_client(maria)
        response = caller.post(CHANGE, {"old_password": TEST_PASSWORD, "new_password": NEW_PASSWORD}, format="json")
        assert response.status_code == 200
        body = response.json()
        assert body["user_id"] == maria.public_id
        assert body["token_type"] == "Bearer"
        assert caller.get(ME).json()["details"]["code"] == "TOKEN_REVOKED"
        assert other.get(ME).json()["details"]["code"] == "TOKEN_REVOKED"
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {body['access_token']}")
        assert api.get(ME).json()["username"] == "maria"
        assert AccessToken.objects.filter(user=maria, revoked_at__isnull=True).count() == 1
        maria.refresh_from_db()
        assert maria.check_password(NEW_PASSWORD)

    def test_wrong_old_password_changes_nothing_and_is_throttled(self, maria):
        client = bearer_client(maria)
        body = {"old_password": "wrong-password-1", "new_password": NEW_PASSWORD}
        codes = [client.post(CHANGE, body, format="json").status_code for _ in range(6)]
        assert codes == [400] * 5 + [429]
        assert client.get(ME).status_code == 200  # the token still works
        maria.refresh_from_db()
        assert maria.check_password(TEST_PASSWORD)

    def test_weak_new_password_and_anonymous(self, maria, api):
        client = bearer_client(maria)
        response = client.post(CHANGE, {"old_password": TEST_PASSWORD, "new_password": "maria"}, format="json")
        assert response.json()["details"] == {"code": "WEAK_PASSWORD", "field": "new_password"}
        assert client.get(ME).status_code == 200
        assert api.post(CHANGE, {"old_password": "a", "new_password": "b"}, format="json").status_code == 401


@pytest.mark.skipif(os.environ.get("ASTRAL_REQUIRE_SERVICES") != "1", reason="services pass: a real worker")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_mails_the_reset_link_and_its_token_resets_the_password(smtp_server, api):
    from astral.celery import app
    from tests.services.worker import start_worker, stop_worker
    from tests.smtp import smtp_env

    maria = UserFactory(username="maria", email="maria@example.com")
    _, old_token = access_token_issue(user=maria)
    app.control.purge()
    db = connection.settings_dict
    worker = start_worker(
        "reset",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        **smtp_env(smtp_server),
    )
    try:
        assert api.post(RESET, {"email": "maria@example.com"}, format="json").status_code == 202
        smtp_server.wait_for(1, timeout=60)
    finally:
        output = stop_worker(worker)
    link, token = mailed_token(smtp_server)
    assert link.startswith("http://127.0.0.1:8000/accounts/reset/?token="), output
    assert api.post(CONFIRM, {"token": token, "password": NEW_PASSWORD}, format="json").status_code == 200
    assert User.objects.get(pk=maria.pk).check_password(NEW_PASSWORD)
    assert AccessToken.objects.get(pk=old_token.pk).revoked_at is not None
