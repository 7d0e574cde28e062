"""Providers that connect server-side (Strava, by OAuth): the app that implements the connection
registers it here in its AppConfig.ready(). accounts cannot import that app (dependencies point
one way), yet `PUT users/me/integrations/{provider}` must refuse to set such a provider by hand
and `DELETE users/me/integrations/{provider}` must really disconnect it."""

from collections.abc import Callable

from accounts.models import User

_disconnectors: dict[str, Callable[[User], object]] = {}


def server_connection_register(provider: str, *, disconnect: Callable[[User], object]) -> None:
    _disconnectors[provider] = disconnect


def connects_server_side(provider: str) -> bool:
    return provider in _disconnectors


def server_connection_end(*, user: User, provider: str) -> None:
    """Disconnect `provider` for `user` the way its app does it (tokens revoked and deleted)."""
    _disconnectors[provider](user)
