"""The domain's exceptions. Services, selectors, access rules and request parsers raise these and
nothing below the views speaks HTTP (HackSoft's `ApplicationError` is the model).

Each carries a message for people, a machine `code`, optionally the `field` it is about and extra
details. They are mapped once to the API's error body (`astral.api.errors`) and once to the pages
(`astral.web_errors`).
"""

from django.db import InterfaceError, OperationalError


class ApplicationError(Exception):
    default_code = "ERROR"

    def __init__(self, message: str, code: str | None = None, field: str | None = None, **extra):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.field = field
        self.extra = extra

    @property
    def retry_after(self) -> int | None:
        """Seconds after which trying again may succeed (also in the error body's details)."""
        return self.extra.get("retry_after")


class InvalidInput(ApplicationError):
    """The input is malformed or out of range (the request can be fixed and sent again)."""

    default_code = "INVALID"


class NotAuthenticated(ApplicationError):
    """Who is asking is unknown, or their credentials do not hold."""

    default_code = "NOT_AUTHENTICATED"


class NotAllowed(ApplicationError):
    """The caller is known but may not do this."""

    default_code = "FORBIDDEN"


class NotFound(ApplicationError):
    """What the request names does not exist (or is not the caller's to know of)."""

    default_code = "NOT_FOUND"


class Conflict(ApplicationError):
    """The request is well formed but clashes with the current state (duplicates, finished states)."""

    default_code = "CONFLICT"


class TooLarge(ApplicationError):
    """The input is bigger than the installation accepts."""

    default_code = "PAYLOAD_TOO_LARGE"


class RateLimited(ApplicationError):
    """Too many attempts; `retry_after` (seconds) says when to try again."""

    default_code = "RATE_LIMITED"


class Unavailable(ApplicationError):
    """Something the answer needs (the database) cannot be reached right now; `retry_after` says
    when to try again. Nothing was changed."""

    default_code = "SERVICE_UNAVAILABLE"


DATABASE_RETRY_AFTER = 5  # seconds: a restarted PostgreSQL accepts connections again within that


def database_unavailable(error: BaseException | None) -> Unavailable | None:
    """The domain's reading of a database failure: the connection is gone or refused (Django's
    OperationalError / InterfaceError, whatever the engine) → Unavailable; anything else → None."""
    if isinstance(error, OperationalError | InterfaceError):
        return Unavailable(
            "The database is unavailable right now; nothing was changed. Try again in a few seconds.",
            retry_after=DATABASE_RETRY_AFTER,
        )
    return None


def invalid(field: str, message: str, code: str = "INVALID") -> InvalidInput:
    return InvalidInput(message, code, field=field)
