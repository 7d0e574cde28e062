"""The response checker of tests/schema_check.py catches drift: it is called directly with
responses the real schema does not document, and through the test client it is always on."""

import pytest
from django.http import HttpResponse, JsonResponse

from tests import schema_check

LOGOUT = "/api/v1/auth/logout"


@pytest.fixture
def checker():
    return schema_check.checker()


def test_a_documented_response_passes(checker):
    checker.check("POST", LOGOUT, JsonResponse({"status": "ok", "message": "Logged out."}))
    checker.check("POST", LOGOUT + "/", JsonResponse({"status": "ok", "message": "Logged out."}))


def test_an_extra_key_fails(checker):
    with pytest.raises(AssertionError, match=r"POST /api/v1/auth/logout → 200 .*'surprise' was unexpected"):
        checker.check("POST", LOGOUT, JsonResponse({"status": "ok", "message": "x", "surprise": 1}))


def test_a_wrong_type_fails(checker):
    with pytest.raises(AssertionError, match=r"at /message: 5 is not of type 'string'"):
        checker.check("POST", LOGOUT, JsonResponse({"status": "ok", "message": 5}))


def test_a_missing_required_key_fails(checker):
    with pytest.raises(AssertionError, match=r"'message' is a required property"):
        checker.check("POST", LOGOUT, JsonResponse({"status": "ok"}))


def test_an_undocumented_success_status_fails(checker):
    with pytest.raises(AssertionError, match=r"POST /api/v1/auth/logout documents no 202 response"):
        checker.check("POST", LOGOUT, JsonResponse({"status": "ok", "message": "x"}, status=202))


def test_an_undocumented_method_or_path_fails(checker):
    with pytest.raises(AssertionError, match=r"/api/v1/auth/logout documents no GET"):
        checker.check("GET", LOGOUT, JsonResponse({}))
    with pytest.raises(AssertionError, match=r"no path of the OpenAPI schema matches"):
        checker.check("GET", "/api/v1/nowhere", JsonResponse({}))


def test_a_wrong_content_type_fails(checker):
    with pytest.raises(AssertionError, match=r"Content-Type 'text/html'"):
        checker.check("POST", LOGOUT, HttpResponse("<p>ok</p>", content_type="text/html"))


def test_error_details_accept_the_documented_keys_only(checker):
    documented = {"error": "Slow down.", "details": {"code": "RATE_LIMITED", "retry_after": 30}}
    checker.check("POST", "/api/v1/auth/password_reset", JsonResponse(documented, status=429))
    undocumented = {"error": "No.", "details": {"code": "X", "hint": "try harder"}}
    with pytest.raises(AssertionError, match=r"at /details: Additional properties .*'hint' was unexpected"):
        checker.check("POST", LOGOUT, JsonResponse(undocumented, status=401))
    with pytest.raises(AssertionError, match=r"at /details/retry_after: '30' is not of type 'integer'"):
        checker.check(
            "POST",
            "/api/v1/auth/password_reset",
            JsonResponse({**documented, "details": {"code": "RATE_LIMITED", "retry_after": "30"}}, status=429),
        )


def test_nullable_becomes_a_null_alternative():
    assert schema_check.to_json_schema({"type": "string", "nullable": True}) == {"type": ["string", "null"]}
    assert schema_check.to_json_schema({"properties": {"a": {"type": "integer"}}}) == {
        "properties": {"a": {"type": "integer"}},
        "additionalProperties": False,
    }


def test_the_test_client_checks_every_api_response(athlete_client, monkeypatch):
    from accounts.api import views

    real = views.profile_payload
    monkeypatch.setattr(views, "profile_payload", lambda user: {**real(user), "drift": True})
    with pytest.raises(AssertionError, match=r"GET /api/v1/auth/me → 200 .*'drift' was unexpected"):
        athlete_client.get("/api/v1/auth/me")


@pytest.mark.no_schema_check(reason="shows that the marker turns the check off")
def test_the_marker_turns_the_check_off(athlete_client, monkeypatch):
    from accounts.api import views

    real = views.profile_payload
    monkeypatch.setattr(views, "profile_payload", lambda user: {**real(user), "drift": True})
    assert athlete_client.get("/api/v1/auth/me").json()["drift"] is True
