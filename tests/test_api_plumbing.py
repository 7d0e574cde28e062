"""The envelope and error body of SPEC §3 hold for every kind of failure under /api/."""

import json

import pytest

from accounts.api import views as account_views
from tests.conftest import bearer_client

pytestmark = pytest.mark.django_db


def assert_error_body(response, status: int, code: str):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "details"}
    assert isinstance(body["error"], str) and body["error"]
    assert body["details"]["code"] == code
    return body


@pytest.mark.parametrize("debug", [False, True])
def test_unknown_api_path_is_json_404_even_in_debug(api, settings, debug):
    settings.DEBUG = debug
    assert_error_body(api.get("/api/v1/does-not-exist"), 404, "NOT_FOUND")
    assert_error_body(api.post("/api/v2/auth/login", {}), 404, "NOT_FOUND")


def test_non_api_404_stays_a_page(client):
    response = client.get("/definitely-not-here/")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")


def test_trailing_slash_is_accepted(athlete_client, athlete):
    for path in ("/api/v1/auth/me", "/api/v1/auth/me/"):
        response = athlete_client.get(path)
        assert response.status_code == 200
        assert response.json()["user_id"] == athlete.public_id


def test_method_not_allowed(athlete_client):
    body = assert_error_body(athlete_client.delete("/api/v1/auth/me"), 405, "METHOD_NOT_ALLOWED")
    assert "DELETE" in body["error"]


def test_unexpected_exception_is_json_500_without_traceback(athlete, monkeypatch):
    def explode(user):
        raise RuntimeError("secret internals: /etc/passwd")

    monkeypatch.setattr(account_views, "profile_payload", explode)
    response = bearer_client(athlete).get("/api/v1/auth/me")

    body = assert_error_body(response, 500, "INTERNAL_ERROR")
    assert "secret" not in json.dumps(body)
    assert "Traceback" not in response.content.decode()


def test_oversized_body_is_413(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = api.post(
        "/api/v1/auth/register",
        json.dumps({"username": "x" * 5000, "email": "a@b.co", "password": "long-enough-1"}),
        content_type="application/json",
    )
    assert_error_body(response, 413, "PAYLOAD_TOO_LARGE")


def test_non_object_json_body_is_400(api):
    response = api.post("/api/v1/auth/register", "[1, 2]", content_type="application/json")
    body = assert_error_body(response, 400, "INVALID")
    assert body["details"].get("field") in (None, "non_field_errors")


def test_validation_error_names_the_first_bad_field(api):
    response = api.post("/api/v1/auth/register", {"username": "ok.name", "email": "bad"}, format="json")
    body = assert_error_body(response, 400, "INVALID")
    assert body["details"]["field"] == "email"


def test_success_envelope(athlete_client, athlete):
    body = athlete_client.get("/api/v1/users/me").json()
    assert body["status"] == "ok"
    assert body["data"]["user_id"] == athlete.public_id


def test_a_token_and_an_api_key_together_are_refused(athlete):
    # One request names one caller: a valid token never lets a junk API key pass unchecked.
    client = bearer_client(athlete)
    client.credentials(HTTP_AUTHORIZATION=client._credentials["HTTP_AUTHORIZATION"], HTTP_X_API_KEY="ak_junk")
    body = assert_error_body(client.get("/api/v1/auth/me"), 401, "TWO_CREDENTIALS")
    assert body["error"] == "Send either an Authorization bearer token or an X-API-Key, not both."
