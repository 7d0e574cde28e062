"""The one error format of the API (SPEC §3):

    {"error": "Human-readable message", "details": {"code": "MACHINE_CODE", "field": "param"}}

Every exception raised under /api/ ends up here, so no caller ever sees HTML or a stack trace.
"""

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response

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
from astral.request_id import current_request_id

logger = logging.getLogger("astral.api")


# Each domain exception's status: the one place the domain meets HTTP (the pages: astral.web_errors).
STATUS_OF = {
    InvalidInput: 400,
    NotAuthenticated: 401,
    NotAllowed: 403,
    NotFound: 404,
    Conflict: 409,
    TooLarge: 413,
    RateLimited: 429,
    Unavailable: 503,
}


def status_of(error: ApplicationError) -> int:
    return next((code for cls, code in STATUS_OF.items() if isinstance(error, cls)), 400)


def error_body(message: str, code: str, field: str | None = None, **extra) -> dict:
    details = {"code": code}
    if field is not None:
        details["field"] = field
    details.update(extra)
    return {"error": message, "details": details}


def _first_validation_error(detail, path: str = "") -> tuple[str | None, str, str]:
    """Walk DRF's nested error detail to the first leaf: (dotted field path, message, code)."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            child = key if key == "non_field_errors" else (f"{path}.{key}" if path else str(key))
            return _first_validation_error(value, "" if key == "non_field_errors" and not path else child)
        return (path or None, "Invalid input.", "INVALID")
    if isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, dict | list) and value:
                return _first_validation_error(value, f"{path}.{index}" if path else str(index))
            if not isinstance(value, dict | list):
                return _first_validation_error(value, path)
        return (path or None, "Invalid input.", "INVALID")
    code = getattr(detail, "code", None) or "invalid"
    return (path or None, str(detail), str(code).upper())


_SIMPLE = {
    exceptions.NotAuthenticated: ("NOT_AUTHENTICATED", "Authentication credentials were not provided."),
    exceptions.AuthenticationFailed: ("INVALID_CREDENTIALS", None),
    exceptions.PermissionDenied: ("FORBIDDEN", None),
    exceptions.NotFound: ("NOT_FOUND", None),
    exceptions.MethodNotAllowed: ("METHOD_NOT_ALLOWED", None),
    exceptions.NotAcceptable: ("NOT_ACCEPTABLE", None),
    exceptions.UnsupportedMediaType: ("UNSUPPORTED_MEDIA_TYPE", None),
    exceptions.ParseError: ("MALFORMED_REQUEST", None),
    exceptions.Throttled: ("RATE_LIMITED", None),
}


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: map every exception to the documented error body."""
    headers = {}
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied("You do not have permission to do this.")
    elif isinstance(exc, RequestDataTooBig):
        return Response(error_body("The request body is too large.", "PAYLOAD_TOO_LARGE"), status=413)
    elif isinstance(exc, SuspiciousOperation):
        return Response(error_body("The request was rejected.", "BAD_REQUEST"), status=400)
    exc = database_unavailable(exc) or exc

    if isinstance(exc, ApplicationError):
        body = error_body(exc.message, exc.code, exc.field, **exc.extra)
        status_code = status_of(exc)
        headers = _auth_headers(status_code)
        if exc.retry_after:  # details.retry_after, in seconds
            headers["Retry-After"] = str(exc.retry_after)
        return Response(body, status=status_code, headers=headers)
    if isinstance(exc, exceptions.ValidationError):
        field, message, code = _first_validation_error(exc.detail)
        if field and field != "non_field_errors" and not message.lower().startswith(field.split(".")[-1]):
            message = f"{field}: {message}"
        return Response(error_body(message, code, field), status=status.HTTP_400_BAD_REQUEST)
    for cls, (code, default_message) in _SIMPLE.items():
        if isinstance(exc, cls):
            message = default_message or str(exc.detail)
            if isinstance(exc, exceptions.AuthenticationFailed) and exc.detail.code != exc.default_code:
                code = exc.detail.code  # the authentication classes name what failed: INVALID_TOKEN, …
            if isinstance(exc, exceptions.Throttled) and exc.wait:
                headers["Retry-After"] = str(int(exc.wait))
            headers.update(_auth_headers(exc.status_code))
            return Response(error_body(message, code), status=exc.status_code, headers=headers)
    if isinstance(exc, exceptions.APIException):
        return Response(error_body(str(exc.detail), "ERROR"), status=exc.status_code)

    logger.exception("Unhandled error in %s", context.get("view").__class__.__name__ if context else "?")
    return Response(internal_error_body(), status=500)


def internal_error_body() -> dict:
    """The 500 body: no trace, only the request id that finds this request's log lines."""
    return error_body("Internal server error.", "INTERNAL_ERROR", request_id=current_request_id())


def _auth_headers(status_code: int) -> dict:
    if status_code == 401:
        return {"WWW-Authenticate": 'Bearer realm="api"'}
    return {}


def json_error_response(status_code: int, message: str, code: str) -> JsonResponse:
    response = JsonResponse(error_body(message, code), status=status_code)
    if status_code == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response
