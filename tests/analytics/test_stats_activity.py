"""GET analytics/activity_stats: all sports per local day or month of inclusive local dates,
cached 5 minutes (X-Cache), invalidated by any write of the athlete, `refresh=true` recomputes."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from tests.access import ATHLETE_READ_MATRIX, athlete_access_clients
from tests.conftest import bearer_client
from tests.factories import ActivityFactory, UserFactory
from tests.test_settings_and_resilience import REDIS_DOWN

URL = "/api/v1/analytics/activity_stats"

pytestmark = pytest.mark.django_db


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.json()
    return response


def buckets(client, **params) -> list[tuple[str, float, int]]:
    return [(b["date"], b["distance"], b["activities"]) for b in get(client, **params).json()["data"]]


@pytest.fixture
def runner():
    return UserFactory(timezone="Asia/Tokyo")


@pytest.fixture
def client(runner):
    return bearer_client(runner)


class TestDays:
    def test_all_sports_across_the_new_york_dst_end(self, runner, client):
        make = ActivityFactory
        # New York leaves DST on 1 November 2026 at 06:00Z: that local day has 25 hours,
        # 04:00Z (00:00 EDT) … 05:00Z on the 2nd (00:00 EST).
        make(user=runner, start_time=utc(2026, 10, 31, 3, 59), distance=1)  # 23:59 EDT 30 Oct: before `from`
        make(user=runner, sport="ride", start_time=utc(2026, 11, 1, 3, 59), distance=20000)  # 23:59 EDT 31 Oct
        make(user=runner, start_time=utc(2026, 11, 1, 4, 0), distance=10000)  # 00:00 EDT 1 Nov
        make(user=runner, sport="swim", start_time=utc(2026, 11, 2, 4, 59), distance=1500)  # 23:59 EST 1 Nov
        make(user=runner, sport="walk", start_time=utc(2026, 11, 2, 5, 0), distance=3000)  # 00:00 EST 2 Nov
        make(user=runner, start_time=utc(2026, 11, 3, 5, 0), distance=7)  # 00:00 EST 3 Nov: after `to`
        result = buckets(client, **{"from": "2026-10-31", "to": "2026-11-02", "timezone": "America/New_York"})
        assert result == [("2026-10-31", 20000, 1), ("2026-11-01", 11500, 2), ("2026-11-02", 3000, 1)]

    def test_same_instants_with_the_legacy_offset(self, runner, client):
        # −240 = EDT kept all along: 11-02T04:59Z is then 00:59 on the 2nd, not 23:59 on the 1st.
        ActivityFactory(user=runner, sport="swim", start_time=utc(2026, 11, 2, 4, 59), distance=1500)
        params = {"from": "2026-11-01", "to": "2026-11-02", "timezone_offset_minutes": -240}
        assert buckets(client, **params) == [("2026-11-01", 0, 0), ("2026-11-02", 1500, 1)]

    def test_defaults_to_the_profile_zone(self, runner, client):
        # 2026-04-30T15:30Z = 00:30 on 1 May in Tokyo (the profile zone), still 30 April in UTC.
        ActivityFactory(user=runner, start_time=utc(2026, 4, 30, 15, 30), distance=5000)
        dates = {"from": "2026-04-30", "to": "2026-05-01"}
        assert buckets(client, **dates) == [("2026-04-30", 0, 0), ("2026-05-01", 5000, 1)]
        assert buckets(client, **dates, timezone_offset_minutes=540) == [("2026-04-30", 0, 0), ("2026-05-01", 5000, 1)]
        assert buckets(client, **dates, timezone="UTC") == [("2026-04-30", 5000, 1), ("2026-05-01", 0, 0)]
        assert buckets(client, **dates, timezone="Europe/London") == [("2026-04-30", 5000, 1), ("2026-05-01", 0, 0)]

    def test_every_field_of_a_bucket(self, runner, client):
        day = utc(2026, 6, 10, 1)
        ActivityFactory(
            user=runner,
            start_time=day,
            distance=10000,
            duration=3000,
            training_load=70,
            calories=650,
            pace_z1_time=2000,
            pace_z3_time=1000,
        )
        ActivityFactory(
            user=runner,
            sport="ride",
            start_time=day + timedelta(hours=2),
            distance=30000,
            duration=3600,
            training_load=55.5,
            calories=None,
        )
        body = get(client, **{"from": "2026-06-10", "to": "2026-06-11"}).json()
        # 10 June in Tokyo: 10000 + 30000 m, 3000 + 3600 s, 70 + 55.5 load, 650 (+ none) kcal.
        assert body["data"] == [
            {
                "date": "2026-06-10",
                "distance": 40000,
                "duration": 6600,
                "training_load": 125.5,
                "calories": 650,
                "activities": 2,
                "pace_z1_time": 2000,
                "pace_z2_time": 0,
                "pace_z3_time": 1000,
                "pace_z4_time": 0,
                "pace_z5_time": 0,
            },
            {
                "date": "2026-06-11",
                "distance": 0,
                "duration": 0,
                "training_load": 0,
                "calories": 0,
                "activities": 0,
                "pace_z1_time": 0,
                "pace_z2_time": 0,
                "pace_z3_time": 0,
                "pace_z4_time": 0,
                "pace_z5_time": 0,
            },
        ]
        assert body["meta"] == {
            "from": "2026-06-10",
            "to": "2026-06-11",
            "granularity": "day",
            "timezone": "Asia/Tokyo",
        }


class TestMonths:
    def test_month_edges_in_tokyo(self, runner, client):
        make = ActivityFactory
        make(user=runner, start_time=utc(2026, 1, 30, 14, 59), distance=1)  # 23:59 JST 30 Jan: before `from`
        make(user=runner, start_time=utc(2026, 1, 30, 15, 0), distance=1000)  # 00:00 JST 31 Jan
        make(user=runner, sport="ride", start_time=utc(2026, 2, 28, 14, 59), distance=2000)  # 23:59 JST 28 Feb
        make(user=runner, start_time=utc(2026, 2, 28, 15, 0), distance=4000)  # 00:00 JST 1 Mar
        make(user=runner, start_time=utc(2026, 3, 1, 15, 0), distance=8)  # 00:00 JST 2 Mar: after `to`
        params = {"from": "2026-01-31", "to": "2026-03-01", "granularity": "month"}
        assert buckets(client, **params) == [("2026-01-01", 1000, 1), ("2026-02-01", 2000, 1), ("2026-03-01", 4000, 1)]
        # In UTC the window is [31 Jan 00:00Z, 2 Mar 00:00Z): both 30 January runs are out,
        # 28 Feb 14:59Z and 15:00Z are February, 1 Mar 15:00Z is March.
        assert buckets(client, **params, timezone="UTC") == [
            ("2026-01-01", 0, 0),
            ("2026-02-01", 6000, 2),
            ("2026-03-01", 8, 1),
        ]

    def test_berlin_months_across_the_autumn_dst_change(self, client, runner):
        # CET (UTC+1) since 25 October: 2026-10-31T22:30Z = 23:30 on 31 October (at the summer
        # offset it would wrongly be 00:30 on 1 November); 23:30Z = 00:30 CET on 1 November.
        ActivityFactory(user=runner, start_time=utc(2026, 10, 31, 22, 30), distance=1000)
        ActivityFactory(user=runner, start_time=utc(2026, 10, 31, 23, 30), distance=2000)
        params = {"from": "2026-10-01", "to": "2026-11-30", "granularity": "month", "timezone": "Europe/Berlin"}
        assert buckets(client, **params) == [("2026-10-01", 1000, 1), ("2026-11-01", 2000, 1)]


class TestValidation:
    GOOD = {"from": "2026-01-01", "to": "2026-01-31"}

    @pytest.mark.parametrize(
        ("changes", "field", "code"),
        [
            ({"from": None}, "from", "REQUIRED"),
            ({"to": None}, "to", "REQUIRED"),
            ({"from": "2026-02-30"}, "from", "INVALID"),
            ({"to": "31/01/2026"}, "to", "INVALID"),
            ({"from": "2026-02-01"}, "to", "INVALID"),  # to before from
            ({"from": "2025-01-01", "to": "2026-02-05"}, "to", "RANGE_TOO_LONG"),  # 401 days
            ({"granularity": "week"}, "granularity", "INVALID_CHOICE"),
            ({"granularity": "year"}, "granularity", "INVALID_CHOICE"),
            ({"refresh": "perhaps"}, "refresh", "INVALID"),
            ({"timezone": "Europe/Atlantis"}, "timezone", "INVALID_TIMEZONE"),
            ({"timezone_offset_minutes": 845}, "timezone_offset_minutes", "OUT_OF_RANGE"),
        ],
    )
    def test_bad_parameter_is_400_naming_it(self, client, changes, field, code):
        params = {k: v for k, v in {**self.GOOD, **changes}.items() if v is not None}
        response = client.get(URL, params)
        assert response.status_code == 400
        assert response.json()["details"] == {"code": code, "field": field}

    def test_four_hundred_days_is_the_limit(self, client):
        # 2025-01-01 … 2026-02-04 inclusive: 365 + 35 = 400 days.
        assert len(get(client, **{"from": "2025-01-01", "to": "2026-02-04"}).json()["data"]) == 400
        months = get(client, **{"from": "2025-01-01", "to": "2026-02-04", "granularity": "month"}).json()["data"]
        assert [m["date"] for m in months][::13] == ["2025-01-01", "2026-02-01"]


class TestCache:
    PARAMS = {"from": "2026-11-01", "to": "2026-11-02"}

    def test_miss_hit_write_miss(self, runner, client):
        ActivityFactory(user=runner, start_time=utc(2026, 11, 1, 3), distance=5000)  # 12:00 JST 1 Nov
        first = get(client, **self.PARAMS)
        assert first["X-Cache"] == "MISS"
        second = get(client, **self.PARAMS)
        assert second["X-Cache"] == "HIT"
        assert second.json() == first.json()
        # The athlete logs a run through the API: their data generation moves on.
        posted = client.post(
            "/api/v1/activities",
            {"start_time": "2026-11-02T07:00:00+09:00", "sport": "run", "distance": 8000, "duration": 2400},
            format="json",
        )
        assert posted.status_code == 201
        third = get(client, **self.PARAMS)
        assert third["X-Cache"] == "MISS"
        assert [(b["date"], b["distance"]) for b in third.json()["data"]] == [
            ("2026-11-01", 5000),
            ("2026-11-02", 8000),
        ]
        assert get(client, **self.PARAMS)["X-Cache"] == "HIT"

    def test_refresh_recomputes_and_stores(self, runner, client):
        assert get(client, **self.PARAMS)["X-Cache"] == "MISS"
        # A row written behind the API's back (no generation bump) shows only after a refresh.
        ActivityFactory(user=runner, start_time=utc(2026, 11, 1, 3), distance=5000)
        assert get(client, **self.PARAMS).json()["data"][0]["distance"] == 0
        refreshed = get(client, **self.PARAMS, refresh="true")
        assert refreshed["X-Cache"] == "MISS"
        assert refreshed.json()["data"][0]["distance"] == 5000
        after = get(client, **self.PARAMS)
        assert after["X-Cache"] == "HIT"
        assert after.json()["data"][0]["distance"] == 5000

    def test_every_parameter_and_the_zone_are_in_the_key(self, runner, client):
        assert get(client, **self.PARAMS)["X-Cache"] == "MISS"
        assert get(client, **self.PARAMS, granularity="month")["X-Cache"] == "MISS"
        assert get(client, **self.PARAMS, timezone="UTC")["X-Cache"] == "MISS"
        # A zero offset is the same zone as "UTC" (both resolve to "UTC"): the same answer, shared.
        assert get(client, **self.PARAMS, timezone_offset_minutes=0)["X-Cache"] == "HIT"
        assert get(client, **self.PARAMS, timezone_offset_minutes=60)["X-Cache"] == "MISS"
        assert get(client, **self.PARAMS, timezone="Asia/Tokyo")["X-Cache"] == "HIT"  # = the profile zone
        assert get(client, **{"from": "2026-11-01", "to": "2026-11-03"})["X-Cache"] == "MISS"

    def test_access_is_checked_before_the_cache(self, runner, client):
        assert get(client, **self.PARAMS)["X-Cache"] == "MISS"
        outsider = bearer_client(UserFactory())
        assert outsider.get(URL, {**self.PARAMS, "user_id": runner.public_id}).status_code == 403

    def test_answers_while_redis_is_down(self, runner):
        ActivityFactory(user=runner, start_time=utc(2026, 11, 1, 3), distance=5000)
        with override_settings(CACHES=REDIS_DOWN, DJANGO_REDIS_IGNORE_EXCEPTIONS=True):
            assert caches["default"].get("anything") is None
            client = bearer_client(runner)
            for _ in range(2):
                response = get(client, **self.PARAMS)
                assert response["X-Cache"] == "MISS"
                assert response.json()["data"][0]["distance"] == 5000


class TestAccess:
    PARAMS = {"from": "2026-11-01", "to": "2026-11-01"}

    @pytest.fixture
    def club(self, runner):
        ActivityFactory(user=runner, sport="swim", start_time=utc(2026, 11, 1, 1), distance=2500)
        return athlete_access_clients(runner)

    @pytest.mark.parametrize(("who", "status"), ATHLETE_READ_MATRIX)
    def test_matrix(self, runner, club, who, status):
        response = club[who].get(URL, {**self.PARAMS, "user_id": runner.public_id})
        assert response.status_code == status
        if status == 200:
            assert response.json()["data"][0]["distance"] == 2500

    def test_unknown_user_is_404(self, club):
        assert club["their coach"].get(URL, {**self.PARAMS, "user_id": "usr_nobody"}).status_code == 404

    def test_coach_and_athlete_share_the_cached_answer(self, runner, club):
        assert get(bearer_client(runner), **self.PARAMS)["X-Cache"] == "MISS"
        assert get(club["their coach"], **self.PARAMS, user_id=runner.public_id)["X-Cache"] == "HIT"


@pytest.mark.parametrize("granularity", ["day", "month"])
def test_query_count_does_not_grow_with_activities(runner, client, granularity):
    params = {"from": "2026-01-01", "to": "2026-11-20", "granularity": granularity, "refresh": "true"}
    client.get(URL, params)  # the first request of a token writes last_used_at
    ActivityFactory(user=runner, start_time=utc(2026, 1, 1, 3))

    def measure() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, params)["X-Cache"] == "MISS"
        return [query["sql"] for query in queries.captured_queries]

    one = measure()
    for n in range(1, 200):
        ActivityFactory(
            user=runner, sport=("run", "ride", "swim")[n % 3], start_time=utc(2026, 1, 1, 3) + timedelta(hours=36 * n)
        )
    many = measure()
    assert len(one) == len(many)
    grouped = [sql for sql in many if "analytics_activity" in sql]
    assert len(grouped) == 1 and "GROUP BY" in grouped[0].upper()
    assert sum(b["activities"] for b in get(client, **params).json()["data"]) == 200
