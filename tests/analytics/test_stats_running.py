"""GET analytics/running_stats: runs with from ≤ start ≤ to, bucketed per local day, 7 days from
the local date of `from`, ISO week or calendar month; every bucket present.

The clock is pinned to 2026-12-01T00:00Z (the "7 days in the future" rule reads it).
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics.api import stats_views
from tests.access import ATHLETE_READ_MATRIX, athlete_access_clients
from tests.conftest import bearer_client
from tests.factories import ActivityFactory, UserFactory

URL = "/api/v1/analytics/running_stats"
NOW = datetime(2026, 12, 1, tzinfo=UTC)
DAY = 86400

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch):
    monkeypatch.setattr(stats_views, "request_now", lambda: NOW)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def ts(*args) -> int:
    return int(utc(*args).timestamp())


def series(client, **params) -> list[dict]:
    response = client.get(URL, params)
    assert response.status_code == 200, response.json()
    return response.json()["data"]


def distances(points) -> list[tuple[str, float, int]]:
    return [(p["date"], p["distance"], p["runs"]) for p in points]


@pytest.fixture
def runner():
    return UserFactory(timezone="Asia/Tokyo")


@pytest.fixture
def client(runner):
    return bearer_client(runner)


class TestDaily:
    # 2026-11-09T15:00:00Z is 00:00 on 10 November in Tokyo; 2026-11-12T14:59:59Z is 23:59:59 on the 12th.
    FROM = ts(2026, 11, 9, 15, 0, 0)
    TO = ts(2026, 11, 12, 14, 59, 59)

    @pytest.fixture
    def runs(self, runner):
        make = ActivityFactory
        make(user=runner, start_time=utc(2026, 11, 9, 14, 59, 59), distance=1)  # one second before from: out
        make(user=runner, start_time=utc(2026, 11, 9, 15, 0, 0), distance=1000)  # == from: in
        make(user=runner, start_time=utc(2026, 11, 10, 14, 30), distance=2000)  # 23:30 JST on the 10th
        make(user=runner, start_time=utc(2026, 11, 10, 15, 30), distance=4000)  # 00:30 JST on the 11th
        make(user=runner, sport="walk", start_time=utc(2026, 11, 11, 3), distance=9999)  # not a run
        make(user=runner, sport="treadmill", start_time=utc(2026, 11, 12, 14, 59, 59), distance=8000)  # == to: in
        make(user=runner, start_time=utc(2026, 11, 12, 15, 0, 0), distance=16)  # one second after to: out

    @pytest.mark.usefixtures("runs")
    def test_local_days_in_tokyo_with_inclusive_edges(self, client):
        points = series(
            client, from_timestamp=self.FROM, to_timestamp=self.TO, range_type="daily", timezone="Asia/Tokyo"
        )
        # 10th: 1000 + 2000; 11th: 4000 (the walk is not a run); 12th: the treadmill run at `to`.
        assert distances(points) == [("2026-11-10", 3000, 2), ("2026-11-11", 4000, 1), ("2026-11-12", 8000, 1)]

    @pytest.mark.usefixtures("runs")
    def test_profile_zone_and_legacy_offset_give_the_same_days(self, client):
        by_profile = series(client, from_timestamp=self.FROM, to_timestamp=self.TO, range_type="daily")
        by_offset = series(
            client, from_timestamp=self.FROM, to_timestamp=self.TO, range_type="daily", timezone_offset_minutes=540
        )
        assert by_profile == by_offset
        assert distances(by_profile)[0] == ("2026-11-10", 3000, 2)

    @pytest.mark.usefixtures("runs")
    def test_utc_days_of_the_same_window(self, client):
        # In UTC `from` is 15:00 on the 9th and `to` 14:59:59 on the 12th: four days.
        # 9th: 1000 (at from); 10th: 2000 (14:30Z) + 4000 (15:30Z); 11th: none; 12th: 8000.
        points = series(client, from_timestamp=self.FROM, to_timestamp=self.TO, range_type="daily", timezone="UTC")
        assert distances(points) == [
            ("2026-11-09", 1000, 1),
            ("2026-11-10", 6000, 2),
            ("2026-11-11", 0, 0),
            ("2026-11-12", 8000, 1),
        ]

    def test_a_single_instant_is_one_day(self, client, runner):
        ActivityFactory(user=runner, start_time=utc(2026, 11, 9, 15), distance=500)
        points = series(client, from_timestamp=self.FROM, to_timestamp=self.FROM, range_type="daily")
        assert distances(points) == [("2026-11-10", 500, 1)]


class TestWeekly:
    # 2026-10-28T16:00Z = 12:00 EDT on Wednesday 28 October in New York. New York leaves DST on
    # Sunday 1 November at 06:00Z (02:00 EDT → 01:00 EST). `to` lies far beyond the 7 days.
    FROM = ts(2026, 10, 28, 16, 0)
    TO = ts(2026, 11, 10, 0, 0)

    @pytest.fixture
    def runs(self, runner):
        make = ActivityFactory
        make(user=runner, start_time=utc(2026, 10, 28, 15, 59, 59), distance=1)  # before from: out
        make(user=runner, start_time=utc(2026, 10, 28, 16, 0), distance=1000)  # == from → 28th
        make(user=runner, start_time=utc(2026, 11, 1, 3, 30), distance=2000)  # 23:30 EDT 31 Oct
        make(user=runner, start_time=utc(2026, 11, 1, 4, 30), distance=4000)  # 00:30 EDT 1 Nov
        make(user=runner, start_time=utc(2026, 11, 2, 4, 30), distance=8000)  # 23:30 EST 1 Nov (00:30 in EDT!)
        make(user=runner, start_time=utc(2026, 11, 4, 4, 30), distance=16000)  # 23:30 EST 3 Nov: day 7
        make(user=runner, start_time=utc(2026, 11, 4, 5, 30), distance=32000)  # 00:30 EST 4 Nov: day 8, out

    @pytest.mark.usefixtures("runs")
    def test_seven_local_days_across_the_dst_end(self, client):
        points = series(
            client, from_timestamp=self.FROM, to_timestamp=self.TO, range_type="weekly", timezone="America/New_York"
        )
        assert distances(points) == [
            ("2026-10-28", 1000, 1),
            ("2026-10-29", 0, 0),
            ("2026-10-30", 0, 0),
            ("2026-10-31", 2000, 1),
            ("2026-11-01", 4000 + 8000, 2),
            ("2026-11-02", 0, 0),
            ("2026-11-03", 16000, 1),
        ]

    @pytest.mark.usefixtures("runs")
    def test_fixed_legacy_offset_ignores_dst(self, client):
        # −300 = EST all along: 11-01T03:30Z is 22:30 and 04:30Z 23:30 on 31 Oct; 11-02T04:30Z is 23:30 on 1 Nov.
        points = series(
            client, from_timestamp=self.FROM, to_timestamp=self.TO, range_type="weekly", timezone_offset_minutes=-300
        )
        assert [p["distance"] for p in points] == [1000, 0, 0, 2000 + 4000, 8000, 0, 16000]
        assert points[0]["date"] == "2026-10-28"

    def test_always_seven_points_even_when_to_is_sooner(self, client, runner):
        ActivityFactory(user=runner, start_time=utc(2026, 10, 29, 12), distance=3000)  # Tokyo: 21:00 on the 29th
        # from = 2026-10-27T15:00Z = 00:00 JST 28 Oct; to one day later.
        points = series(
            client, from_timestamp=ts(2026, 10, 27, 15), to_timestamp=ts(2026, 10, 28, 15), range_type="weekly"
        )
        assert [p["date"] for p in points] == [
            f"2026-{d}" for d in ("10-28", "10-29", "10-30", "10-31", "11-01", "11-02", "11-03")
        ]
        # The run on the 29th is after `to`: counted nowhere.
        assert all(p["runs"] == 0 for p in points)


class TestMonthlyIsoWeeks:
    @pytest.fixture
    def berlin_runner(self):
        return UserFactory(timezone="Europe/Berlin")

    def test_weeks_labelled_by_monday_across_month_and_dst_edges(self, berlin_runner):
        make = ActivityFactory
        # from = Wednesday 30 September 2026 00:00 CEST (29T22:00Z); to = Monday 26 October 13:00 CET.
        from_ts, to_ts = ts(2026, 9, 29, 22, 0), ts(2026, 10, 26, 12, 0)
        make(user=berlin_runner, start_time=utc(2026, 9, 29, 21, 59, 59), distance=1)  # Tue 23:59:59: out
        make(user=berlin_runner, start_time=utc(2026, 10, 4, 21, 30), distance=1000)  # Sun 4 Oct 23:30 CEST
        make(user=berlin_runner, start_time=utc(2026, 10, 4, 22, 30), distance=2000)  # Mon 5 Oct 00:30 CEST
        # Berlin leaves DST on Sunday 25 October at 01:00Z; 22:30Z is then 23:30 CET on Sunday
        # (it would be 00:30 Monday at the summer offset).
        make(user=berlin_runner, start_time=utc(2026, 10, 25, 22, 30), distance=4000)
        make(user=berlin_runner, start_time=utc(2026, 10, 26, 12, 0), distance=8000)  # == to: in
        make(user=berlin_runner, start_time=utc(2026, 10, 26, 12, 0, 1), distance=16)  # after to: out
        points = series(bearer_client(berlin_runner), from_timestamp=from_ts, to_timestamp=to_ts, range_type="monthly")
        assert distances(points) == [
            ("2026-09-28", 1000, 1),  # the week of Wednesday 30 September, labelled by its Monday
            ("2026-10-05", 2000, 1),
            ("2026-10-12", 0, 0),
            ("2026-10-19", 4000, 1),
            ("2026-10-26", 8000, 1),
        ]

    def test_iso_week_across_a_year_end(self, runner, monkeypatch):
        # Tokyo: 2026-12-31T15:30Z = 00:30 on Friday 1 January 2027, in the ISO week of Monday 28 December.
        ActivityFactory(user=runner, start_time=utc(2026, 12, 31, 15, 30), distance=5000)
        # The pinned now (2026-12-01) would make `to` = 2027-01-04 too far ahead: move the clock.
        monkeypatch.setattr(stats_views, "request_now", lambda: utc(2027, 1, 10))
        points = series(
            bearer_client(runner), from_timestamp=ts(2026, 12, 23), to_timestamp=ts(2027, 1, 4), range_type="monthly"
        )
        assert distances(points) == [("2026-12-21", 0, 0), ("2026-12-28", 5000, 1), ("2027-01-04", 0, 0)]


class TestYearlyMonths:
    def test_months_in_tokyo_and_in_utc(self, runner, client):
        make = ActivityFactory
        make(user=runner, start_time=utc(2026, 1, 31, 14, 30), distance=1000)  # 23:30 JST 31 Jan
        make(user=runner, start_time=utc(2026, 1, 31, 15, 30), distance=2000)  # 00:30 JST 1 Feb
        make(user=runner, start_time=utc(2026, 3, 31, 15, 0), distance=4000)  # 00:00 JST 1 Apr
        from_ts, to_ts = ts(2026, 1, 15), ts(2026, 4, 10)
        tokyo = series(client, from_timestamp=from_ts, to_timestamp=to_ts, range_type="yearly")
        assert distances(tokyo) == [
            ("2026-01-01", 1000, 1),
            ("2026-02-01", 2000, 1),
            ("2026-03-01", 0, 0),
            ("2026-04-01", 4000, 1),
        ]
        in_utc = series(client, from_timestamp=from_ts, to_timestamp=to_ts, range_type="yearly", timezone="UTC")
        assert distances(in_utc) == [
            ("2026-01-01", 3000, 2),
            ("2026-02-01", 0, 0),
            ("2026-03-01", 4000, 1),
            ("2026-04-01", 0, 0),
        ]


class TestPointShape:
    def test_every_metric_summed_and_metric_type_echoed(self, runner, client):
        common = {"user": runner, "start_time": utc(2026, 11, 10, 1)}
        ActivityFactory(
            **common,
            distance=10000,
            duration=3000,
            training_load=80.5,
            calories=700,
            pace_z1_time=1000,
            pace_z2_time=1500,
            pace_z3_time=500,
        )
        ActivityFactory(
            user=runner,
            sport="trail_run",
            start_time=utc(2026, 11, 10, 9),
            distance=6000,
            duration=2400,
            training_load=60.2,
            calories=None,
            pace_z4_time=300,
            pace_z5_time=60,
        )
        ActivityFactory(
            user=runner,
            sport="ride",
            start_time=utc(2026, 11, 10, 5),
            distance=40000,
            duration=3600,
            training_load=90,
            calories=900,
        )
        response = client.get(
            URL,
            {
                "from_timestamp": ts(2026, 11, 9, 15),
                "to_timestamp": ts(2026, 11, 10, 14, 59, 59),
                "range_type": "daily",
                "metric_type": "training_load",
            },
        )
        body = response.json()
        # Tokyo 10 November holds the two runs (the ride is not a run):
        # 10000 + 6000 m; 3000 + 2400 s; 80.5 + 60.2 = 140.7; 700 + (none) kcal.
        assert body["data"] == [
            {
                "date": "2026-11-10",
                "distance": 16000,
                "duration": 5400,
                "nexrex_training_load": 140.7,
                "runs": 2,
                "calories": 700,
                "pace_z1_time": 1000,
                "pace_z2_time": 1500,
                "pace_z3_time": 500,
                "pace_z4_time": 300,
                "pace_z5_time": 60,
            }
        ]
        assert body["status"] == "ok"
        assert body["meta"] == {
            "range_type": "daily",
            "metric_type": "training_load",
            "metric_field": "nexrex_training_load",
            "timezone": "Asia/Tokyo",
        }

    def test_metric_type_defaults_to_distance_and_changes_no_numbers(self, runner, client):
        ActivityFactory(user=runner, start_time=utc(2026, 11, 10, 1), distance=5000, duration=1500)
        params = {"from_timestamp": ts(2026, 11, 9, 15), "to_timestamp": ts(2026, 11, 10, 14), "range_type": "daily"}
        default = client.get(URL, params).json()
        by_duration = client.get(URL, {**params, "metric_type": "duration"}).json()
        assert default["meta"]["metric_type"] == "distance"
        assert by_duration["meta"]["metric_field"] == "duration"
        assert default["data"] == by_duration["data"]
        assert default["data"][0]["duration"] == 1500


class TestValidation:
    GOOD = {"from_timestamp": ts(2026, 11, 1), "to_timestamp": ts(2026, 11, 8), "range_type": "daily"}

    @pytest.mark.parametrize(
        ("changes", "field", "code"),
        [
            ({"from_timestamp": None}, "from_timestamp", "REQUIRED"),
            ({"from_timestamp": ""}, "from_timestamp", "REQUIRED"),
            ({"from_timestamp": "yesterday"}, "from_timestamp", "INVALID"),
            ({"from_timestamp": "1762000000.5"}, "from_timestamp", "INVALID"),
            ({"from_timestamp": "2026-11-01"}, "from_timestamp", "INVALID"),
            ({"from_timestamp": -1}, "from_timestamp", "MIN_VALUE"),
            ({"to_timestamp": None}, "to_timestamp", "REQUIRED"),
            ({"to_timestamp": "soon"}, "to_timestamp", "INVALID"),
            ({"to_timestamp": "9" * 30}, "to_timestamp", "INVALID"),
            # to < from by one second
            ({"from_timestamp": ts(2026, 11, 8), "to_timestamp": ts(2026, 11, 8) - 1}, "to_timestamp", "INVALID"),
            # 365 days and one second
            (
                {"from_timestamp": ts(2025, 11, 1), "to_timestamp": ts(2025, 11, 1) + 365 * DAY + 1},
                "to_timestamp",
                "RANGE_TOO_LONG",
            ),
            # 7 days and one second after the pinned now
            ({"to_timestamp": int(NOW.timestamp()) + 7 * DAY + 1}, "to_timestamp", "IN_FUTURE"),
            ({"range_type": None}, "range_type", "REQUIRED"),
            ({"range_type": "hourly"}, "range_type", "INVALID_CHOICE"),
            ({"range_type": "Daily"}, "range_type", "INVALID_CHOICE"),
            ({"metric_type": "pace"}, "metric_type", "INVALID_CHOICE"),
            ({"timezone": "Mars/Olympus_Mons"}, "timezone", "INVALID_TIMEZONE"),
            ({"timezone_offset_minutes": "+9h"}, "timezone_offset_minutes", "INVALID"),
            ({"timezone_offset_minutes": -900}, "timezone_offset_minutes", "OUT_OF_RANGE"),
        ],
    )
    def test_bad_parameter_is_400_naming_it(self, client, changes, field, code):
        params = {k: v for k, v in {**self.GOOD, **changes}.items() if v is not None}
        response = client.get(URL, params)
        assert response.status_code == 400
        body = response.json()
        assert body["details"] == {"code": code, "field": field}
        assert body["error"]

    def test_limits_themselves_are_allowed(self, client):
        exactly_a_year = {"from_timestamp": ts(2025, 11, 1), "to_timestamp": ts(2025, 11, 1) + 365 * DAY}
        points = series(client, **exactly_a_year, range_type="yearly")
        assert len(points) == 13  # Nov 2025 … Nov 2026 (in Tokyo, both ends fall on 1 November)
        week_ahead = {"from_timestamp": ts(2026, 11, 30), "to_timestamp": int(NOW.timestamp()) + 7 * DAY}
        assert len(series(client, **week_ahead, range_type="daily")) == 9  # Tokyo 30 Nov … 8 Dec
        assert len(series(client, **exactly_a_year, range_type="daily")) == 366


class TestAccess:
    PARAMS = {"from_timestamp": ts(2026, 11, 9, 15), "to_timestamp": ts(2026, 11, 10, 14), "range_type": "daily"}

    @pytest.fixture
    def club(self, runner):
        ActivityFactory(user=runner, start_time=utc(2026, 11, 10, 1), distance=7000)
        return athlete_access_clients(runner)

    @pytest.mark.parametrize(("who", "status"), ATHLETE_READ_MATRIX)
    def test_matrix(self, runner, club, who, status):
        response = club[who].get(URL, {**self.PARAMS, "user_id": runner.public_id})
        assert response.status_code == status
        if status == 200:
            assert distances(response.json()["data"]) == [("2026-11-10", 7000, 1)]  # in the athlete's zone

    def test_unknown_user_is_404(self, club):
        response = club["their coach"].get(URL, {**self.PARAMS, "user_id": "usr_nobody"})
        assert response.status_code == 404

    def test_anonymous_gets_the_bearer_challenge(self, club):
        response = club["anonymous"].get(URL, self.PARAMS)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("range_type", ["daily", "weekly", "monthly", "yearly"])
def test_query_count_does_not_grow_with_activities(runner, client, range_type):
    params = {"from_timestamp": ts(2026, 1, 1), "to_timestamp": ts(2026, 11, 30), "range_type": range_type}
    client.get(URL, params)  # the first request of a token writes last_used_at
    ActivityFactory(user=runner, start_time=utc(2026, 1, 1, 3))

    def measure() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, params).status_code == 200
        return [query["sql"] for query in queries.captured_queries]

    one = measure()
    starts = [utc(2026, 1, 1, 3) + timedelta(hours=36 * n) for n in range(1, 200)]
    for start in starts:
        ActivityFactory(user=runner, start_time=start)
    many = measure()
    assert len(one) == len(many)
    grouped = [sql for sql in many if "analytics_activity" in sql]
    assert len(grouped) == 1 and "GROUP BY" in grouped[0].upper()
    assert sum(p["runs"] for p in series(client, **params)) == (200 if range_type != "weekly" else 5)
