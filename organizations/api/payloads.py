"""Plain-dict shapes of organization objects, built from rows already loaded."""


def _iso(value):
    return value.isoformat() if value else None


def member_payload(membership, group_names: list[str]) -> dict:
    user = membership.user
    return {
        "user_id": user.public_id,
        "username": user.username,
        "email": user.email,
        "display_name": user.name,
        "role": membership.role,
        "active": membership.active,
        "assigned_coach_id": membership.assigned_coach.public_id if membership.assigned_coach else None,
        "labels": sorted(label.name for label in membership.labels.all()),
        "groups": group_names,
        "joined_at": _iso(membership.joined_at),
    }


def group_payload(group, member_count: int | None = None) -> dict:
    return {
        "group_id": group.public_id,
        "name": group.name,
        "description": group.description,
        "member_count": member_count if member_count is not None else getattr(group, "member_count", 0),
    }


def api_key_payload(key, secret: str | None = None) -> dict:
    payload = {
        "key_id": key.public_id,
        "name": key.name,
        "prefix": key.prefix,
        "created_at": _iso(key.created_at),
        "revoked_at": _iso(key.revoked_at),
        "last_used_at": _iso(key.last_used_at),
    }
    if secret is not None:
        payload["api_key"] = secret
    return payload
