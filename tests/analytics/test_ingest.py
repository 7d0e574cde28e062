"""Activity import parsing (analytics/ingest): pure, no database.

Every real device file in tests/data/activities (a copy of shared/data/activities) has its
documented outcome here; the expected totals are the files' own (README.md beside them) unless
a comment says how ours differ and why.
"""

import json
import random
import statistics
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

import pytest

from analytics.ingest import InvalidActivityFile, ParsedActivity, Sample, geo, parse_activity_file, sports
from analytics.ingest import fit as fit_module
from analytics.ingest.detect import FileFormat, detect_format
from analytics.ingest.summary import summarize_samples

# A copy of the product's shared device files, kept in the repository: a fresh clone stands alone.
ACTIVITIES_DIR = Path(__file__).resolve().parents[1] / "data" / "activities"
if not (ACTIVITIES_DIR / "sample-activity.fit").is_file():
    raise RuntimeError(f"The device files are missing: expected them in {ACTIVITIES_DIR}")


def read(name: str) -> bytes:
    return (ACTIVITIES_DIR / name).read_bytes()


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


class Expected(NamedTuple):
    sport: str
    start: datetime
    distance_m: float
    moving_s: float
    elapsed_s: float
    avg_hr: int | None
    max_hr: int | None
    calories: int | None
    ascent_m: float | None
    samples: int


E = Expected
IMPORTED = {
    # The session lacks HR, the records have it: 154/178 bpm from 2,808 samples.
    "activity-small-fenix2-run.fit": E(
        "run", utc(2015, 8, 15, 14, 45, 8), 9008.22, 2832, 2832, 154, 178, 516, 64, 2809
    ),
    "garmin-fenix-5-run.fit": E("run", utc(2017, 6, 11, 14, 34, 9), 157.56, 56.887, 56.887, 90, 112, 5, 2, 21),
    "garmin-fenix-5-walk.fit": E("walk", utc(2017, 6, 11, 14, 32, 51), 67.85, 45.379, 45.379, 75, 82, 4, 1, 17),
    "sample-activity.fit": E(
        "ride", utc(2011, 6, 26, 21, 18, 39), 88797.21, 10699.36, 11741.57, 166, 191, 2045, 299, 3098
    ),
    # Salvage: session totals only, no samples (parse.py docstring).
    "strava-android-app-201.10-b1218918.fit": E(
        "run", utc(2021, 9, 27, 14, 13, 10), 11274.04, 3558, 3558, None, None, None, None, 0
    ),
    # 2-D length (the README's 4580.1 m). Elapsed is wall-clock, first to last point (7190 s); the
    # README's 4239 s is gpxpy's sum of segment durations, which leaves out the gaps between the
    # file's 8 tracks. Moving time by our 0.5 m/s rule; 2.33 m/s average → run (sports.py).
    "cerknicko-jezero.gpx": E("run", utc(2010, 8, 5, 14, 23, 59), 4580.1, 1967, 7190, None, None, None, 209.567, 296),
    # Laps' totals: 966.796 + 145.539 s; HR (88·966.796 + 87·145.539) / 1112.335 = 87.87 → 88.
    "sup_activity_1.tcx": E("other", utc(2022, 7, 16, 16, 8, 25), 1157.51, 1112.335, 1113.539, 88, 108, 92, None, 111),
    # HR (144·2160.432 + 131·240.828) / 2401.26 = 142.70 → 143 (the README's 141.2 is an unweighted
    # trackpoint mean, see test_unweighted_trackpoint_mean_is_not_the_average_heart_rate). Ascent:
    # the barometer settles from 1258 m to 2257 m in the first 10 s; that jump is not a climb.
    "cross-country-skiing_activity_1.tcx": E(
        "other", utc(2020, 12, 26, 15, 14, 21), 5692.01, 2401.26, 2401.828, 143, 172, 532, 97.6, 486
    ),
}

# name: (code, key phrase of the message)
REFUSED = {
    "activity-unexpected-eof.fit": ("CORRUPT_FILE", "The FIT file is truncated or corrupt"),
    "activity-settings-corruptheader.fit": ("CORRUPT_FILE", "The FIT file is truncated or corrupt"),
    "cerknicko-without-times.gpx": ("NO_TIMESTAMPS", "This GPX track has no timestamps"),
    "korita-zbevnica.gpx": ("NO_TIMESTAMPS", "This GPX track has no timestamps"),
    "Mojstrovka.gpx": ("IMPLAUSIBLE_TIMESTAMPS", "starts on 1901-12-13, before 1990 and its duration is 0 seconds"),
}


def test_every_shared_activity_file_has_a_documented_outcome():
    files = {path.name for path in ACTIVITIES_DIR.iterdir() if path.suffix != ".md"}
    assert files == set(IMPORTED) | set(REFUSED)


@pytest.mark.parametrize("name", sorted(IMPORTED))
def test_real_file_imports_with_its_own_totals(name):
    expected = IMPORTED[name]

    activity = parse_activity_file(read(name))

    assert isinstance(activity, ParsedActivity)
    assert activity.sport == expected.sport
    assert activity.start_time == expected.start
    assert activity.start_time.utcoffset().total_seconds() == 0
    assert activity.distance_m == pytest.approx(expected.distance_m, abs=1.0 if name.endswith(".gpx") else 0.5)
    assert activity.moving_s == pytest.approx(expected.moving_s, abs=1e-3)
    assert activity.elapsed_s == pytest.approx(expected.elapsed_s, abs=1e-3)
    assert (activity.avg_hr, activity.max_hr, activity.calories) == expected[5:8]
    ascent = expected.ascent_m
    assert activity.elevation_gain_m == (None if ascent is None else pytest.approx(ascent, abs=0.1))
    assert len(activity.samples) == expected.samples
    assert activity.source_format == name.rsplit(".", 1)[1]


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_edge_file_is_refused_with_a_clear_message(name):
    code, phrase = REFUSED[name]

    with pytest.raises(InvalidActivityFile) as caught:
        parse_activity_file(read(name))

    assert type(caught.value) is InvalidActivityFile
    assert caught.value.code == code
    assert phrase in caught.value.message
    assert str(caught.value) == caught.value.message


def test_strava_salvage_is_noted_and_keeps_no_samples():
    activity = parse_activity_file(read("strava-android-app-201.10-b1218918.fit"))

    assert activity.samples == ()
    assert "could not be decoded" in activity.notes[0]


def test_partly_timed_gpx_says_how_many_points_lack_a_time():
    with pytest.raises(InvalidActivityFile, match="no timestamps on 291 of its 296 points"):
        parse_activity_file(read("cerknicko-without-times.gpx"))


def test_fit_samples_are_every_record_in_si_units():
    activity = parse_activity_file(read("activity-small-fenix2-run.fit"))

    first, last = activity.samples[0], activity.samples[-1]
    assert first == Sample(
        t_s=0.0,
        distance_m=0.0,
        heart_rate=69,
        altitude_m=55.0,
        lat=pytest.approx(703410450 * 180 / 2**31),  # semicircles → degrees
        lon=pytest.approx(68347712 * 180 / 2**31),
        speed_m_s=5.89,
    )
    assert (last.t_s, last.distance_m, last.heart_rate) == (2833.0, 9007.07, 117)
    assert first.to_json() == {
        "t": 0.0,
        "distance": 0.0,
        "heart_rate": 69,
        "altitude": 55.0,
        "lat": first.lat,
        "lon": first.lon,
        "speed": 5.89,
    }


def test_unweighted_trackpoint_mean_is_not_the_average_heart_rate():
    # Smart recording logs points unevenly; the plain mean over-weights dense stretches.
    activity = parse_activity_file(read("cross-country-skiing_activity_1.tcx"))

    plain_mean = statistics.mean(s.heart_rate for s in activity.samples if s.heart_rate)
    assert plain_mean == pytest.approx(141.2, abs=0.05)
    assert activity.avg_hr == 143


def fit_messages(sessions, *, file_types=("activity",)):
    """Stand-in for fit._read_messages: decoded messages as plain dicts (raw FIT timestamps)."""
    return lambda payload: (list(file_types), [], sessions, [], False)


def test_multisport_fit_sums_its_sessions(monkeypatch):
    # 2024-05-01T06:00:00Z is 1083477600 s after the FIT epoch (1989-12-31).
    swim = {
        "sport": "swimming",
        "start_time": 1083477600,
        "total_timer_time": 1200.0,
        "total_elapsed_time": 1300.0,
        "total_distance": 1500.0,
        "avg_heart_rate": 140,
        "max_heart_rate": 160,
        "total_calories": 300,
    }
    ride = {
        "sport": "cycling",
        "start_time": 1083478900,
        "total_timer_time": 3600.0,
        "total_elapsed_time": 3700.0,
        "total_distance": 40000.0,
        "avg_heart_rate": 150,
        "max_heart_rate": 175,
        "total_calories": 900,
    }
    monkeypatch.setattr(fit_module, "_read_messages", fit_messages([swim, ride]))

    activity = parse_activity_file(read("garmin-fenix-5-run.fit"))

    assert activity.sport == "other"  # sessions of different sports
    assert activity.start_time == utc(2024, 5, 1, 6, 0)
    assert (activity.distance_m, activity.moving_s, activity.elapsed_s) == (41500.0, 4800.0, 5000.0)
    # (140·1200 + 150·3600) / 4800 = 147.5 → 148 (half up)
    assert (activity.avg_hr, activity.max_hr, activity.calories) == (148, 175, 1200)


def test_fit_that_is_not_an_activity_is_refused(monkeypatch):
    monkeypatch.setattr(fit_module, "_read_messages", fit_messages([], file_types=("course",)))

    with pytest.raises(InvalidActivityFile, match="is a course file") as caught:
        parse_activity_file(read("garmin-fenix-5-run.fit"))
    assert caught.value.code == "NOT_AN_ACTIVITY"


# --- detection ------------------------------------------------------------------------------


def test_fit_is_detected_from_its_content_whatever_the_name(tmp_path):
    renamed = tmp_path / "holiday-photos.gpx"
    renamed.write_bytes(read("garmin-fenix-5-run.fit"))

    assert detect_format(renamed.read_bytes()).format is FileFormat.FIT
    assert parse_activity_file(renamed.read_bytes()).distance_m == pytest.approx(157.56)


def test_gpx_with_byte_order_mark_and_leading_whitespace_is_detected():
    data = b"\xef\xbb\xbf \r\n\t " + read("cerknicko-jezero.gpx")

    assert detect_format(data).format is FileFormat.GPX
    assert parse_activity_file(data).distance_m == pytest.approx(4580.1, abs=1.0)


def test_tcx_with_byte_order_mark_is_detected():
    assert detect_format(b"\xef\xbb\xbf\n" + read("sup_activity_1.tcx")).format is FileFormat.TCX


def test_utf16_gpx_is_read():
    text = gpx_document([(0, 46.0, 14.0), (600, 46.0, 14.03)]).replace('encoding="UTF-8"', 'encoding="UTF-16"')

    activity = parse_activity_file(text.encode("utf-16"))

    assert activity.distance_m == pytest.approx(geo.haversine_m(46.0, 14.0, 46.0, 14.03))
    assert activity.elapsed_s == 600


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    b'<gpx version="1.1" creator="x"><trk><name>&b;</name></trk></gpx>'
)
NOT_ACTIVITY_FILES = {
    "empty": b"",
    "random bytes": random.Random(7).randbytes(4096),
    "json": json.dumps({"type": "FeatureCollection", "features": []}).encode(),
    "html": b"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>x</title></head><body></body></html>",
    "html without doctype": b"<html><body><p>Hello</p></body></html>",
    "xml with another root": b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document/></kml>',
    "text": b"time,lat,lon\n2020-01-01T00:00:00Z,46,14\n",
    "gpx with a doctype (entity bomb)": BILLION_LAUGHS,
}


@pytest.mark.parametrize("data", NOT_ACTIVITY_FILES.values(), ids=NOT_ACTIVITY_FILES.keys())
def test_files_that_are_not_activities_are_refused(data):
    with pytest.raises(InvalidActivityFile) as caught:
        parse_activity_file(data)

    assert caught.value.code == "UNSUPPORTED_FORMAT"
    assert "not a FIT, GPX or TCX file" in caught.value.message or "DOCTYPE" in caught.value.message


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b'<?xml version="1.0"?><gpx version="1.1" creator="x"><trk><trkseg></trkseg></trk></gpx>', "NO_ACTIVITY_DATA"),
        (b'<gpx version="1.1" creator="x"><trk><trkseg><trkpt lat="1" lon="2">', "CORRUPT_FILE"),
        (b'<TrainingCenterDatabase><Activities><Activity Sport="Running"><Lap>', "CORRUPT_FILE"),
        (b"<TrainingCenterDatabase><Courses/></TrainingCenterDatabase>", "NO_ACTIVITY_DATA"),
        (b"\x0e\x10\x00\x00\x00\x00\x00\x00.FIT\x00\x00garbage", "CORRUPT_FILE"),
    ],
    ids=["gpx without points", "truncated gpx", "truncated tcx", "tcx course", "fit header then junk"],
)
def test_broken_or_empty_files_are_refused(data, code):
    with pytest.raises(InvalidActivityFile) as caught:
        parse_activity_file(data)
    assert caught.value.code == code


def test_tcx_with_two_activities_is_refused():
    data = read("sup_activity_1.tcx").decode()
    start, end = data.index("<Activity "), data.index("</Activity>") + len("</Activity>")
    doubled = data[:end] + data[start:end] + data[end:]

    with pytest.raises(InvalidActivityFile, match="2 activities") as caught:
        parse_activity_file(doubled.encode())
    assert caught.value.code == "MULTIPLE_ACTIVITIES"


# --- robustness: nothing but InvalidActivityFile escapes ------------------------------------


def parse_or_refuse(data: bytes) -> ParsedActivity | None:
    try:
        return parse_activity_file(data)
    except InvalidActivityFile:
        return None


@pytest.mark.parametrize("name", sorted(IMPORTED))
def test_truncated_real_files_never_raise_anything_else(name):
    data = read(name)
    for cut in sorted({1, 11, 12, 13, 14, 15, 100, *range(0, len(data), max(1, len(data) // 12))}):
        parse_or_refuse(data[:cut])


@pytest.mark.parametrize("name", ["garmin-fenix-5-run.fit", "activity-small-fenix2-run.fit"])
def test_fit_with_flipped_bytes_never_raises_anything_else(name, monkeypatch):
    # Without the CRC check the damage reaches the decoded values, so our own handling is exercised.
    monkeypatch.setattr(fit_module, "CRC_CHECK", fit_module.fitdecode.CrcCheck.DISABLED)
    original, rng = read(name)[:6000], random.Random(name)
    for _ in range(60):
        data = bytearray(original)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(12, len(data))] = rng.randrange(256)
        parse_or_refuse(bytes(data))


# --- synthetic GPX: sport, heart rate, timestamps ------------------------------------------


def gpx_document(points, *, track_type=None, heart_rates=None, zone="Z") -> str:
    """A GPX 1.1 track of (seconds after 2024-05-01T06:00, lat, lon) points."""
    rows = []
    for i, (seconds, lat, lon) in enumerate(points):
        moment = datetime.fromtimestamp(1714543200 + seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S") + zone
        hr = heart_rates[i] if heart_rates else None
        extension = (
            f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{hr}</gpxtpx:hr>"
            "</gpxtpx:TrackPointExtension></extensions>"
            if hr
            else ""
        )
        rows.append(f'<trkpt lat="{lat}" lon="{lon}"><ele>300</ele><time>{moment}</time>{extension}</trkpt>')
    type_element = f"<type>{track_type}</type>" if track_type else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="test" '
        'xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk>{type_element}<trkseg>{''.join(rows)}</trkseg></trk></gpx>"
    )


def northward(speed_m_s: float, seconds: int, step_s: int = 10):
    """Points moving due north at `speed_m_s` (1° of latitude = 111,319.49 m at R = 6,378,137 m)."""
    return [(t, 46.0 + speed_m_s * t / 111_319.49, 14.0) for t in range(0, seconds + 1, step_s)]


@pytest.mark.parametrize(
    ("speed", "track_type", "sport"),
    [
        (1.4, None, "walk"),
        (3.0, None, "run"),
        (8.0, None, "ride"),
        (8.0, "running", "run"),
        (3.0, "Trail Running", "trail_run"),
        (3.0, "kayaking", "other"),
        (3.0, "9", "run"),  # a numeric app code says nothing: inferred from speed
    ],
)
def test_gpx_sport_comes_from_the_track_type_else_the_speed(speed, track_type, sport):
    activity = parse_activity_file(gpx_document(northward(speed, 600), track_type=track_type).encode())

    assert activity.sport == sport
    assert activity.distance_m == pytest.approx(speed * 600, rel=1e-6)
    assert activity.moving_s == activity.elapsed_s == 600


def test_gpx_heart_rate_is_time_weighted_from_the_extension():
    # Points at 0, 10, 20, 30 s with 100, 120, 140, 160 bpm: (100 + 120 + 140)·10 / 30 = 120.
    points = northward(3.0, 30)
    activity = parse_activity_file(gpx_document(points, heart_rates=[100, 120, 140, 160]).encode())

    assert (activity.avg_hr, activity.max_hr) == (120, 160)
    assert [s.heart_rate for s in activity.samples] == [100, 120, 140, 160]


def test_gpx_times_without_offset_are_utc():
    activity = parse_activity_file(gpx_document(northward(3.0, 60), zone="").encode())

    assert activity.start_time == utc(2024, 5, 1, 6, 0)


def test_start_in_the_future_is_implausible():
    data = gpx_document(northward(3.0, 60)).encode()

    with pytest.raises(InvalidActivityFile, match="in the future") as caught:
        parse_activity_file(data, now=utc(2024, 4, 29))
    assert caught.value.code == "IMPLAUSIBLE_TIMESTAMPS"
    assert parse_activity_file(data, now=utc(2024, 4, 30, 7)).start_time == utc(2024, 5, 1, 6)


def test_recording_that_never_moves_is_refused():
    standing = [(t, 46.0, 14.0) for t in range(0, 601, 10)]

    with pytest.raises(InvalidActivityFile, match="no moving time") as caught:
        parse_activity_file(gpx_document(standing).encode())
    assert caught.value.code == "NO_MOVING_TIME"


def test_recording_over_fourteen_days_is_implausible():
    points = [(0, 46.0, 14.0), (15 * 86400, 46.5, 14.0)]

    with pytest.raises(InvalidActivityFile, match="lasts 15 days"):
        parse_activity_file(gpx_document(points).encode())


# --- geo.py and sports.py with hand-computed values ----------------------------------------


def test_haversine_one_degree_of_latitude():
    # 2πR / 360: 111,194.93 m with the mean radius, 111,319.49 m with the WGS-84 equatorial radius.
    assert geo.haversine_m(45.0, 10.0, 46.0, 10.0, radius_m=6_371_000) == pytest.approx(111_194.93, abs=0.01)
    assert geo.haversine_m(45.0, 10.0, 46.0, 10.0) == pytest.approx(111_319.49, abs=0.01)
    assert geo.haversine_m(46.0, 14.0, 46.0, 14.0) == 0.0


def test_haversine_along_the_equator_and_across_the_antimeridian():
    assert geo.haversine_m(0.0, 179.5, 0.0, -179.5) == pytest.approx(111_319.49, abs=0.01)
    assert geo.path_length_m([(0.0, 0.0), (0.0, 1.0), (1.0, 1.0)]) == pytest.approx(2 * 111_319.49, abs=0.02)


def test_moving_time_leaves_out_a_stop_and_a_gap_without_movement():
    # 100 s at 3 m/s, a 60 s stop (1 Hz points, no distance), 100 s at 3 m/s, then a 600 s gap in
    # which the athlete moved 100 m (0.17 m/s: an auto-pause), then 10 s at 0.4 m/s (a shuffle).
    times = [*range(0, 101), *range(101, 161), *range(161, 261), 861, 871]
    distances = [
        *(3.0 * t for t in range(0, 101)),
        *([300.0] * 60),
        *(300.0 + 3.0 * (t - 160) for t in range(161, 261)),
    ]
    distances += [distances[-1] + 100.0, distances[-1] + 104.0]

    assert geo.moving_time_s(times, distances) == 200.0


def test_moving_time_boundary_is_half_a_metre_per_second():
    assert geo.moving_time_s([0, 10], [0.0, 5.0]) == 10.0
    assert geo.moving_time_s([0, 10], [0.0, 4.99]) == 0.0
    assert geo.moving_time_s([0, 0, 10], [0.0, 50.0, 55.0]) == 10.0  # a zero-length interval is skipped


def test_elevation_gain_suppresses_noise_with_a_three_metre_hysteresis():
    # Every 10 s. Reference 100; +1/−1 jitter is ignored; 104 (+4) counts, reference 104; 103 no;
    # 108 (+4) counts; 107 no; 112 (+4) counts → 12 m. Summing every rise would give 16 m.
    altitudes = [100, 101, 100, 101, 100, 104, 103, 108, 107, 112]
    times = [10 * i for i in range(len(altitudes))]

    assert geo.elevation_gain_m(times, altitudes) == 12.0
    assert geo.elevation_gain_m(times, altitudes, hysteresis_m=0.0) == 16.0


def test_elevation_gain_ignores_a_sensor_jump():
    # A barometer settling after power-on: 1257 → 2257 m in 3 s is not a climb; then +6 m in 20 s is.
    assert geo.elevation_gain_m([0, 1, 2, 3, 13, 23], [1257, 1913, 2032, 2257, 2259, 2263]) == 6.0


def test_elevation_gain_needs_two_altitudes():
    assert geo.elevation_gain_m([0, 10], [None, 100.0]) is None


def test_time_weighted_mean_holds_each_value_and_caps_a_pause():
    # Weights 10, 10, min(180, 60) = 60 and 0 for the last: (100·10 + 120·10 + 140·60) / 80 = 132.5.
    assert geo.time_weighted_mean([0, 10, 20, 200], [100, 120, 140, 150]) == 132.5
    assert geo.time_weighted_mean([0], [90]) == 90
    assert geo.time_weighted_mean([0, 10], [None, None]) is None


def test_summary_prefers_the_recorded_distance_and_carries_it_forward():
    samples = [
        Sample(t_s=0, distance_m=0.0, lat=46.0, lon=14.0),
        Sample(t_s=10, lat=46.1, lon=14.0),  # position only: the distance carries forward
        Sample(t_s=20, distance_m=50.0, lat=46.2, lon=14.0),
    ]

    totals = summarize_samples(samples)

    assert (totals.distance_m, totals.moving_s, totals.elapsed_s) == (50.0, 10.0, 20.0)


def test_summary_uses_positions_when_no_distance_is_recorded():
    samples = [Sample(t_s=0, lat=0.0, lon=0.0), Sample(t_s=100, lat=0.001, lon=0.0), Sample(t_s=200, heart_rate=150)]

    totals = summarize_samples(samples)

    assert totals.distance_m == pytest.approx(111.319, abs=0.001)
    assert (totals.moving_s, totals.avg_hr, totals.max_hr) == (100.0, 150, 150)


@pytest.mark.parametrize(
    ("sport", "sub_sport", "ours"),
    [
        ("running", "generic", "run"),
        ("running", "trail", "trail_run"),
        ("running", "treadmill", "treadmill"),
        ("walking", None, "walk"),
        ("hiking", None, "walk"),
        ("cycling", "road", "ride"),
        ("swimming", "lap_swimming", "swim"),
        ("training", None, "other"),
        (254, None, "other"),
    ],
)
def test_fit_sport_mapping(sport, sub_sport, ours):
    assert sports.sport_from_fit(sport, sub_sport) == ours


def test_speed_inference_thresholds():
    assert sports.sport_from_speed(2200, 1000) == "walk"
    assert sports.sport_from_speed(2201, 1000) == "run"
    assert sports.sport_from_speed(6500, 1000) == "run"
    assert sports.sport_from_speed(6501, 1000) == "ride"
    assert sports.sport_from_tcx("Biking") == "ride" and sports.sport_from_tcx(None) == "other"
