"""POST activities/import with every real device file in tests/data/activities."""

from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from analytics.models import Activity, ActivitySamples
from organizations.services import api_key_create
from tests.analytics.test_ingest import ACTIVITIES_DIR
from tests.conftest import bearer_client
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

URL = "/api/v1/activities/import"

pytestmark = pytest.mark.django_db


def upload(client, name: str, as_name: str | None = None, **extra):
    content = (ACTIVITIES_DIR / name).read_bytes()
    return client.post(URL, {"file": SimpleUploadedFile(as_name or name, content), **extra}, format="multipart")


def utc(text: str) -> str:
    return datetime.fromisoformat(text).astimezone(UTC).isoformat().replace("+00:00", "Z")


# file → (sport, start, distance m, moving s, elapsed s or None, avg HR, max HR or None, kcal, samples)
GOOD_FILES = {
    "activity-small-fenix2-run.fit": ("run", "2015-08-15T14:45:08+00:00", 9008.22, 2832, None, 154, 178, 516, None),
    "garmin-fenix-5-run.fit": ("run", "2017-06-11T14:34:09+00:00", 157.56, 56.887, None, 90, None, None, None),
    "garmin-fenix-5-walk.fit": ("walk", "2017-06-11T14:32:51+00:00", 67.85, 45.379, None, 75, None, None, None),
    "sample-activity.fit": ("ride", "2011-06-26T21:18:39+00:00", 88797.21, 10699.36, 11741.57, 166, None, None, 3098),
    "strava-android-app-201.10-b1218918.fit": (
        "run",
        "2021-09-27T14:13:10+00:00",
        11274.04,
        3558,
        None,
        None,
        None,
        None,
        0,
    ),
    "sup_activity_1.tcx": ("other", "2022-07-16T16:08:25+00:00", 1157.51, 1112, None, 88, None, 92, None),
    "cross-country-skiing_activity_1.tcx": (
        "other",
        "2020-12-26T15:14:21+00:00",
        5692.01,
        2401,
        None,
        143,
        None,
        532,
        None,
    ),
}


@pytest.mark.parametrize("name", sorted(GOOD_FILES))
def test_real_files_import_with_their_own_totals(athlete, athlete_client, name):
    sport, start, distance, moving, elapsed, avg_hr, max_hr, kcal, samples = GOOD_FILES[name]

    response = upload(athlete_client, name)

    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    assert data["sport"] == sport
    assert data["start_time"] == utc(start)
    assert data["distance"] == pytest.approx(distance, abs=0.5)
    assert data["duration"] == pytest.approx(moving, abs=0.5)
    if elapsed is not None:
        assert data["elapsed_time"] == pytest.approx(elapsed, abs=0.5)
    assert data["avg_heart_rate"] == avg_hr
    if max_hr is not None:
        assert data["max_heart_rate"] == max_hr
    if kcal is not None:
        assert data["calories"] == kcal
    assert data["source"] == "file"
    assert data["import"]["format"] == name.rsplit(".", 1)[1]
    activity = Activity.objects.get(user=athlete)
    assert activity.public_id == data["activity_id"]
    assert len(activity.file_hash) == 64
    if samples is not None:
        assert data["import"]["samples"] == samples
        stored = ActivitySamples.objects.filter(activity=activity).first()
        assert (len(stored.data) if stored else 0) == samples


def test_gpx_track_with_times(athlete_client):
    data = upload(athlete_client, "cerknicko-jezero.gpx").json()["data"]
    assert data["start_time"] == "2010-08-05T14:23:59Z"
    assert data["distance"] == pytest.approx(4580.1, abs=1.0)  # 2-D length, as Strava/Garmin report
    assert data["has_samples"] is True


def test_format_comes_from_the_content_not_the_name(athlete_client):
    data = upload(athlete_client, "garmin-fenix-5-run.fit", as_name="notes.txt").json()["data"]
    assert data["import"]["format"] == "fit"
    assert data["distance"] == pytest.approx(157.56, abs=0.5)


def test_salvaged_strava_file_says_so(athlete_client):
    data = upload(athlete_client, "strava-android-app-201.10-b1218918.fit").json()["data"]
    assert data["import"]["notes"]


REFUSED = {
    "activity-unexpected-eof.fit": ("CORRUPT_FILE", "truncated or corrupt"),
    "activity-settings-corruptheader.fit": ("CORRUPT_FILE", "truncated or corrupt"),
    "cerknicko-without-times.gpx": ("NO_TIMESTAMPS", "no timestamps"),
    "korita-zbevnica.gpx": ("NO_TIMESTAMPS", "no timestamps"),
    "Mojstrovka.gpx": ("IMPLAUSIBLE_TIMESTAMPS", "1901"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_unusable_files_are_400_and_nothing_is_stored(athlete, athlete_client, name):
    reason, phrase = REFUSED[name]
    response = upload(athlete_client, name)

    assert response.status_code == 400
    body = response.json()
    assert body["details"] == {"code": "INVALID_FILE", "field": "file", "reason": reason}
    assert phrase in body["error"]
    assert not Activity.objects.exists()
    assert not ActivitySamples.objects.exists()
    athlete.refresh_from_db()
    assert athlete.data_version == 0


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "UNSUPPORTED_FORMAT"),
        (b"\x00\x01garbage" * 50, "UNSUPPORTED_FORMAT"),
        (b'{"json": true}', "UNSUPPORTED_FORMAT"),
    ],
)
def test_non_activity_content(athlete_client, content, reason):
    response = athlete_client.post(URL, {"file": SimpleUploadedFile("x.fit", content)}, format="multipart")
    assert response.status_code == 400
    assert response.json()["details"]["reason"] == reason
    assert not Activity.objects.exists()


def test_same_file_twice_is_409_with_the_existing_activity(athlete_client):
    first = upload(athlete_client, "garmin-fenix-5-run.fit").json()["data"]
    again = upload(athlete_client, "garmin-fenix-5-run.fit")

    assert again.status_code == 409
    assert again.json()["details"] == {"code": "DUPLICATE_ACTIVITY", "activity_id": first["activity_id"]}
    assert Activity.objects.count() == 1


def test_same_start_and_sport_as_a_logged_run_is_a_duplicate(athlete_client):
    logged = athlete_client.post(
        "/api/v1/activities",
        {"start_time": "2017-06-11T14:34:09Z", "sport": "run", "distance": 160, "duration": 57},
        format="json",
    ).json()["data"]
    response = upload(athlete_client, "garmin-fenix-5-run.fit")
    assert response.status_code == 409
    assert response.json()["details"]["activity_id"] == logged["activity_id"]
    assert Activity.objects.count() == 1


def test_another_athlete_may_import_the_same_file(athlete_client):
    upload(athlete_client, "garmin-fenix-5-run.fit")
    assert upload(bearer_client(UserFactory()), "garmin-fenix-5-run.fit").status_code == 201


def test_zones_come_from_the_samples(athlete_client):
    athlete_client.patch("/api/v1/users/me", {"vdot": 45}, format="json")
    data = upload(athlete_client, "activity-small-fenix2-run.fit").json()["data"]
    zones = [data[f"pace_z{z}_time"] for z in range(1, 6)]
    assert sum(1 for seconds in zones if seconds > 0) >= 2  # a real run spreads over zones
    assert sum(zones) == pytest.approx(data["duration"], rel=0.1)


def test_file_over_the_limit_is_refused(athlete_client, settings):
    settings.MAX_IMPORT_FILE_BYTES = 1000
    response = upload(athlete_client, "garmin-fenix-5-run.fit")
    assert response.status_code == 413
    assert response.json()["details"] == {"code": "FILE_TOO_LARGE", "field": "file"}
    assert not Activity.objects.exists()


def test_missing_file_and_bad_timezone(athlete_client):
    missing = athlete_client.post(URL, {}, format="multipart")
    assert missing.json()["details"] == {"code": "REQUIRED", "field": "file"}
    bad_zone = upload(athlete_client, "garmin-fenix-5-run.fit", timezone="Mars/Base")
    assert bad_zone.json()["details"] == {"code": "INVALID_TIMEZONE", "field": "timezone"}
    assert not Activity.objects.exists()


def test_timezone_sets_the_local_date(athlete_client):
    data = upload(athlete_client, "sample-activity.fit", timezone="Asia/Tokyo").json()["data"]
    assert data["timezone"] == "Asia/Tokyo"
    assert data["local_date"] == "2011-06-27"  # 21:18 UTC is 06:18 the next day in Tokyo


def test_json_body_is_refused(athlete_client):
    response = athlete_client.post(URL, {"file": "abc"}, format="json")
    assert response.status_code == 415
    assert response.json()["details"]["code"] == "UNSUPPORTED_MEDIA_TYPE"


def test_anonymous_and_api_key(api, athlete):
    assert upload(api, "garmin-fenix-5-run.fit").status_code == 401
    org = OrganizationFactory()
    MembershipFactory(user=athlete, organization=org)
    secret, _ = api_key_create(organization=org, name="k", created_by=None)
    api.credentials(HTTP_X_API_KEY=secret)
    assert upload(api, "garmin-fenix-5-run.fit").status_code == 403
    assert not Activity.objects.exists()
