"""Organization API keys: created by an admin, shown once, stored as a SHA-256 digest, revocable."""

import hashlib

import pytest

from organizations.models import ApiKey
from tests.organizations.checks import API, assert_error, assert_unauthorized, data_state

pytestmark = pytest.mark.django_db


def keys_url(org, key=None) -> str:
    base = f"{API}/organizations/{org.public_id}/api_keys"
    return f"{base}/{key.public_id}" if key else base


def create_key(client, org, name="Garmin sync") -> dict:
    response = client.post(keys_url(org), {"name": name}, format="json")
    assert response.status_code == 201, response.content
    return response.json()["data"]


def test_admin_creates_a_key_shown_once(org, admin, admin_client):
    response = admin_client.post(keys_url(org), {"name": "  Garmin sync "}, format="json")

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    key = ApiKey.objects.get(organization=org)
    secret = data["api_key"]
    assert secret.startswith("astk_")
    assert len(secret) > 40
    assert data == {
        "key_id": key.public_id,
        "name": "Garmin sync",
        "prefix": secret[:12],
        "created_at": key.created_at.isoformat(),
        "revoked_at": None,
        "last_used_at": None,
        "api_key": secret,
    }
    assert key.created_by == admin
    assert key.public_id.startswith("key_")
    assert key.revoked_at is None


def test_only_the_sha256_digest_of_the_key_is_stored(org, admin, admin_client):
    secret = create_key(admin_client, org)["api_key"]

    key = ApiKey.objects.get(organization=org)
    assert key.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert len(key.key_hash) == 64
    row = ApiKey.objects.filter(pk=key.pk).values().get()
    assert not any(secret in str(value) for value in row.values())
    # The stored prefix only helps people recognise a key; it is far too short to use as one.
    assert secret.startswith(key.prefix)
    assert len(key.prefix) < len(secret) // 3


def test_each_key_is_different(org, admin, admin_client):
    first = create_key(admin_client, org, "one")
    second = create_key(admin_client, org, "two")

    assert first["api_key"] != second["api_key"]
    assert first["key_id"] != second["key_id"]
    assert ApiKey.objects.filter(organization=org).count() == 2


def test_list_never_returns_the_secret(org, admin, admin_client, other_org):
    first = create_key(admin_client, org, "first")
    second = create_key(admin_client, org, "second")
    ApiKey.objects.create(organization=other_org, name="foreign", key_hash="0" * 64, prefix="astk_foreign")

    response = admin_client.get(keys_url(org))

    assert response.status_code == 200, response.content
    listed = response.json()["data"]
    assert [k["key_id"] for k in listed] == [second["key_id"], first["key_id"]]  # newest first
    for entry, created in zip(listed, [second, first], strict=True):
        assert set(entry) == {"key_id", "name", "prefix", "created_at", "revoked_at", "last_used_at"}
        assert entry == {name: value for name, value in created.items() if name != "api_key"}
    assert first["api_key"] not in response.content.decode()
    assert second["api_key"] not in response.content.decode()


def test_the_key_reads_its_organization_and_records_its_use(org, admin, runner, admin_client, api):
    created = create_key(admin_client, org)

    response = api.get(f"{API}/organizations/{org.public_id}/members", HTTP_X_API_KEY=created["api_key"])

    assert response.status_code == 200, response.content
    assert [m["user_id"] for m in response.json()["data"]] == [admin.public_id, runner.public_id]
    assert ApiKey.objects.get(public_id=created["key_id"]).last_used_at is not None


def test_revoking_a_key(org, admin, admin_client, api):
    created = create_key(admin_client, org)

    response = admin_client.delete(f"{keys_url(org)}/{created['key_id']}")

    assert response.status_code == 200, response.content
    key = ApiKey.objects.get(public_id=created["key_id"])
    assert key.revoked_at is not None
    assert response.json()["data"] == {
        "key_id": created["key_id"],
        "name": "Garmin sync",
        "prefix": created["prefix"],
        "created_at": created["created_at"],
        "revoked_at": key.revoked_at.isoformat(),
        "last_used_at": None,
    }
    listed = admin_client.get(keys_url(org)).json()["data"]
    assert listed[0]["revoked_at"] == key.revoked_at.isoformat()

    refused = api.get(f"{API}/organizations/{org.public_id}/members", HTTP_X_API_KEY=created["api_key"])

    assert_unauthorized(refused, "INVALID_API_KEY")


def test_revoking_twice_keeps_the_first_revocation_time(org, admin, admin_client):
    created = create_key(admin_client, org)
    first = admin_client.delete(f"{keys_url(org)}/{created['key_id']}/")

    second = admin_client.delete(f"{keys_url(org)}/{created['key_id']}")

    assert second.status_code == 200, second.content
    assert second.json()["data"]["revoked_at"] == first.json()["data"]["revoked_at"]


def test_an_unknown_or_forged_key_is_401(org, admin, api):
    for raw in ("astk_not-a-real-key", "0" * 64):
        response = api.get(f"{API}/organizations/{org.public_id}/members", HTTP_X_API_KEY=raw)
        assert_unauthorized(response, "INVALID_API_KEY")


def test_a_key_of_another_organization_cannot_be_revoked_through_this_one(org, admin, admin_client, other_org):
    foreign = ApiKey.objects.create(organization=other_org, name="foreign", key_hash="f" * 64, prefix="astk_foreign")
    before = data_state()

    foreign_response = admin_client.delete(keys_url(org, foreign))
    unknown_response = admin_client.delete(f"{keys_url(org)}/key_0000000000000000")

    assert_error(foreign_response, 404, "API_KEY_NOT_FOUND")
    assert_error(unknown_response, 404, "API_KEY_NOT_FOUND")
    assert data_state() == before
    foreign.refresh_from_db()
    assert foreign.revoked_at is None


def test_a_coach_who_is_not_admin_cannot_manage_keys(org, admin, coach, admin_client, coach_client):
    created = create_key(admin_client, org)
    before = data_state()

    create = coach_client.post(keys_url(org), {"name": "mine"}, format="json")
    listing = coach_client.get(keys_url(org))
    revoke = coach_client.delete(f"{keys_url(org)}/{created['key_id']}")

    for response in (create, listing, revoke):
        assert_error(response, 403, "FORBIDDEN")
    assert data_state() == before


@pytest.mark.parametrize(
    ("payload", "code"),
    [({}, "REQUIRED"), ({"name": " "}, "BLANK"), ({"name": "x" * 121}, "MAX_LENGTH")],
)
def test_key_name_is_validated(org, admin, admin_client, payload, code):
    before = data_state()

    response = admin_client.post(keys_url(org), payload, format="json")

    assert_error(response, 400, code, field="name")
    assert data_state() == before
