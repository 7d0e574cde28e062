"""Web pages of the account lifecycle: reset by mail, email verification, password change,
"Export my data" — the mailed link opens a page, only its POST acts."""

import io
import zipfile

import pytest
from django.test import Client

from accounts.models import AccessToken, OneTimeToken, User
from accounts.one_time import one_time_token_issue
from accounts.services import access_token_issue
from tests.accounts.lifecycle import mailed_token
from tests.factories import TEST_PASSWORD, CoachFactory, MembershipFactory, OrganizationFactory, UserFactory

NEW_PASSWORD = "hill-repeats-2031"
pytestmark = pytest.mark.django_db


@pytest.fixture
def maria(db):
    return UserFactory(username="maria", email="maria@example.com", display_name="María")


def logged_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def test_login_page_links_to_the_reset_page(client):
    page = client.get("/accounts/login/").content.decode()
    assert '<a href="/accounts/password-reset/">Forgot password?</a>' in page


def test_reset_by_mail_logs_out_every_web_session(maria, client, mailbox, django_capture_on_commit_callbacks):
    elsewhere = logged_in(maria)
    assert elsewhere.get("/").status_code == 302 and elsewhere.get("/").url != "/accounts/login/?next=/"
    _, api_token = access_token_issue(user=maria)

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post("/accounts/password-reset/", {"email": "maria@example.com"})
    assert sent.status_code == 200
    assert "If an account uses that address" in sent.content.decode()
    link, token = mailed_token(mailbox)
    path = link.removeprefix("http://127.0.0.1:8000")

    form = client.get(path)  # opening the link (or a mail scanner prefetching it) changes nothing
    assert form.status_code == 200
    assert f'name="token" value="{token}"' in form.content.decode()
    assert OneTimeToken.objects.get().used_at is None

    mismatch = client.post(
        "/accounts/reset/", {"token": token, "new_password": NEW_PASSWORD, "new_password_again": "x"}
    )
    assert "The two passwords differ." in mismatch.content.decode()
    weak = client.post("/accounts/reset/", {"token": token, "new_password": "maria", "new_password_again": "maria"})
    assert "too short" in weak.content.decode()
    assert OneTimeToken.objects.get().used_at is None

    done = client.post(
        "/accounts/reset/", {"token": token, "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}
    )
    assert done.status_code == 200
    assert "Your password is changed" in done.content.decode()
    assert User.objects.get(pk=maria.pk).check_password(NEW_PASSWORD)
    assert elsewhere.get("/").url == "/accounts/login/?next=/"  # the other browser is logged out
    assert AccessToken.objects.get(pk=api_token.pk).revoked_at is not None

    reused = client.get(path)
    assert reused.status_code == 400
    assert "invalid, has expired or was already used" in reused.content.decode()


def test_reset_request_for_an_unknown_address_reads_the_same(client, mailbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post("/accounts/password-reset/", {"email": "ghost@example.com"})
    assert "If an account uses that address" in page.content.decode()
    assert mailbox.delivered() == []


def test_bad_links_and_hostile_input_show_a_page_not_an_error(maria, client):
    for query in ("", "?token=nope"):
        page = client.get(f"/accounts/reset/{query}")
        assert page.status_code == 400
        assert "Ask for a new link" in page.content.decode()
    hostile = client.get("/accounts/reset/?token=a%00b")  # refused before the view, in the site layout
    assert hostile.status_code == 400
    assert "characters that are not allowed" in hostile.content.decode()
    page = client.post("/accounts/reset/", {"token": "a\x00b", "new_password": "x", "new_password_again": "x"})
    assert page.status_code == 400
    page = client.post("/accounts/password-reset/", {"email": "maria@example.com\x00"})
    assert page.status_code == 200
    assert "Null characters are not allowed." in page.content.decode()


def test_verify_email_page_confirms_on_post_only(maria, client):
    token = one_time_token_issue(user=maria, purpose="verify_email")
    page = client.get(f"/accounts/verify-email/?token={token}")
    assert page.status_code == 200
    assert "Confirm my address" in page.content.decode()
    assert User.objects.get(pk=maria.pk).email_verified is False

    done = client.post("/accounts/verify-email/", {"token": token})
    assert "maria@example.com is confirmed" in done.content.decode()
    assert User.objects.get(pk=maria.pk).email_verified is True
    assert client.post("/accounts/verify-email/", {"token": token}).status_code == 400


def test_the_pages_need_a_csrf_token(maria):
    browser = Client(enforce_csrf_checks=True)
    token = one_time_token_issue(user=maria, purpose="verify_email")
    assert browser.post("/accounts/verify-email/", {"token": token}).status_code == 403
    assert User.objects.get(pk=maria.pk).email_verified is False


def test_password_change_keeps_this_session_and_ends_the_others(maria):
    here, elsewhere = logged_in(maria), logged_in(maria)
    _, api_token = access_token_issue(user=maria)
    assert Client().get("/accounts/password-change/").url == "/accounts/login/?next=/accounts/password-change/"

    wrong = here.post(
        "/accounts/password-change/",
        {"old_password": "nope-nope-1", "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD},
    )
    assert "The current password is not correct." in wrong.content.decode()

    done = here.post(
        "/accounts/password-change/",
        {"old_password": TEST_PASSWORD, "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD},
    )
    assert "Your password is changed" in done.content.decode()
    assert here.get("/accounts/password-change/").status_code == 200  # still logged in
    assert elsewhere.get("/accounts/password-change/").status_code == 302  # logged out
    assert AccessToken.objects.get(pk=api_token.pk).revoked_at is not None


def test_export_button_on_the_own_profile_only_and_the_download(maria):
    own = logged_in(maria).get(f"/athletes/{maria.public_id}/").content.decode()
    assert 'href="/account/export/"' in own

    org = OrganizationFactory()
    coach = CoachFactory()
    MembershipFactory(user=coach, organization=org, role="coach")
    MembershipFactory(user=maria, organization=org)
    coach_view = logged_in(coach).get(f"/athletes/{maria.public_id}/").content.decode()
    assert "María" in coach_view
    assert 'href="/account/export/"' not in coach_view

    download = logged_in(maria).get("/account/export/")
    assert download.streaming
    assert download["Content-Disposition"] == 'attachment; filename="astral-export-maria.zip"'
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert "activities.csv" in archive.namelist()
    assert Client().get("/account/export/").url == "/accounts/login/?next=/account/export/"
