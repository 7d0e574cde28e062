"""Plain-dict shapes of organization objects, built from rows already loaded, for the API (and any page)."""


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


def _person(user) -> dict | None:
    return {"user_id": user.public_id, "display_name": user.name} if user else None


def invitation_payload(invitation) -> dict:
    """An invitation as the organization's staff see it. An invitation by email shows only the
    address until it is answered (`invitee` is bound only then), so the list cannot tell whether
    the address has an account."""
    return {
        "invitation_id": invitation.public_id,
        "status": invitation.effective_status,
        "role": invitation.role,
        "email": invitation.email,
        "invitee": _person(invitation.invitee),
        "invited_by": _person(invitation.invited_by),
        "created_at": _iso(invitation.created_at),
        "expires_at": _iso(invitation.expires_at),
        "responded_at": _iso(invitation.responded_at),
    }


def invitation_created_payload(invitation) -> dict:
    """The answer to an invitation: the same fields whoever the invitee is."""
    return {
        "invitation_id": invitation.public_id,
        "status": invitation.effective_status,
        "role": invitation.role,
        "expires_at": _iso(invitation.expires_at),
    }


def my_invitation_payload(invitation) -> dict:
    """An invitation as its invitee sees it."""
    return {
        **invitation_created_payload(invitation),
        "org_id": invitation.organization.public_id,
        "organization": invitation.organization.name,
        "invited_by": _person(invitation.invited_by),
        "created_at": _iso(invitation.created_at),
    }


def data_access_payload(entry: dict) -> dict:
    membership = entry["membership"]
    return {
        "org_id": membership.organization.public_id,
        "organization": membership.organization.name,
        "role": membership.role,
        "member_since": _iso(membership.joined_at),
        "staff": [{**_person(row.user), "role": row.role, "since": _iso(row.joined_at)} for row in entry["staff"]],
        "api_keys": entry["api_keys"],
    }
