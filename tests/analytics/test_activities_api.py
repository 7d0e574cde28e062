"""POST/GET activities, GET/PATCH/DELETE activities/{id}: computed numbers, validation, access."""

import math
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics.models import Activity
from tests.conftest import bearer_client
from tests.factories import ActivityFactory, CoachFactory, MembershipFactory, OrganizationFactory, UserFactory

URL = "/api/v1/activities"

pytestmark = pytest.mark.django_db


@pytest.fixture
def runner():
    # VDOT 50 → zone bounds ≈ 291.9, 266.3, 247.3, 225.5 s/km (see docs/metrics.md).
    return UserFactory(vdot=50, resting_heart_rate=50, max_heart_rate=190, sex="male", timezone="Asia/Tokyo")


@pytest.fixture
def runner_client(runner):
    return bearer_client(runner)


def post_run(client, **overrides):
    body = {"start_time": "2026-11-20T07:00:00+09:00", "sport": "run", "distance": 10000, "duration": 3000, **overrides}
    return client.post(URL, body, format="json")


def banister_male(minutes, hrr):
    return minutes * hrr * 0.64 * math.exp(1.92 * hrr)


class TestCreate:
    def test_stores_and_computes_load_zones_and_pace(self, runner, runner_client):
        response = post_run(runner_client, avg_heart_rate=150, max_heart_rate=171, calories=700, elevation_gain=85)

        assert response.status_code == 201
        data = response.json()["data"]
        activity = Activity.objects.get(user=runner)
        assert data["activity_id"] == activity.public_id
        assert data["activity_id"].startswith("act_")
        assert data["start_time"] == "2026-11-19T22:00:00Z"
        assert data["local_date"] == "2026-11-20"
        assert data["avg_pace"] == "5:00"
        # HRr = (150 − 50) / (190 − 50) = 0.7142857; TRIMP = 50 min × HRr × 0.64·e^(1.92·HRr)
        expected_load = round(banister_male(50, 100 / 140), 1)
        assert expected_load == 90.1
        assert data["training_load"] == expected_load
        # 5:00/km = 300 s/km is slower than the Z1|Z2 bound (291.9 s/km): all 3000 s in Z1.
        assert [data[f"pace_z{z}_time"] for z in range(1, 6)] == [3000, 0, 0, 0, 0]
        assert activity.source == "manual"
        assert activity.timezone == "Asia/Tokyo"

    def test_client_cannot_set_load_or_zones(self, runner_client):
        data = post_run(runner_client, training_load=999, pace_z5_time=3000).json()["data"]
        assert data["training_load"] != 999
        assert data["pace_z5_time"] == 0

    def test_pace_in_marathon_zone(self, runner_client):
        # 10 km in 45:00 = 270 s/km: faster than 291.9, slower than 266.3 → Z2.
        data = post_run(runner_client, duration=2700).json()["data"]
        assert data["avg_pace"] == "4:30"
        assert [data[f"pace_z{z}_time"] for z in range(1, 6)] == [0, 2700, 0, 0, 0]

    def test_without_heart_rate_load_uses_pace_fraction_of_vdot(self, runner_client):
        data = post_run(runner_client).json()["data"]
        # v = 10000 m / 50 min = 200 m/min; VO2 = −4.60 + 0.182258·200 + 0.000104·200² = 36.0116
        hrr = (-4.60 + 0.182258 * 200 + 0.000104 * 200**2) / 50
        assert data["training_load"] == round(banister_male(50, hrr), 1)

    def test_naive_start_time_is_read_in_the_athletes_zone(self, runner_client):
        data = post_run(runner_client, start_time="2026-11-20T07:00:00").json()["data"]
        assert data["start_time"] == "2026-11-19T22:00:00Z"
        assert data["start_time_local"] == "2026-11-20T07:00:00+09:00"

    def test_naive_start_time_in_the_given_timezone(self, runner_client):
        data = post_run(runner_client, start_time="2026-07-01T07:00:00", timezone="Europe/Paris").json()["data"]
        assert data["start_time"] == "2026-07-01T05:00:00Z"  # CEST = UTC+2
        assert data["timezone"] == "Europe/Paris"

    def test_unix_seconds(self, runner_client):
        data = post_run(runner_client, start_time=1763589600).json()["data"]
        assert data["start_time"] == "2025-11-19T22:00:00Z"

    def test_ride_has_no_pace_zone_time(self, runner_client):
        data = post_run(runner_client, sport="ride", distance=40000, duration=4800).json()["data"]
        assert [data[f"pace_z{z}_time"] for z in range(1, 6)] == [0, 0, 0, 0, 0]
        assert data["training_load"] > 0

    def test_bumps_the_data_version(self, runner, runner_client):
        before = runner.data_version
        post_run(runner_client)
        runner.refresh_from_db()
        assert runner.data_version == before + 1

    @pytest.mark.parametrize(
        ("overrides", "field", "code"),
        [
            ({"start_time": "yesterday-ish"}, "start_time", "INVALID"),
            ({"start_time": None}, "start_time", "NULL"),
            ({"start_time": (datetime.now(UTC) + timedelta(days=2)).isoformat()}, "start_time", "IN_FUTURE"),
            ({"start_time": "1985-01-01T10:00:00Z"}, "start_time", "TOO_OLD"),
            ({"sport": "kayak"}, "sport", "INVALID_CHOICE"),
            ({"distance": -1}, "distance", "MIN_VALUE"),
            ({"distance": "far"}, "distance", "INVALID"),
            ({"duration": 0}, "duration", "MIN_VALUE"),
            ({"duration": -5}, "duration", "MIN_VALUE"),
            ({"elapsed_time": 2000}, "elapsed_time", "INVALID"),
            ({"avg_heart_rate": 24}, "avg_heart_rate", "MIN_VALUE"),
            ({"max_heart_rate": 251}, "max_heart_rate", "MAX_VALUE"),
            ({"avg_heart_rate": 160, "max_heart_rate": 150}, "max_heart_rate", "INVALID"),
            ({"calories": -3}, "calories", "MIN_VALUE"),
            ({"elevation_gain": -1}, "elevation_gain", "MIN_VALUE"),
            ({"timezone": "Moon/Base"}, "timezone", "INVALID_TIMEZONE"),
            ({"external_id": "x" * 129}, "external_id", "MAX_LENGTH"),
        ],
    )
    def test_bad_fields_are_400_and_nothing_is_stored(self, runner_client, overrides, field, code):
        response = post_run(runner_client, **overrides)

        assert response.status_code == 400
        assert response.json()["details"] == {"code": code, "field": field}
        assert not Activity.objects.exists()

    def test_missing_sport(self, runner_client):
        response = runner_client.post(
            URL, {"start_time": "2026-11-20T07:00:00Z", "distance": 1, "duration": 1}, format="json"
        )
        assert response.json()["details"] == {"code": "REQUIRED", "field": "sport"}

    def test_duplicate_external_id_is_409_with_the_existing_id(self, runner_client):
        first = post_run(runner_client, external_id="garmin-123").json()["data"]
        response = post_run(runner_client, external_id="garmin-123", start_time="2026-11-19T07:00:00Z")

        assert response.status_code == 409
        assert response.json()["details"] == {"code": "DUPLICATE_ACTIVITY", "activity_id": first["activity_id"]}
        assert Activity.objects.count() == 1

    def test_same_start_and_sport_is_a_duplicate(self, runner_client):
        first = post_run(runner_client).json()["data"]
        response = post_run(runner_client, start_time="2026-11-19T22:00:00Z", distance=5000)
        assert response.status_code == 409
        assert response.json()["details"]["activity_id"] == first["activity_id"]
        # A different sport at the same instant is not a duplicate.
        assert post_run(runner_client, sport="walk").status_code == 201

    def test_a_run_typed_by_hand_is_a_duplicate_only_at_the_same_instant(self, runner_client):
        post_run(runner_client)  # a run at 2026-11-19T22:00:00Z
        # By hand, 30 s later is another entry (the ±60 s same-run rule is for recorded runs:
        # a device file or a sync, whose clocks differ — tests/analytics/test_strava_sync.py).
        assert post_run(runner_client, start_time="2026-11-19T22:00:30Z").status_code == 201

    def test_api_key_cannot_log_activities(self, runner):
        from organizations.services import api_key_create

        org = OrganizationFactory()
        MembershipFactory(user=runner, organization=org)
        secret, _ = api_key_create(organization=org, name="k", created_by=None)
        client = bearer_client(runner)
        client.credentials(HTTP_X_API_KEY=secret)
        assert post_run(client).status_code == 403

    def test_anonymous(self, api):
        response = post_run(api)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.fixture
def club(runner):
    org = OrganizationFactory()
    coach = CoachFactory()
    MembershipFactory(user=coach, organization=org, role="coach")
    MembershipFactory(user=runner, organization=org)
    other_coach = CoachFactory()
    MembershipFactory(user=other_coach, organization=OrganizationFactory(), role="coach")
    return {"coach": coach, "other_coach": other_coach, "org": org}


def at(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


class TestList:
    def test_from_to_are_local_dates_in_the_athletes_zone(self, runner, runner_client):
        # Tokyo is UTC+9: 2026-11-19T15:30Z is 2026-11-20 00:30 local; 14:30Z is 23:30 on the 19th.
        late = ActivityFactory(user=runner, start_time=at("2026-11-19T14:30:00+00:00"))
        early = ActivityFactory(user=runner, start_time=at("2026-11-19T15:30:00+00:00"))
        ActivityFactory(user=runner, start_time=at("2026-11-21T15:00:00+00:00"))  # 2026-11-22 local

        body = runner_client.get(URL, {"from": "2026-11-20", "to": "2026-11-21"}).json()

        assert [row["activity_id"] for row in body["data"]] == [early.public_id]
        assert body["meta"]["pagination"]["total"] == 1
        utc_view = runner_client.get(URL, {"from": "2026-11-19", "to": "2026-11-19", "timezone": "UTC"}).json()
        assert {row["activity_id"] for row in utc_view["data"]} == {late.public_id, early.public_id}

    def test_sport_filter_and_order(self, runner, runner_client):
        newest = ActivityFactory(user=runner, sport="run", start_time=at("2026-11-10T08:00:00+00:00"))
        older = ActivityFactory(user=runner, sport="run", start_time=at("2026-11-01T08:00:00+00:00"))
        ActivityFactory(user=runner, sport="ride", start_time=at("2026-11-05T08:00:00+00:00"))
        data = runner_client.get(URL, {"sport": "run"}).json()["data"]
        assert [row["activity_id"] for row in data] == [newest.public_id, older.public_id]

    def test_pagination(self, runner, runner_client):
        for day in range(1, 6):
            ActivityFactory(user=runner, start_time=at(f"2026-11-0{day}T08:00:00+00:00"))
        body = runner_client.get(URL, {"page": 2, "per_page": 2}).json()
        assert [row["local_date"] for row in body["data"]] == ["2026-11-03", "2026-11-02"]
        assert body["meta"]["pagination"] == {
            "total": 5,
            "page": 2,
            "per_page": 2,
            "total_pages": 3,
            "has_next": True,
            "has_prev": True,
        }

    @pytest.mark.parametrize(
        ("params", "field", "code"),
        [
            ({"from": "2026-13-01"}, "from", "INVALID"),
            ({"to": "nope"}, "to", "INVALID"),
            ({"from": "2026-11-10", "to": "2026-11-01"}, "to", "INVALID"),
            ({"sport": "kayak"}, "sport", "INVALID_CHOICE"),
            ({"per_page": 201}, "per_page", "INVALID"),
            ({"page": 0}, "page", "INVALID"),
            ({"timezone": "Nowhere/Land"}, "timezone", "INVALID_TIMEZONE"),
        ],
    )
    def test_bad_filters(self, runner_client, params, field, code):
        response = runner_client.get(URL, params)
        assert response.status_code == 400
        assert response.json()["details"] == {"code": code, "field": field}

    def test_coach_lists_their_athlete(self, runner, club):
        activity = ActivityFactory(user=runner)
        data = bearer_client(club["coach"]).get(URL, {"user_id": runner.public_id}).json()["data"]
        assert [row["activity_id"] for row in data] == [activity.public_id]
        assert data[0]["user_id"] == runner.public_id

    def test_other_org_coach_and_other_athlete_are_403(self, runner, club):
        ActivityFactory(user=runner)
        for outsider in (club["other_coach"], UserFactory()):
            response = bearer_client(outsider).get(URL, {"user_id": runner.public_id})
            assert response.status_code == 403
            assert response.json()["details"]["code"] == "FORBIDDEN"

    def test_unknown_user_is_404(self, runner_client):
        response = runner_client.get(URL, {"user_id": "usr_doesnotexist"})
        assert response.status_code == 404
        assert response.json()["details"] == {"code": "USER_NOT_FOUND", "field": "user_id"}

    def test_anonymous(self, api):
        assert api.get(URL).status_code == 401

    def test_query_count_does_not_grow_with_rows(self, runner, runner_client):
        def count_queries():
            with CaptureQueriesContext(connection) as ctx:
                assert runner_client.get(URL, {"per_page": 200}).status_code == 200
            return len(ctx.captured_queries)

        ActivityFactory(user=runner)
        count_queries()  # the first request also records the token's last use
        one = count_queries()
        Activity.objects.bulk_create(
            [
                Activity(
                    user=runner,
                    start_time=at("2026-01-01T08:00:00+00:00") + timedelta(days=i),
                    distance=5000,
                    duration=1500,
                )
                for i in range(199)
            ]
        )
        assert count_queries() == one


class TestDetail:
    def test_owner_and_coach_read(self, runner, runner_client, club):
        activity = ActivityFactory(user=runner, distance=21097.5, duration=6300)
        mine = runner_client.get(f"{URL}/{activity.public_id}").json()["data"]
        coach_view = bearer_client(club["coach"]).get(f"{URL}/{activity.public_id}").json()["data"]
        assert mine == coach_view
        assert mine["avg_pace"] == "4:59"  # 6300 s / 21.0975 km = 298.6 s/km

    def test_outsiders_get_403_and_unknown_404(self, runner, club):
        activity = ActivityFactory(user=runner)
        for outsider in (club["other_coach"], UserFactory()):
            assert bearer_client(outsider).get(f"{URL}/{activity.public_id}").status_code == 403
        response = bearer_client(runner).get(f"{URL}/act_0000000000000000")
        assert response.status_code == 404
        assert response.json()["details"]["code"] == "ACTIVITY_NOT_FOUND"

    def test_patch_recomputes(self, runner, runner_client):
        created = post_run(runner_client).json()["data"]
        response = runner_client.patch(f"{URL}/{created['activity_id']}", {"duration": 2700}, format="json")
        data = response.json()["data"]
        assert response.status_code == 200
        assert data["avg_pace"] == "4:30"
        assert data["pace_z2_time"] == 2700
        assert data["pace_z1_time"] == 0
        assert data["training_load"] != created["training_load"]

    def test_patch_validates_against_stored_values(self, runner_client):
        created = post_run(runner_client, avg_heart_rate=150).json()["data"]
        response = runner_client.patch(f"{URL}/{created['activity_id']}", {"max_heart_rate": 140}, format="json")
        assert response.status_code == 400
        assert response.json()["details"]["field"] == "max_heart_rate"
        assert Activity.objects.get().max_heart_rate is None

    def test_coach_and_others_cannot_patch_or_delete(self, runner, club):
        activity = ActivityFactory(user=runner, distance=8000)
        for someone in (club["coach"], club["other_coach"], UserFactory()):
            client = bearer_client(someone)
            assert client.patch(f"{URL}/{activity.public_id}", {"distance": 1}, format="json").status_code == 403
            assert client.delete(f"{URL}/{activity.public_id}").status_code == 403
        activity.refresh_from_db()
        assert activity.distance == 8000

    def test_delete(self, runner, runner_client):
        created = post_run(runner_client).json()["data"]
        version = type(runner).objects.get(pk=runner.pk).data_version
        response = runner_client.delete(f"{URL}/{created['activity_id']}")
        assert response.json()["data"] == {"activity_id": created["activity_id"], "deleted": True}
        assert not Activity.objects.exists()
        assert type(runner).objects.get(pk=runner.pk).data_version == version + 1


@pytest.mark.django_db(transaction=True)  # the services pass's worker reads the rows on its own connection
def test_profile_change_recomputes_stored_activities(runner, runner_client, tasks):
    created = post_run(runner_client, duration=2700).json()["data"]
    assert created["pace_z2_time"] == 2700
    # Own pace zones: 4:30/km (270 s) is now faster than the 4th bound (280 s) → Z5.
    runner_client.patch("/api/v1/users/me", {"pace_zones": [330, 310, 295, 280]}, format="json")
    tasks.settle()
    stored = Activity.objects.get()
    assert (stored.pace_z2_time, stored.pace_z5_time) == (0, 2700)
