"""auth/verify_email and auth/verify_email/confirm: mailed link, single use, expiry, rate limit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import tokens
from accounts.models import OneTimeToken, User
from accounts.one_time import one_time_token_issue
from tests.accounts.lifecycle import mailed_token, post_and_deliver
from tests.conftest import bearer_client
from tests.factories import UserFactory
from tests.smtp import body_of

VERIFY = "/api/v1/auth/verify_email"
CONFIRM = "/api/v1/auth/verify_email/confirm"
ME = "/api/v1/auth/me"

pytestmark = pytest.mark.django_db


@pytest.fixture
def maria(db):
    return UserFactory(username="maria", email="Maria@Example.com", display_name="María")


def test_the_mailed_link_verifies_the_address_once(maria, mailbox, django_capture_on_commit_callbacks, api):
    client = bearer_client(maria)
    assert client.get(ME).json()["email_verified"] is False

    response = post_and_deliver(client, VERIFY, {}, django_capture_on_commit_callbacks)
    assert response.status_code == 202
    assert response.json() == {
        "status": "ok",
        "message": "Verification email sent.",
        "email": "Maria@Example.com",
        "email_verified": False,
    }
    [message] = mailbox.wait_for(1)
    assert message["To"] == "Maria@Example.com"
    assert message["Subject"] == "Confirm your email address for Astral"
    assert "for 24 hours" in body_of(message)
    link, token = mailed_token(mailbox)
    assert link == f"http://127.0.0.1:8000/accounts/verify-email/?token={token}"
    # Stored hashed only, for the address it went to, expiring 24 hours later.
    row = OneTimeToken.objects.get()
    assert row.token_hash == tokens.digest(token)
    assert row.email == "maria@example.com"
    assert row.expires_at - row.created_at == timedelta(hours=24)

    confirmed = api.post(CONFIRM, {"token": token}, format="json")
    assert confirmed.status_code == 200
    assert confirmed.json() == {
        "status": "ok",
        "user_id": maria.public_id,
        "email": "Maria@Example.com",
        "email_verified": True,
    }
    assert client.get(ME).json()["email_verified"] is True

    again = api.post(CONFIRM, {"token": token}, format="json")
    assert again.status_code == 400
    assert again.json()["details"] == {"code": "INVALID_OR_EXPIRED_TOKEN", "field": "token"}


def test_already_verified_sends_nothing(maria, mailbox, django_capture_on_commit_callbacks):
    User.objects.filter(pk=maria.pk).update(verified_email="maria@example.com")
    response = post_and_deliver(bearer_client(maria), VERIFY, {}, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert response.json()["email_verified"] is True
    assert mailbox.delivered() == []
    assert OneTimeToken.objects.count() == 0


def test_changing_the_email_unverifies_and_old_links_die(maria, api):
    token = one_time_token_issue(user=maria, purpose="verify_email")
    User.objects.filter(pk=maria.pk).update(email="new@example.com")
    response = api.post(CONFIRM, {"token": token}, format="json")
    assert response.status_code == 400
    maria.refresh_from_db()
    assert maria.verified_email == ""
    # A verified address stops counting once the address changes.
    maria.verified_email = "new@example.com"
    maria.email = "other@example.com"
    assert maria.email_verified is False


def test_an_expired_link_is_refused(maria, api):
    token = one_time_token_issue(
        user=maria, purpose="verify_email", now=timezone.now() - timedelta(hours=24, seconds=1)
    )
    response = api.post(CONFIRM, {"token": token}, format="json")
    assert response.status_code == 400
    assert response.json()["details"]["code"] == "INVALID_OR_EXPIRED_TOKEN"
    maria.refresh_from_db()
    assert maria.email_verified is False


def test_a_password_reset_token_does_not_verify(maria, api):
    token = one_time_token_issue(user=maria, purpose="password_reset")
    assert api.post(CONFIRM, {"token": token}, format="json").status_code == 400
    maria.refresh_from_db()
    assert maria.email_verified is False
    assert OneTimeToken.objects.get().used_at is None  # not spent by the wrong endpoint


def test_the_fourth_request_within_the_hour_is_429_with_retry_after(maria, django_capture_on_commit_callbacks):
    client = bearer_client(maria)
    now = timezone.now()
    for minutes_ago in (50, 20):  # two requests earlier in the hour (the oldest leaves in 10 minutes)
        one_time_token_issue(user=maria, purpose="verify_email", now=now - timedelta(minutes=minutes_ago))
    OneTimeToken.objects.create(  # older than the hour: does not count
        user=maria,
        purpose="verify_email",
        email="maria@example.com",
        token_hash="0" * 64,
        created_at=now - timedelta(minutes=61),
        expires_at=now,
    )
    assert post_and_deliver(client, VERIFY, {}, django_capture_on_commit_callbacks).status_code == 202

    response = post_and_deliver(client, VERIFY, {}, django_capture_on_commit_callbacks)
    assert response.status_code == 429
    assert response.json()["details"]["code"] == "RATE_LIMITED"
    retry_after = int(response["Retry-After"])
    assert 595 <= retry_after <= 600  # 10 minutes, minus the seconds the test took
    assert response.json()["details"]["retry_after"] == retry_after
    assert OneTimeToken.objects.count() == 4  # the refused request issued nothing


def test_the_limit_is_per_address_not_per_account(maria, django_capture_on_commit_callbacks):
    """Tokens for the same address (any case) count, even when issued to the account earlier."""
    for _ in range(3):
        one_time_token_issue(user=maria, purpose="verify_email")
    maria.email = "MARIA@example.COM"
    maria.save(update_fields=["email"])
    response = post_and_deliver(bearer_client(maria), VERIFY, {}, django_capture_on_commit_callbacks)
    assert response.status_code == 429


def test_anonymous_and_hostile_input(api):
    assert api.post(VERIFY, {}, format="json").status_code == 401
    for token in ["abc\x00def", "", "x" * 129]:
        response = api.post(CONFIRM, {"token": token}, format="json")
        assert response.status_code == 400, token
        assert response.json()["details"]["field"] == "token"
    assert api.post(CONFIRM, {}, format="json").json()["details"] == {"code": "REQUIRED", "field": "token"}
