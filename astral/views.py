"""Project-level views: health check and error handlers that answer JSON under
/api/ (never an HTML page or a stack trace) and plain pages elsewhere."""

import sys

from django.http import JsonResponse
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt

from astral.api.errors import error_body, internal_error_body, json_error_response
from astral.exceptions import database_unavailable
from astral.readiness import dependency_checks
from astral.web_errors import error_page


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    return json_error_response(404, f"No API endpoint at {request.path}.", "NOT_FOUND")


def not_found(request, exception=None):
    if _is_api(request):
        return json_error_response(404, "Not found.", "NOT_FOUND")
    return defaults.page_not_found(request, exception)


def server_error(request):
    """handler500 — also what an exception outside a view (a middleware's) ends in: a lost
    database is a 503 there too, never a 500."""
    unavailable = database_unavailable(sys.exc_info()[1])
    if unavailable is not None:
        if _is_api(request):
            response = JsonResponse(error_body(unavailable.message, unavailable.code), status=503)
            response["Retry-After"] = str(unavailable.retry_after)
            return response
        return error_page(request, unavailable)
    if _is_api(request):
        return JsonResponse(internal_error_body(), status=500)
    return defaults.server_error(request)


def forbidden(request, exception=None):
    if _is_api(request):
        return json_error_response(403, "Forbidden.", "FORBIDDEN")
    return defaults.permission_denied(request, exception)


def bad_request(request, exception=None):
    if _is_api(request):
        return json_error_response(400, "Bad request.", "BAD_REQUEST")
    return defaults.bad_request(request, exception)


def csrf_failure(request, reason=""):
    if _is_api(request):
        return json_error_response(403, "CSRF verification failed.", "CSRF_FAILED")
    from django.views.csrf import csrf_failure as default_csrf_failure

    return default_csrf_failure(request, reason)


def health(request):
    """Liveness: 200 while the process serves requests (it asks no dependency)."""
    return JsonResponse({"status": "ok"})


def ready(request):
    """Readiness: 200 when the database answers, 503 when not; the cache and the broker are
    reported (a cache or broker outage degrades Astral, it does not stop it)."""
    checks = dependency_checks()
    return JsonResponse(checks, status=200 if checks["database"] == "ok" else 503)
