"""Strava's activity JSON and streams → ParsedActivity (analytics/ingest/strava.py): pure, no
database. The JSON is the double's, which follows Strava's documented examples."""

from datetime import UTC, datetime

import pytest

from analytics.ingest.strava import parse_strava_activity, sport_from_strava, strava_timezone_name
from analytics.ingest.types import InvalidActivityFile
from tests.strava_double import payloads

START = datetime(2026, 3, 2, 6, 30, tzinfo=UTC)


def detailed(streams: dict, **fields) -> dict:
    return payloads.activity(8_000_000_123, 42, START, "Europe/Ljubljana", streams, **fields)


@pytest.mark.parametrize(
    ("sport_type", "legacy_type", "trainer", "ours"),
    [
        ("Run", "Run", False, "run"),
        ("Run", "Run", True, "treadmill"),  # recorded indoors
        ("TrailRun", "Run", False, "trail_run"),
        ("VirtualRun", "VirtualRun", False, "treadmill"),
        ("Walk", "Walk", False, "walk"),
        ("Hike", "Hike", False, "walk"),
        ("GravelRide", "Ride", False, "ride"),
        ("VirtualRide", "VirtualRide", True, "ride"),
        ("Swim", "Swim", False, "swim"),
        ("Yoga", "Yoga", False, "other"),
        (None, "Run", False, "run"),  # before sport_type existed
        ("", "Walk", False, "walk"),
        (7, None, False, "other"),
        (None, None, False, "other"),
    ],
)
def test_strava_sports_map_to_ours(sport_type, legacy_type, trainer, ours):
    assert sport_from_strava(sport_type, legacy_type, trainer) == ours


@pytest.mark.parametrize(
    ("label", "zone"),
    [
        ("(GMT+01:00) Europe/Ljubljana", "Europe/Ljubljana"),
        ("(GMT-08:00) America/Los_Angeles", "America/Los_Angeles"),
        ("(GMT+05:30) Asia/Kolkata", "Asia/Kolkata"),
        ("(GMT+00:00) Etc/UTC", "Etc/UTC"),
        ("Europe/Ljubljana", ""),  # not Strava's form
        ("(GMT+01:00) Mars/Olympus_Mons", ""),
        ("(GMT+01:00) ../../etc/passwd", ""),
        ("(GMT+01:00) Europe/Ljubljana\x00", ""),
        ("", ""),
        (None, ""),
        (3600, ""),
    ],
)
def test_strava_s_timezone_label_gives_the_iana_zone(label, zone):
    assert strava_timezone_name(label) == zone


def test_a_detailed_activity_with_streams_keeps_strava_s_totals_and_every_sample():
    streams = {
        "time": [0, 1, 2, 4],
        "distance": [0.0, 3.1, 6.3, 12.9],
        "heartrate": [120, 130, 300, 140],  # 300 bpm is a sensor error
        "altitude": [295.0, 295.4, 296.0, 296.2],
    }
    activity = detailed(streams, calories=321.6, trainer=False)

    parsed = parse_strava_activity(activity, {key: {"data": data} for key, data in streams.items()})

    assert parsed.sport == "run" and parsed.source_format == "strava"
    assert parsed.start_time == START
    # The double derives Strava's totals from the streams: 12.9 m, 4 s, mean HR 172.5 → 173
    # (Strava's average includes the 300), max 300 → dropped as implausible, then the samples' 140.
    assert (parsed.distance_m, parsed.moving_s, parsed.elapsed_s) == (12.9, 4.0, 4.0)
    assert (parsed.avg_hr, parsed.max_hr, parsed.calories) == (173, 140, 322)
    assert parsed.elevation_gain_m == 1.2
    assert [(s.t_s, s.distance_m, s.heart_rate, s.altitude_m) for s in parsed.samples] == [
        (0.0, 0.0, 120, 295.0),
        (1.0, 3.1, 130, 295.4),
        (2.0, 6.3, None, 296.0),
        (4.0, 12.9, 140, 296.2),
    ]


def test_a_summary_without_streams_or_heart_rate_is_strava_s_numbers_alone():
    summary = payloads.summary(detailed({}, distance=5000.0, moving_time=1500, elapsed_time=1620))
    parsed = parse_strava_activity(summary)
    assert (parsed.distance_m, parsed.moving_s, parsed.elapsed_s) == (5000.0, 1500.0, 1620.0)
    assert (parsed.avg_hr, parsed.max_hr, parsed.calories, parsed.samples) == (None, None, None, ())


def test_a_manual_entry_with_one_time_and_junk_streams_still_parses():
    activity = detailed({}, moving_time=0, elapsed_time=1800, manual=True)
    streams = {"time": [0, "x", None, float("nan"), 5, 3], "distance": ["a"], "heartrate": {"data": "nope"}}
    parsed = parse_strava_activity(activity, streams)
    assert (parsed.moving_s, parsed.elapsed_s) == (1800.0, 1800.0)
    # Times that are not numbers, NaN, or going backwards are dropped; other values become None.
    assert [(s.t_s, s.distance_m, s.heart_rate) for s in parsed.samples] == [(0.0, None, None), (5.0, None, None)]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"start_date": None}, "NO_TIMESTAMPS"),
        ({"start_date": "yesterday"}, "NO_TIMESTAMPS"),
        ({"start_date": "2026-03-02T06:30:00"}, "NO_TIMESTAMPS"),  # no zone: not Strava's UTC form
        ({"start_date": "1970-01-01T00:00:00Z"}, "IMPLAUSIBLE_TIMESTAMPS"),
        ({"moving_time": 0, "elapsed_time": 0}, "NO_MOVING_TIME"),
        ({"moving_time": "3000", "elapsed_time": -5}, "NO_MOVING_TIME"),
    ],
)
def test_an_activity_without_a_start_or_a_duration_is_refused(changes, code):
    with pytest.raises(InvalidActivityFile) as refused:
        parse_strava_activity(detailed({}) | changes)
    assert refused.value.code == code


def test_hostile_numbers_never_escape_as_exceptions_or_overflow():
    activity = detailed(
        {}, distance=float("inf"), calories=1e300, average_heartrate=True, max_heartrate="180", total_elevation_gain=-4
    )
    parsed = parse_strava_activity(activity)
    assert (parsed.distance_m, parsed.calories, parsed.avg_hr, parsed.max_hr) == (0.0, None, None, None)
    assert parsed.elevation_gain_m is None
    with pytest.raises(InvalidActivityFile):
        parse_strava_activity(["not", "an", "object"])
