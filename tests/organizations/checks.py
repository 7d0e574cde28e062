"""Assertions shared by the organization API tests: the error body, and a snapshot of everything
an organization endpoint can write, to prove that a refused request changed nothing."""

from accounts.models import User
from organizations.models import ApiKey, Group, GroupMembership, Invitation, Label, Membership, Organization

API = "/api/v1"


def assert_error(response, status: int, code: str, field: str | None = None) -> dict:
    """The SPEC §3 error body, exactly: a message, and details with the code (and field, if any)."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "details"}
    assert isinstance(body["error"], str)
    assert body["error"].strip()
    expected = {"code": code} if field is None else {"code": code, "field": field}
    assert body["details"] == expected
    return body


def assert_unauthorized(response, code: str) -> None:
    assert_error(response, 401, code)
    assert response["WWW-Authenticate"].startswith("Bearer")


def data_state() -> dict:
    """Every row the organization endpoints write, as plain comparable values."""
    return {
        "organizations": sorted(Organization.objects.values_list("public_id", "name")),
        "memberships": sorted(
            (m.organization.public_id, m.user.public_id, m.role, m.active, m.assigned_coach_id)
            for m in Membership.objects.select_related("organization", "user")
        ),
        "membership_labels": sorted(
            Membership.labels.through.objects.values_list("membership_id", "label_id"),
        ),
        "labels": sorted(Label.objects.values_list("organization_id", "name")),
        "groups": sorted(Group.objects.values_list("organization_id", "name", "description")),
        "group_members": sorted(GroupMembership.objects.values_list("group_id", "user_id")),
        "api_keys": sorted(ApiKey.objects.values_list("public_id", "name", "revoked_at")),
        "invitations": sorted(
            Invitation.objects.values_list("public_id", "status", "role", "expires_at", "token_hash", "invitee_id")
        ),
        "data_versions": sorted(User.objects.values_list("pk", "data_version")),
    }


def data_version(user) -> int:
    return User.objects.values_list("data_version", flat=True).get(pk=user.pk)
