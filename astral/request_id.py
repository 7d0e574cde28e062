"""`X-Request-ID` on every response and in every log line of the request.

The client's id is kept when it is sane (1–128 of `A–Z a–z 0–9 . _ : -`), so a proxy's or a
client's id follows the request through our logs; anything else (absent, too long, control
characters) is replaced by a fresh one. A 500 body carries it as `details.request_id`.
"""

import contextvars
import logging
import re
import uuid

from django.core.signals import request_finished

HEADER = "X-Request-ID"
_SANE = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def current_request_id() -> str:
    """The id of the request being served ("-" outside one: commands, tasks)."""
    return _current.get()


def request_id_of(raw: str | None) -> str:
    return raw if raw and _SANE.fullmatch(raw) else uuid.uuid4().hex


class RequestIdMiddleware:
    """First in MIDDLEWARE, so every later log line and every answer (errors included) has it."""

    def __init__(self, get_response):
        self.get_response = get_response
        # Django logs a 4xx/5xx ("Bad Request: …") after the middleware chain has returned, so the
        # id stays set until the response is closed (request_finished), not just inside __call__.
        request_finished.connect(_forget, dispatch_uid="astral.request_id")

    def __call__(self, request):
        request.request_id = request_id_of(request.headers.get(HEADER))
        _current.set(request.request_id)
        response = self.get_response(request)
        response[HEADER] = request.request_id
        return response


def _forget(**kwargs) -> None:
    _current.set("-")


class RequestIdFilter(logging.Filter):
    """Puts `request_id` on every log record (for the formatter's `%(request_id)s`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True
