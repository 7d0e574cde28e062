"""PATCH users/me and PUT users/me/integrations/{provider}."""

import pytest

from accounts.models import Integration, User
from tests.conftest import bearer_client
from tests.factories import UserFactory

ME = "/api/v1/users/me"

pytestmark = pytest.mark.django_db


def test_get_users_me_uses_the_envelope(athlete, athlete_client):
    body = athlete_client.get(ME).json()
    assert body["status"] == "ok"
    assert body["data"]["user_id"] == athlete.public_id


def test_patch_every_field(athlete, athlete_client):
    changes = {
        "display_name": "Faith K.",
        "profile_image_url": "https://img.example.com/faith.jpg",
        "timezone": "Africa/Nairobi",
        "unit_system": "imperial",
        "sex": "female",
        "max_heart_rate": 192,
        "resting_heart_rate": 41,
        "hr_zones": [130, 148, 162, 175, 192],
        "pace_zones": [330, 295, 270, 245],
        "vdot": 61.5,
        "push_token": "ExponentPushToken[abc]",
    }
    version_before = athlete.data_version

    response = athlete_client.patch(ME, changes, format="json")

    assert response.status_code == 200
    data = response.json()["data"]
    athlete.refresh_from_db()
    for name, value in changes.items():
        assert getattr(athlete, name) == value, name
    assert data["timezone"] == "Africa/Nairobi"
    assert data["unit_system"] == "imperial"
    assert data["hr_zones"] == [130, 148, 162, 175, 192]
    assert data["has_push_token"] is True
    assert "push_token" not in data
    assert athlete.data_version == version_before + 1


def test_partial_patch_leaves_other_fields(athlete_client, athlete):
    User.objects.filter(pk=athlete.pk).update(timezone="Asia/Tokyo", vdot=50)
    athlete_client.patch(ME, {"display_name": "New"}, format="json")
    athlete.refresh_from_db()
    assert (athlete.display_name, athlete.timezone, athlete.vdot) == ("New", "Asia/Tokyo", 50)


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone", "INVALID_TIMEZONE"),
        ({"timezone": "UTC+3"}, "timezone", "INVALID_TIMEZONE"),
        ({"unit_system": "furlongs"}, "unit_system", "INVALID_CHOICE"),
        ({"sex": "x"}, "sex", "INVALID_CHOICE"),
        ({"max_heart_rate": 300}, "max_heart_rate", "MAX_VALUE"),
        ({"max_heart_rate": "fast"}, "max_heart_rate", "INVALID"),
        ({"resting_heart_rate": 10}, "resting_heart_rate", "MIN_VALUE"),
        ({"max_heart_rate": 110, "resting_heart_rate": 110}, "resting_heart_rate", "INVALID"),
        ({"hr_zones": [130, 148, 162]}, "hr_zones", "MIN_LENGTH"),
        ({"hr_zones": [130, 170, 162, 175, 192]}, "hr_zones", "INVALID_ZONES"),
        ({"pace_zones": [245, 270, 295, 330]}, "pace_zones", "INVALID_ZONES"),
        ({"vdot": 5}, "vdot", "MIN_VALUE"),
        ({"profile_image_url": "not a url"}, "profile_image_url", "INVALID"),
    ],
)
def test_bad_values_are_400_and_change_nothing(athlete, athlete_client, body, field, code):
    before = User.objects.values().get(pk=athlete.pk)

    response = athlete_client.patch(ME, body, format="json")

    assert response.status_code == 400
    assert response.json()["details"] == {"code": code, "field": field}
    assert User.objects.values().get(pk=athlete.pk) == before


def test_hr_zones_first_bad_item_is_named(athlete_client):
    response = athlete_client.patch(ME, {"hr_zones": [130, 148, 500, 175, 192]}, format="json")
    assert response.json()["details"] == {"code": "MAX_VALUE", "field": "hr_zones.2"}


def test_clearing_timezone_restores_the_default(athlete, athlete_client):
    User.objects.filter(pk=athlete.pk).update(timezone="Asia/Tokyo")
    response = athlete_client.patch(ME, {"timezone": ""}, format="json")
    assert response.json()["data"]["timezone"] == "UTC"
    athlete.refresh_from_db()
    assert athlete.timezone == ""


def test_malformed_json_is_400(athlete_client):
    response = athlete_client.generic("PATCH", ME, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["details"]["code"] == "MALFORMED_REQUEST"


def test_anonymous_cannot_patch(api):
    assert api.patch(ME, {"display_name": "x"}, format="json").status_code == 401


class TestIntegrations:
    def test_connect_then_disconnect_a_hand_set_provider(self, athlete, athlete_client):
        response = athlete_client.put(f"{ME}/integrations/garmin", {"connected": True}, format="json")

        assert response.status_code == 200
        data = response.json()["data"]
        row = Integration.objects.get(user=athlete, provider="garmin")
        assert row.connected and row.connected_at
        assert data == {
            "provider": "garmin",
            "connected": True,
            "status": "connected",
            "connected_at": row.connected_at.isoformat(),
            "last_sync_at": None,
            "error": None,
        }

        athlete_client.put(f"{ME}/integrations/garmin", {"connected": False}, format="json")
        row.refresh_from_db()
        assert (row.connected, row.status, row.connected_at) == (False, "disconnected", None)

    def test_delete_disconnects_a_hand_set_provider(self, athlete, athlete_client):
        athlete_client.put(f"{ME}/integrations/apple_health", {"connected": True}, format="json")
        response = athlete_client.delete(f"{ME}/integrations/apple_health")
        assert response.status_code == 200
        assert (response.json()["data"]["connected"], response.json()["data"]["status"]) == (False, "disconnected")
        assert not Integration.objects.get(user=athlete, provider="apple_health").connected

    def test_strava_cannot_be_set_by_hand(self, athlete, athlete_client):
        for connected in (True, False):
            response = athlete_client.put(f"{ME}/integrations/strava", {"connected": connected}, format="json")
            assert response.status_code == 400
            assert response.json()["details"] == {"code": "CONNECTED_BY_OAUTH", "field": "provider"}
            assert "integrations/strava/connect" in response.json()["error"]
        assert not Integration.objects.exists()

    def test_reconnect_keeps_original_connected_at(self, athlete, athlete_client):
        first = athlete_client.put(f"{ME}/integrations/garmin", {"connected": True}, format="json").json()
        second = athlete_client.put(f"{ME}/integrations/garmin", {"connected": True}, format="json").json()
        assert first["data"]["connected_at"] == second["data"]["connected_at"]

    def test_profile_shows_every_provider(self, athlete_client):
        athlete_client.put(f"{ME}/integrations/apple_health/", {"connected": True}, format="json")
        integrations = athlete_client.get(ME).json()["data"]["integrations"]
        assert set(integrations) == {"strava", "garmin", "apple_health"}
        assert integrations["apple_health"]["connected"] is True
        assert integrations["strava"] == {
            "provider": "strava",
            "connected": False,
            "status": "disconnected",
            "connected_at": None,
            "last_sync_at": None,
            "error": None,
        }

    @pytest.mark.parametrize("method", ["put", "delete"])
    def test_unknown_provider_is_404(self, athlete, athlete_client, method):
        response = getattr(athlete_client, method)(f"{ME}/integrations/polar", {"connected": True}, format="json")
        assert response.status_code == 404
        assert response.json()["details"]["code"] == "UNKNOWN_PROVIDER"
        assert not Integration.objects.exists()

    def test_connected_must_be_boolean(self, athlete_client):
        response = athlete_client.put(f"{ME}/integrations/garmin", {"connected": "maybe"}, format="json")
        assert response.status_code == 400
        assert response.json()["details"] == {"code": "INVALID", "field": "connected"}
        assert not Integration.objects.exists()

    def test_only_touches_the_caller(self, athlete_client):
        other = UserFactory()
        athlete_client.put(f"{ME}/integrations/garmin", {"connected": True}, format="json")
        assert not Integration.objects.filter(user=other).exists()
        other_view = bearer_client(other).get(ME).json()["data"]["integrations"]["garmin"]
        assert other_view["connected"] is False

    def test_anonymous_cannot_change_integrations(self, api):
        assert api.put(f"{ME}/integrations/garmin", {"connected": True}, format="json").status_code == 401
        assert api.delete(f"{ME}/integrations/strava").status_code == 401
        assert not Integration.objects.exists()
