"""POST activities/import with a zip archive or an Apple Health export → 202 and an import job,
run by the task worker (a real one on the real broker in the services pass); GET
imports/{import_id} follows it. Every entry is imported, or reported duplicate / invalid with its
reason; a killed run resumes where it stopped."""

import gzip
import io
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from analytics.models import Activity, DailyWellness, ImportJob, ImportStatus
from analytics.services.import_jobs import import_job_run, stalled_import_job_pks
from organizations.services import api_key_create
from tests.analytics.test_ingest import ACTIVITIES_DIR
from tests.conftest import bearer_client
from tests.factories import CoachFactory, MembershipFactory, OrganizationFactory, UserFactory

URL = "/api/v1/activities/import"
HEALTH_EXPORT = ACTIVITIES_DIR.parent / "apple_health" / "export.xml"
# The services pass's worker reads the job and writes activities on its own connection.
pytestmark = pytest.mark.django_db(transaction=True)


def device_file(name: str) -> bytes:
    return (ACTIVITIES_DIR / name).read_bytes()


def bulk_export() -> bytes:
    """An archive as Garmin Connect and Strava give them, with what such archives also hold."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("Garmin/", "")
        zipped.writestr("Garmin/garmin-fenix-5-run.fit", device_file("garmin-fenix-5-run.fit"))
        zipped.writestr("Garmin/sup_activity_1.tcx", device_file("sup_activity_1.tcx"))
        zipped.writestr("Garmin/cerknicko-jezero.gpx", device_file("cerknicko-jezero.gpx"))
        zipped.writestr("activities/1234.fit.gz", gzip.compress(device_file("activity-small-fenix2-run.fit")))
        zipped.writestr("again/garmin-fenix-5-run.fit", device_file("garmin-fenix-5-run.fit"))
        zipped.writestr("routes/cerknicko-without-times.gpx", device_file("cerknicko-without-times.gpx"))
        zipped.writestr("notes.txt", "my runs")
        zipped.writestr("__MACOSX/Garmin/._garmin-fenix-5-run.fit", b"\x00\x05\x16\x07")
        zipped.writestr(".DS_Store", b"\x00\x00\x00\x01Bud1")
    return archive.getvalue()


def post_archive(client, content: bytes, name: str = "export.zip"):
    return client.post(URL, {"file": SimpleUploadedFile(name, content)}, format="multipart")


def test_an_archive_is_a_job_that_imports_each_file_or_says_why_not(tasks):
    athlete = UserFactory(timezone="Europe/Ljubljana")
    client = bearer_client(athlete)

    response = post_archive(client, bulk_export(), "garmin-export.zip")

    assert response.status_code == 202, response.content
    queued = response.json()["data"]
    assert (queued["status"], queued["kind"], queued["file_name"]) == ("queued", "archive", "garmin-export.zip")
    assert queued["counts"] == {"imported": 0, "duplicate": 0, "invalid": 0, "wellness_days": 0}
    tasks.settle()
    status = client.get(f"/api/v1/imports/{queued['import_id']}")
    assert status.status_code == 200
    job = status.json()["data"]
    assert (job["status"], job["progress"], job["total"]) == (
        "done",
        1.0,
        7,
    )  # 7 entries; folders, forks, dotfiles are none
    assert job["counts"] == {"imported": 4, "duplicate": 1, "invalid": 2, "wellness_days": 0}
    assert [(error["file"], error["code"]) for error in job["errors"]] == [
        ("again/garmin-fenix-5-run.fit", "DUPLICATE_ACTIVITY"),
        ("routes/cerknicko-without-times.gpx", "NO_TIMESTAMPS"),
        ("notes.txt", "UNSUPPORTED_FILE"),
    ]
    assert job["finished_at"] is not None and job["message"] == ""
    stored = Activity.objects.filter(user=athlete)
    assert sorted(stored.values_list("sport", flat=True)) == ["other", "run", "run", "run"]  # sup, fit, gz fit, gpx
    assert set(stored.values_list("timezone", flat=True)) == {"Europe/Ljubljana"}
    assert not ImportJob.objects.get(public_id=queued["import_id"]).upload  # the upload is not kept


def test_a_damaged_archive_fails_the_job_with_the_reason(tasks):
    athlete = UserFactory()
    client = bearer_client(athlete)
    queued = post_archive(client, b"PK\x03\x04" + b"\x00" * 200).json()["data"]
    tasks.settle()
    job = client.get(f"/api/v1/imports/{queued['import_id']}").json()["data"]
    assert (job["status"], job["message"]) == ("failed", "This zip archive could not be read.")
    assert not Activity.objects.exists()


def test_a_killed_run_is_resumed_after_the_last_entry_done_and_a_live_one_is_left_alone():
    athlete = UserFactory()
    job = ImportJob.objects.create(user=athlete, counts={"imported": 0, "duplicate": 0, "invalid": 0})
    job.upload.save("resume.zip", io.BytesIO(bulk_export()))
    now = datetime.now(UTC)
    # A first run counted the first two entries, then its worker died (nothing saved for 11
    # minutes). Here they were only counted, never stored: so if a resumed run redid them, the
    # fenix run would be stored and its copy further down would be a duplicate.
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, processed=2, counts={"imported": 2, "duplicate": 0, "invalid": 0}
    )
    assert import_job_run(job.pk, now=now) is None  # still "alive": not taken over
    later = now + timedelta(minutes=11)
    assert stalled_import_job_pks(later) == [job.pk]

    resumed = import_job_run(job.pk, now=later)

    assert resumed.status == ImportStatus.DONE
    assert resumed.counts == {"imported": 5, "duplicate": 0, "invalid": 2}  # 2 before + 3 now
    # Entries 3…7 only: the gpx, the gzipped fit and the second copy of the fenix run (no longer a
    # duplicate, since entry 1 was not redone); the two invalid ones.
    assert Activity.objects.count() == 3
    assert import_job_run(job.pk, now=later + timedelta(hours=1)) is None  # ended: nothing to do


def test_an_archive_over_the_limit_is_refused_before_anything_is_stored(settings):
    settings.MAX_IMPORT_ARCHIVE_BYTES = 1000
    response = post_archive(bearer_client(UserFactory()), bulk_export())
    assert response.status_code == 413
    assert response.json()["details"] == {"code": "FILE_TOO_LARGE", "field": "file"}
    assert not ImportJob.objects.exists()


def test_only_the_athlete_sees_their_import():
    org = OrganizationFactory()
    athlete, stranger = UserFactory(), UserFactory()
    coach, foreign_coach = CoachFactory(), CoachFactory()
    MembershipFactory(user=athlete, organization=org)
    MembershipFactory(user=coach, organization=org, role="coach")
    MembershipFactory(user=foreign_coach, organization=OrganizationFactory(), role="coach")
    job = ImportJob.objects.create(user=athlete)
    path = f"/api/v1/imports/{job.public_id}"
    raw_key, _ = api_key_create(organization=org, name="reader", created_by=coach)

    assert bearer_client(athlete).get(path).status_code == 200
    assert APIClient().get(path).status_code == 401
    for other in (stranger, foreign_coach, coach):  # another athlete, another club's coach, even their own
        refused = bearer_client(other).get(path)
        assert refused.status_code == 404
        assert refused.json()["details"]["code"] == "IMPORT_NOT_FOUND"
    assert APIClient().get(path, HTTP_X_API_KEY=raw_key).status_code == 403
    for malformed in ("imp_123", "act_0123456789abcdef", "imp_%00", "x" * 500):
        assert bearer_client(athlete).get(f"/api/v1/imports/{malformed}").status_code in (400, 404)


def health_export_zip() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("apple_health_export/export.xml", HEALTH_EXPORT.read_bytes())
        zipped.writestr("apple_health_export/export_cda.xml", "<ClinicalDocument/>")
    return archive.getvalue()


def test_an_apple_health_export_brings_runs_and_daily_measures_and_keeps_sdnn_apart(tasks):
    athlete = UserFactory(timezone="Europe/Berlin")
    DailyWellness.objects.create(user=athlete, date=date(2026, 11, 29), hrv=70.0, sleep_hours=7.5)
    client = bearer_client(athlete)

    queued = post_archive(client, health_export_zip(), "export.zip").json()["data"]
    assert queued["kind"] == "apple_health"
    tasks.settle()
    job = client.get(f"/api/v1/imports/{queued['import_id']}").json()["data"]

    assert (job["status"], job["progress"], job["total"]) == ("done", 1.0, 2)
    assert job["counts"] == {"imported": 2, "duplicate": 0, "invalid": 0, "wellness_days": 2}
    runs = Activity.objects.filter(user=athlete).order_by("start_time")
    assert [
        (a.sport, a.source, a.start_time, a.distance, a.duration, a.elapsed_time, a.avg_heart_rate, a.calories)
        for a in runs
    ] == [
        ("run", "apple_health", datetime(2026, 11, 28, 7, 0, tzinfo=UTC), 8200.0, 2490.0, 2580.0, 151, 512),
        ("treadmill", "apple_health", datetime(2026, 11, 29, 18, 0, tzinfo=UTC), 5632.7, 1800.0, 1860.0, None, 359),
    ]  # 3.5 mi = 5632.704 m; 1500 kJ = 358.5 kcal
    days = {row.date: row for row in DailyWellness.objects.filter(user=athlete)}
    assert days[date(2026, 11, 28)].resting_heart_rate == 52  # 00:03 in Berlin: the 28th
    later = days[date(2026, 11, 29)]
    assert (later.resting_heart_rate, later.vo2_max, later.hrv_sdnn) == (49, 47.8, 54.8)  # SDNN: (61.5 + 48) / 2
    assert (later.hrv, later.sleep_hours) == (70.0, 7.5)  # the rMSSD and sleep already there are kept

    again = post_archive(client, HEALTH_EXPORT.read_bytes(), "export.xml").json()["data"]  # the bare XML
    assert again["kind"] == "apple_health"
    tasks.settle()
    repeat = client.get(f"/api/v1/imports/{again['import_id']}").json()["data"]
    assert repeat["counts"] == {"imported": 0, "duplicate": 2, "invalid": 0, "wellness_days": 2}
    assert Activity.objects.filter(user=athlete).count() == 2
