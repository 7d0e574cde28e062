"""Apple Health's export read streaming: running workouts (attribute and WorkoutStatistics forms),
the three daily measures per local day, the zip form, and hostile or foreign XML refused.
Expected values are worked out by hand from tests/data/apple_health/export.xml."""

import io
import zipfile
import zoneinfo
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from analytics.ingest.apple_health import HealthSample, HealthWorkout, daily_measures, read_export
from analytics.ingest.types import InvalidActivityFile

EXPORT = Path(__file__).resolve().parents[1] / "data" / "apple_health" / "export.xml"


def read(payload: bytes) -> list:
    return list(read_export(io.BytesIO(payload)))


def test_running_workouts_in_both_forms_and_nothing_else():
    workouts = [item for item in read(EXPORT.read_bytes()) if isinstance(item, HealthWorkout)]
    assert workouts == [
        HealthWorkout(
            start_time=datetime(2026, 11, 28, 7, 0, tzinfo=UTC),  # 08:00 +0100
            duration_s=2490.0,  # 41.5 min
            elapsed_s=2580.0,  # 08:00 → 08:43
            distance_m=8200.0,  # 8.2 km, the attribute form
            energy_kcal=512.0,
            avg_heart_rate=151,  # 151.4 from WorkoutStatistics
            max_heart_rate=176,
            indoor=False,
            source="Ana's Apple Watch",
        ),
        HealthWorkout(
            start_time=datetime(2026, 11, 29, 18, 0, tzinfo=UTC),
            duration_s=1800.0,
            elapsed_s=1860.0,
            distance_m=pytest.approx(3.5 * 1609.344),  # only in WorkoutStatistics, in miles
            energy_kcal=pytest.approx(1500 / 4.184),  # kJ → kcal
            avg_heart_rate=None,
            max_heart_rate=None,
            indoor=True,  # HKIndoorWorkout = 1: a treadmill run
            source="Ana's Apple Watch",
        ),
    ]  # the ride is not a run; step counts are not read


def test_the_three_measures_and_their_local_days():
    samples = [item for item in read(EXPORT.read_bytes()) if isinstance(item, HealthSample)]
    assert [(s.kind, s.value) for s in samples] == [
        ("resting_heart_rate", 52.0),
        ("resting_heart_rate", 49.0),
        ("hrv_sdnn", 61.5),
        ("hrv_sdnn", 48.0),
        ("vo2_max", 47.84),
    ]
    # In Berlin (+01:00) the resting HR of 00:03 local belongs to the 28th; SDNN is the day's mean.
    assert daily_measures(samples, zoneinfo.ZoneInfo("Europe/Berlin")) == {
        date(2026, 11, 28): {"resting_heart_rate": 52},
        date(2026, 11, 29): {"resting_heart_rate": 49, "vo2_max": 47.8, "hrv_sdnn": 54.8},  # (61.5 + 48) / 2
    }
    # In UTC the same instants fall a day earlier for both resting HR readings.
    assert daily_measures(samples, UTC) == {
        date(2026, 11, 27): {"resting_heart_rate": 52},
        date(2026, 11, 28): {"resting_heart_rate": 49},
        date(2026, 11, 29): {"vo2_max": 47.8, "hrv_sdnn": 54.8},
    }


def test_the_zip_the_health_app_writes_reads_the_same():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("apple_health_export/export_cda.xml", "<ClinicalDocument/>")
        zipped.writestr("apple_health_export/export.xml", EXPORT.read_bytes())
        zipped.writestr("apple_health_export/workout-routes/route_1.gpx", "<gpx/>")
    assert read(archive.getvalue()) == read(EXPORT.read_bytes())


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE HealthData [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b"<HealthData><Record type='x' value='&b;'/></HealthData>",
            "CORRUPT_FILE",
        ),  # fmt: skip
        (
            b'<?xml version="1.0"?><!DOCTYPE HealthData [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b"<HealthData><Record type='x' value='&e;'/></HealthData>",
            "CORRUPT_FILE",
        ),  # fmt: skip
        (b"<gpx><trk/></gpx>", "NOT_AN_APPLE_HEALTH_EXPORT"),
        (b"<HealthData><Record type=", "CORRUPT_FILE"),
        (b"\x00\x01 not xml", "CORRUPT_FILE"),
    ],
)
def test_entities_external_references_foreign_and_broken_xml_are_refused(payload, code):
    with pytest.raises(InvalidActivityFile) as refused:
        read(payload)
    assert refused.value.code == code


def test_a_zip_without_an_export_is_refused():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("runs/morning.gpx", "<gpx/>")
    with pytest.raises(InvalidActivityFile) as refused:
        read(archive.getvalue())
    assert refused.value.code == "NO_ACTIVITY_DATA"
