"""Reads for accounts."""

from collections.abc import Iterable

from accounts.models import Integration, Provider, User


def _integration_payload(provider: str, row: Integration | None) -> dict:
    """{provider, connected, status, connected_at, last_sync_at, error}: for Strava what the sync
    did (status connected | syncing | error | disconnected, set by analytics.strava), for the
    providers without a server-side connection the athlete's own switch."""

    def moment(value):
        return value.isoformat() if value else None

    return {
        "provider": provider,
        "connected": bool(row and row.connected),
        "status": row.status if row else "disconnected",
        "connected_at": moment(row and row.connected_at),
        "last_sync_at": moment(row and row.last_sync_at),
        "error": (row.error or None) if row else None,
    }


def integrations_by_user(user_ids: Iterable[int]) -> dict[int, dict[str, dict]]:
    """Every provider of every user, connected or not: `{user pk: {provider: payload}}`, one query."""
    ids = list(user_ids)
    rows: dict[int, dict[str, Integration]] = {pk: {} for pk in ids}
    for row in Integration.objects.filter(user_id__in=ids):
        rows[row.user_id][row.provider] = row
    return {
        pk: {provider: _integration_payload(provider, own.get(provider)) for provider in Provider.values}
        for pk, own in rows.items()
    }


def user_integrations(user: User) -> dict[str, dict]:
    """Every provider, connected or not: `{provider: {provider, connected, status, connected_at,
    last_sync_at, error}}`."""
    return integrations_by_user([user.pk])[user.pk]


def user_integration(user: User, provider: str) -> dict:
    row = Integration.objects.filter(user=user, provider=provider).first()
    return _integration_payload(provider, row)
