"""JSON shapes of accounts objects (plain dicts; the schema is in api.serializers.ProfileSerializer),
for the API and the selectors of other apps (a selector never imports an `api` package)."""

from accounts.models import User
from accounts.selectors import user_integrations
from accounts.signals import user_primary_org_requested


def _primary_org_public_id(user: User) -> str | None:
    """The profile's `org_id`: memberships are organizations' (its receiver of
    `user_primary_org_requested` answers); None when no app answers."""
    answers = [org_id for _, org_id in user_primary_org_requested.send(sender=User, user=user) if org_id]
    return answers[0] if answers else None


def profile_payload(user: User) -> dict:
    return {
        "user_id": user.public_id,
        "username": user.username,
        "email": user.email,
        "email_verified": user.email_verified,
        "display_name": user.name,
        "profile_image_url": user.profile_image_url,
        "role": user.role,
        "org_id": _primary_org_public_id(user),
        "timezone": user.effective_timezone,
        "unit_system": user.effective_unit_system,
        "sex": user.sex or None,
        "max_heart_rate": user.max_heart_rate,
        "resting_heart_rate": user.resting_heart_rate,
        "hr_zones": user.hr_zones,
        "pace_zones": user.pace_zones,
        "vdot": user.vdot,
        "has_push_token": bool(user.push_token),
        "integrations": user_integrations(user),
    }


def token_payload(user: User, token: str, record) -> dict:
    return {
        "status": "ok",
        "user_id": user.public_id,
        "access_token": token,
        "token_type": "Bearer",
        "expires_at": record.expires_at.isoformat(),
    }
