"""Reads for accounts."""

from accounts.models import Integration, Provider, User


def user_integrations(user: User) -> dict[str, dict]:
    """Every provider, connected or not: `{provider: {connected, status, connected_at}}`."""
    rows = {row.provider: row for row in Integration.objects.filter(user=user)}
    result = {}
    for provider in Provider.values:
        row = rows.get(provider)
        result[provider] = {
            "connected": bool(row and row.connected),
            "status": row.status if row else "disconnected",
            "connected_at": row.connected_at.isoformat() if row and row.connected_at else None,
        }
    return result
