"""The pages' side of the domain exceptions (astral.exceptions): the one place a page learns what
an `ApplicationError` a service or access rule raised means for a person in a browser.

A view that can do better (a form error, a notice beside the form) catches the exception itself;
everything else reaches this middleware and becomes a page in the site layout — never a trace.
Requests under /api/ are left to the API's exception handler.
"""

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from astral.exceptions import (
    ApplicationError,
    Conflict,
    InvalidInput,
    NotAllowed,
    NotAuthenticated,
    NotFound,
    RateLimited,
    TooLarge,
    Unavailable,
    database_unavailable,
)

# (exception, status, template): what a page answers with; anything else is a 400 page.
_PAGES = (
    (NotFound, 404, "404.html"),
    (NotAllowed, 403, "403.html"),
    (Conflict, 409, "error.html"),
    (TooLarge, 413, "error.html"),
    (RateLimited, 429, "error.html"),
    (Unavailable, 503, "error.html"),
)


def form_error(form, error: ApplicationError, fields: dict[str, str] | None = None) -> None:
    """Put a service's error on the form field it names (`fields` maps service names to the
    form's; by default the names are the same), else on the form as a whole."""
    names = fields if fields is not None else {name: name for name in form.fields}
    form.add_error(names.get(error.field) if error.field in names else None, error.message)


def parsed_or_notice(notices: list[str], label: str, parse, default):
    """A page parameter read by the parser the API uses too: a bad value becomes a visible notice
    and the page shows `default()` instead of an error page."""
    try:
        return parse()
    except (InvalidInput, NotFound) as error:
        notices.append(f"{label}: {error.message} Showing the default instead.")
        return default()


def error_page(request, error: ApplicationError):
    if isinstance(error, NotAuthenticated):
        return redirect_to_login(request.get_full_path())
    status, template = next(((s, t) for cls, s, t in _PAGES if isinstance(error, cls)), (400, "error.html"))
    context = {"message": error.message, "status": status}
    if isinstance(error, Unavailable):  # the layout must not ask the database who is logged in
        context.update(user=AnonymousUser(), messages=[])
    response = render(request, template, context, status=status)
    if error.retry_after:
        response["Retry-After"] = str(error.retry_after)
    return response


class ApplicationErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.path.startswith("/api/"):
            return None
        exception = database_unavailable(exception) or exception
        if isinstance(exception, ApplicationError):
            return error_page(request, exception)
        return None
