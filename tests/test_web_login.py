"""Session login for the web UI, with CSRF on the form."""

import re

import pytest
from django.test import Client

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_login_form_carries_a_csrf_token(client):
    html = client.get("/accounts/login/").content.decode()
    assert re.search(r'name="csrfmiddlewaretoken" value="[^"]+"', html)


def test_post_without_csrf_token_is_refused():
    UserFactory(username="kip")
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/login/", {"username": "kip", "password": TEST_PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in strict.session


def test_login_with_csrf_token_then_logout():
    user = UserFactory(username="kip", display_name="Kip K")
    strict = Client(enforce_csrf_checks=True)
    page = strict.get("/accounts/login/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    response = strict.post(
        "/accounts/login/", {"username": "kip", "password": TEST_PASSWORD, "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert strict.session["_auth_user_id"] == str(user.pk)
    home = strict.get("/", follow=True).content.decode()  # an athlete lands on their own profile
    assert "Kip K" in home
    assert f'href="/athletes/{user.public_id}/"' in home  # an athlete's sidebar links their own profile
    assert 'href="/api/docs/"' in home
    assert 'href="/admin/"' not in home  # not staff
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', home).group(1)
    strict.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert "_auth_user_id" not in strict.session


def test_wrong_password_shows_an_error(client):
    UserFactory(username="kip")
    response = client.post("/accounts/login/", {"username": "kip", "password": "nope"})
    assert response.status_code == 200
    assert "didn't match" in response.content.decode()


def test_staff_sees_admin_link(client):
    client.force_login(UserFactory(is_staff=True))
    assert 'href="/admin/"' in client.get("/", follow=True).content.decode()


def test_health(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_web_login_is_throttled_after_five_failures(client):
    UserFactory(username="kip")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "kip", "password": "nope"})
    response = client.post("/accounts/login/", {"username": "kip", "password": TEST_PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
