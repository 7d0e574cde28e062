"""Project-level views: health check and error handlers that answer JSON under
/api/ (never an HTML page or a stack trace) and plain pages elsewhere."""

from django.db import connection
from django.http import JsonResponse
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt

from astral.api.errors import json_error_response


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
    if _is_api(request):
        return json_error_response(500, "Internal server error.", "INTERNAL_ERROR")
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
    """Liveness and database reachability, for load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
