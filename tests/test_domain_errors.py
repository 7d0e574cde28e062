"""The domain exceptions (astral.exceptions) are mapped once for the API and once for the pages."""

import pytest
from django.test import RequestFactory

from astral.api.errors import exception_handler, status_of
from astral.exceptions import (
    ApplicationError,
    Conflict,
    InvalidInput,
    NotAllowed,
    NotAuthenticated,
    NotFound,
    RateLimited,
    TooLarge,
    invalid,
)
from astral.web_errors import ApplicationErrorMiddleware
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CASES = [
    (InvalidInput("bad week", "INVALID_DATE", field="week"), 400),
    (NotAuthenticated("who?", "INVALID_CREDENTIALS"), 401),
    (NotAllowed("not yours"), 403),
    (NotFound("no such org", "ORGANIZATION_NOT_FOUND"), 404),
    (Conflict("taken", "USERNAME_TAKEN", field="username"), 409),
    (TooLarge("too big"), 413),
    (RateLimited("slow down", retry_after=30), 429),
]


@pytest.mark.parametrize(("error", "status"), CASES)
def test_the_api_maps_each_domain_error_to_its_status_and_the_error_body(error, status):
    response = exception_handler(error, {})

    assert (status_of(error), response.status_code) == (status, status)
    details = {"code": error.code, **({"field": error.field} if error.field else {}), **error.extra}
    assert response.data == {"error": error.message, "details": details}
    assert response.get("Retry-After") == ("30" if status == 429 else None)
    assert response.get("WWW-Authenticate") == ('Bearer realm="api"' if status == 401 else None)


def test_default_codes_and_the_invalid_helper():
    assert (NotAllowed("x").code, NotFound("x").code, Conflict("x").code) == ("FORBIDDEN", "NOT_FOUND", "CONFLICT")
    error = invalid("from", "from must be a date.", "INVALID_DATE")
    assert (type(error), error.field, error.code, error.message) == (
        InvalidInput,
        "from",
        "INVALID_DATE",
        "from must be a date.",
    )


def _page_answer(path: str, error: ApplicationError):
    request = RequestFactory().get(path)
    request.user = UserFactory()
    return ApplicationErrorMiddleware(lambda r: None).process_exception(request, error)


@pytest.mark.parametrize(
    ("error", "status", "heading"),
    [
        (NotFound("Organization 'org_x' not found."), 404, "<h1>404</h1>"),
        (NotAllowed("You are not a coach or admin of this organization."), 403, "<h1>403</h1>"),
        (InvalidInput("week must be a Monday."), 400, "<h1>400</h1>"),
        (Conflict("This invitation is revoked."), 409, "<h1>409</h1>"),
        (TooLarge("The file is too large."), 413, "<h1>413</h1>"),
        (RateLimited("Too many requests.", retry_after=12), 429, "<h1>429</h1>"),
    ],
)
def test_a_page_shows_an_unhandled_domain_error_in_the_site_layout(error, status, heading):
    response = _page_answer("/athletes/", error)

    html = response.content.decode()
    assert response.status_code == status
    assert heading in html and error.message.replace("'", "&#x27;") in html
    assert '<nav class="sidebar"' in html  # the site layout, not a bare text
    assert response.get("Retry-After") == ("12" if status == 429 else None)


def test_a_page_sends_an_unauthenticated_caller_to_the_login_page():
    response = _page_answer("/athletes/?org_id=x", NotAuthenticated("Log in first."))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/athletes/%3Forg_id%3Dx"


def test_api_paths_are_left_to_the_api_exception_handler():
    assert _page_answer("/api/v1/auth/me", NotFound("x")) is None


def test_a_real_page_answers_404_in_the_layout_for_an_unknown_organization(client):
    client.force_login(UserFactory())

    response = client.post("/athletes/invite/", {"org_id": "org_doesnotexist", "email": "a@b.example"})

    assert response.status_code == 404
    assert "<h1>404</h1>" in response.content.decode()
