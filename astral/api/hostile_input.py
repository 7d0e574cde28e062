"""Control characters never reach a view, a query or a stored row (issue 9, "close the leaks").

The rule, in one place:
- the path, every query parameter (name and value, decoded) and every cookie of any request may
  hold no control character at all (Unicode category Cc: U+0000–U+001F, U+007F–U+009F);
- a string in a JSON, form or multipart body of an API request (keys and values, at any depth; the
  names of uploaded files) may hold none but tab, line feed and carriage return, which text
  (a plan's description) legitimately contains.

A breach is a 400 `INVALID_CHARACTERS` with the error body (`field` names the query parameter or
the dotted body field) under /api/, a 400 page elsewhere. Without this PostgreSQL answers a NUL
with `DataError` (a 500) and other controls would be stored and echoed back to coaches' pages.

Page forms (login, admin) are Django forms, whose CharFields already refuse NUL.
"""

import re

from django.http import JsonResponse
from django.views import defaults
from rest_framework import parsers

from astral.api.errors import error_body
from astral.exceptions import InvalidInput

INVALID_CHARACTERS = "INVALID_CHARACTERS"
# The two character classes as regex text: also what the OpenAPI schema states (astral.api.openapi).
ANY_CONTROL = r"\x00-\x1f\x7f-\x9f"
BODY_CONTROL = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # all but \t \n \r
_ANY_CONTROL = re.compile(f"[{ANY_CONTROL}]")
_BODY_CONTROL = re.compile(f"[{BODY_CONTROL}]")


def _escaped(text: str) -> str:
    """`text` with its control characters written as `\\xNN`, safe to echo in a message."""
    return _ANY_CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def _code_point(match: re.Match) -> str:
    return f"U+{ord(match.group()):04X}"


# --- path and query string: every request, before any view or middleware reads them -------------


def _path_or_query_breach(request) -> tuple[str, str | None] | None:
    """(message, field) for the first control character in the path, the query or a cookie."""
    found = _ANY_CONTROL.search(request.path)
    if found:
        return f"The path contains a control character ({_code_point(found)}).", None
    for name, values in request.GET.lists():
        for text in (name, *values):
            found = _ANY_CONTROL.search(text)
            if found:
                field = _escaped(name)
                return f"{field} contains a control character ({_code_point(found)}).", field
    # A quoted cookie may spell a NUL as `\000`; the session cookie is a database key.
    for name, value in request.COOKIES.items():
        found = _ANY_CONTROL.search(f"{name}{value}")
        if found:
            return f"The cookie {_escaped(name)} contains a control character ({_code_point(found)}).", None
    return None


class HostileInputMiddleware:
    """Refuses a path, query string or cookie with control characters (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        breach = _path_or_query_breach(request)
        if breach is None:
            return self.get_response(request)
        message, field = breach
        if request.path.startswith("/api/"):
            return JsonResponse(error_body(message, INVALID_CHARACTERS, field), status=400)
        return defaults.bad_request(request, ValueError(message))


# --- request bodies of the API: DRF's parsers, then the same rule over what they parsed ----------


def _first_body_breach(value, path: str = "") -> tuple[str, re.Match] | None:
    """(dotted field path, match) of the first string with a forbidden control character."""
    if isinstance(value, str):
        found = _BODY_CONTROL.search(value)
        return (path, found) if found else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list | tuple):
        items = enumerate(value)
    else:
        return None
    for key, child in items:
        child_path = f"{path}.{key}" if path else str(key)
        if isinstance(key, str):
            found = _BODY_CONTROL.search(key)
            if found:
                return _escaped(child_path), found
        breach = _first_body_breach(child, child_path)
        if breach:
            return breach
    return None


def reject_body_control_characters(value) -> None:
    """400 INVALID_CHARACTERS naming the first body field that breaks the rule."""
    breach = _first_body_breach(value)
    if breach:
        field, found = breach
        raise InvalidInput(
            f"{field} contains a control character ({_code_point(found)}).", INVALID_CHARACTERS, field=field
        )


def _reject_in_query_dict(data) -> None:
    # A form field's values are checked under the field's own name, not `name.0`.
    for name, values in data.lists():
        for text in values:
            reject_body_control_characters({name: text})


class StrictJSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        reject_body_control_characters(data)
        return data


class StrictFormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _reject_in_query_dict(data)
        return data


class StrictMultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        _reject_in_query_dict(parsed.data)  # uploaded file names: Django drops unprintable characters
        return parsed
