"""GET analytics/health_metrics: mean resting HR, HRV and VO2max per day, ISO week or month of
the wellness days from…to (already local dates), `null` where none; cached 5 minutes."""

from datetime import date, timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from tests.access import ATHLETE_READ_MATRIX, athlete_access_clients
from tests.conftest import bearer_client
from tests.factories import DailyWellnessFactory, UserFactory
from tests.test_settings_and_resilience import REDIS_DOWN

URL = "/api/v1/analytics/health_metrics"

pytestmark = pytest.mark.django_db


def day(user, iso: str, resting_heart_rate=None, hrv=None, vo2_max=None):
    """A wellness day with only the given measures (the factory's defaults would fill the rest)."""
    return DailyWellnessFactory(
        user=user, date=date.fromisoformat(iso), resting_heart_rate=resting_heart_rate, hrv=hrv, vo2_max=vo2_max
    )


def get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.json()
    return response


def rows(client, **params) -> list[tuple]:
    data = get(client, **params).json()["data"]
    return [(r["date"], r["resting_heart_rate"], r["hrv"], r["vo2_max"]) for r in data]


@pytest.fixture
def runner():
    return UserFactory(timezone="America/Los_Angeles")


@pytest.fixture
def client(runner):
    return bearer_client(runner)


class TestBuckets:
    def test_days_with_nulls_where_nothing_was_measured(self, runner, client):
        day(runner, "2026-10-31", resting_heart_rate=99, hrv=1, vo2_max=10)  # before `from`
        day(runner, "2026-11-01", resting_heart_rate=50, hrv=60.5, vo2_max=52.0)
        day(runner, "2026-11-03", hrv=70)
        day(runner, "2026-11-04", resting_heart_rate=48, vo2_max=52.4)
        day(runner, "2026-11-05", resting_heart_rate=99, hrv=1, vo2_max=10)  # after `to`
        assert rows(client, **{"from": "2026-11-01", "to": "2026-11-04"}) == [
            ("2026-11-01", 50, 60.5, 52.0),
            ("2026-11-02", None, None, None),
            ("2026-11-03", None, 70, None),
            ("2026-11-04", 48, None, 52.4),
        ]

    def test_iso_weeks_from_a_wednesday(self, runner, client):
        day(runner, "2026-10-27", resting_heart_rate=90, hrv=10)  # Tuesday of the first week, before `from`
        day(runner, "2026-10-28", resting_heart_rate=50, hrv=60)  # Wednesday = from
        day(runner, "2026-11-01", resting_heart_rate=53, hrv=65)  # Sunday: still the week of 26 Oct
        day(runner, "2026-11-02", resting_heart_rate=49, hrv=71, vo2_max=50)  # Monday: next week
        day(runner, "2026-11-05", hrv=64)
        day(runner, "2026-11-08", hrv=65, vo2_max=51)  # Sunday
        day(runner, "2026-11-10", resting_heart_rate=47)  # Tuesday = to
        day(runner, "2026-11-11", resting_heart_rate=99)  # after `to`
        body = get(client, **{"from": "2026-10-28", "to": "2026-11-10", "granularity": "week"}).json()
        assert [(r["date"], r["resting_heart_rate"], r["hrv"], r["vo2_max"]) for r in body["data"]] == [
            # (50 + 53) / 2 = 51.5 bpm; (60 + 65) / 2 = 62.5 ms; the 27th's 90/10 are outside from…to.
            ("2026-10-26", 51.5, 62.5, None),
            # 49; (71 + 64 + 65) / 3 = 66.67 → 66.7; (50 + 51) / 2 = 50.5.
            ("2026-11-02", 49, 66.7, 50.5),
            ("2026-11-09", 47, None, None),
        ]
        assert body["meta"] == {"from": "2026-10-28", "to": "2026-11-10", "granularity": "week"}

    def test_iso_week_across_a_year_end(self, runner, client):
        # Thursday 31 December 2026 and Friday 1 January 2027 share the ISO week of Monday 28 December.
        day(runner, "2026-12-31", resting_heart_rate=52)
        day(runner, "2027-01-01", resting_heart_rate=55)
        day(runner, "2027-01-04", resting_heart_rate=51)
        params = {"from": "2026-12-30", "to": "2027-01-04", "granularity": "week"}
        # (52 + 55) / 2 = 53.5
        assert rows(client, **params) == [("2026-12-28", 53.5, None, None), ("2027-01-04", 51, None, None)]

    def test_months_across_a_year_end(self, runner, client):
        day(runner, "2026-12-14", vo2_max=40)  # before `from`
        day(runner, "2026-12-15", vo2_max=50)
        day(runner, "2026-12-31", vo2_max=51)
        day(runner, "2027-01-01", vo2_max=53.2)
        day(runner, "2027-01-10", vo2_max=54.2)
        day(runner, "2027-01-11", vo2_max=70)  # after `to`
        params = {"from": "2026-12-15", "to": "2027-01-10", "granularity": "month"}
        # (50 + 51) / 2 = 50.5; (53.2 + 54.2) / 2 = 53.7; no resting HR or HRV at all → null.
        assert rows(client, **params) == [("2026-12-01", None, None, 50.5), ("2027-01-01", None, None, 53.7)]

    def test_dates_are_not_shifted_by_any_zone(self, runner, client):
        # Wellness dates are already the athlete's local dates: no zone moves them.
        day(runner, "2026-11-01", resting_heart_rate=50)
        expected = [("2026-11-01", 50, None, None)]
        assert rows(client, **{"from": "2026-11-01", "to": "2026-11-01"}) == expected
        assert rows(client, **{"from": "2026-11-01", "to": "2026-11-01", "timezone": "Asia/Tokyo"}) == expected

    def test_another_athletes_days_never_mix_in(self, runner, client):
        day(UserFactory(), "2026-11-01", resting_heart_rate=80)
        day(runner, "2026-11-01", resting_heart_rate=50)
        assert rows(client, **{"from": "2026-11-01", "to": "2026-11-01", "granularity": "month"}) == [
            ("2026-11-01", 50, None, None)
        ]


class TestValidation:
    GOOD = {"from": "2026-01-01", "to": "2026-01-31"}

    @pytest.mark.parametrize(
        ("changes", "field", "code"),
        [
            ({"from": None}, "from", "REQUIRED"),
            ({"to": None}, "to", "REQUIRED"),
            ({"from": "2026-13-01"}, "from", "INVALID"),
            ({"to": "tomorrow"}, "to", "INVALID"),
            ({"from": "2026-02-01"}, "to", "INVALID"),  # to before from
            ({"from": "2025-01-01", "to": "2026-02-05"}, "to", "RANGE_TOO_LONG"),  # 401 days
            ({"granularity": "year"}, "granularity", "INVALID_CHOICE"),
            ({"granularity": "WEEK"}, "granularity", "INVALID_CHOICE"),
            ({"refresh": "2"}, "refresh", "INVALID"),
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
        weeks = get(client, **{"from": "2025-01-01", "to": "2026-02-04", "granularity": "week"}).json()["data"]
        # Wednesday 1 January 2025 is in the ISO week of Monday 30 December 2024; 4 February 2026
        # (a Wednesday) in the week of Monday 2 February: (2026-02-02 − 2024-12-30) / 7 + 1 = 58 weeks.
        assert (weeks[0]["date"], weeks[-1]["date"], len(weeks)) == ("2024-12-30", "2026-02-02", 58)


class TestCache:
    PARAMS = {"from": "2026-11-01", "to": "2026-11-02"}

    def test_miss_hit_write_miss(self, runner, client):
        day(runner, "2026-11-01", resting_heart_rate=50)
        first = get(client, **self.PARAMS)
        assert first["X-Cache"] == "MISS"
        second = get(client, **self.PARAMS)
        assert second["X-Cache"] == "HIT"
        assert second.json() == first.json()
        put = client.put("/api/v1/wellness/2026-11-02", {"resting_heart_rate": 47, "hrv": 66}, format="json")
        assert put.status_code == 201
        third = get(client, **self.PARAMS)
        assert third["X-Cache"] == "MISS"
        assert rows(client, **self.PARAMS) == [("2026-11-01", 50, None, None), ("2026-11-02", 47, 66, None)]
        assert get(client, **self.PARAMS)["X-Cache"] == "HIT"

    def test_refresh_recomputes_and_stores(self, runner, client):
        assert get(client, **self.PARAMS)["X-Cache"] == "MISS"
        day(runner, "2026-11-01", hrv=58)  # written behind the API's back: no generation bump
        assert get(client, **self.PARAMS).json()["data"][0]["hrv"] is None
        refreshed = get(client, **self.PARAMS, refresh="1")
        assert refreshed["X-Cache"] == "MISS"
        assert refreshed.json()["data"][0]["hrv"] == 58
        assert get(client, **self.PARAMS)["X-Cache"] == "HIT"

    def test_granularity_is_in_the_key(self, client):
        assert get(client, **self.PARAMS)["X-Cache"] == "MISS"
        assert get(client, **self.PARAMS, granularity="week")["X-Cache"] == "MISS"
        assert get(client, **self.PARAMS, granularity="day")["X-Cache"] == "HIT"  # the default, spelled out

    def test_answers_while_redis_is_down(self, runner):
        day(runner, "2026-11-01", resting_heart_rate=50)
        with override_settings(CACHES=REDIS_DOWN, DJANGO_REDIS_IGNORE_EXCEPTIONS=True):
            assert caches["default"].get("anything") is None
            client = bearer_client(runner)
            for _ in range(2):
                response = get(client, **self.PARAMS)
                assert response["X-Cache"] == "MISS"
                assert response.json()["data"][0]["resting_heart_rate"] == 50


class TestAccess:
    PARAMS = {"from": "2026-11-01", "to": "2026-11-01"}

    @pytest.fixture
    def club(self, runner):
        day(runner, "2026-11-01", resting_heart_rate=44)
        return athlete_access_clients(runner)

    @pytest.mark.parametrize(("who", "status"), ATHLETE_READ_MATRIX)
    def test_matrix(self, runner, club, who, status):
        response = club[who].get(URL, {**self.PARAMS, "user_id": runner.public_id})
        assert response.status_code == status
        if status == 200:
            assert response.json()["data"][0]["resting_heart_rate"] == 44

    def test_unknown_user_is_404(self, club):
        assert club["their coach"].get(URL, {**self.PARAMS, "user_id": "usr_nobody"}).status_code == 404

    def test_api_key_must_name_the_athlete(self, club):
        response = club["their organization's key"].get(URL, self.PARAMS)
        assert response.status_code == 400
        assert response.json()["details"] == {"code": "REQUIRED", "field": "user_id"}


@pytest.mark.parametrize("granularity", ["day", "week", "month"])
def test_query_count_does_not_grow_with_days(runner, client, granularity):
    params = {"from": "2026-01-01", "to": "2026-11-20", "granularity": granularity, "refresh": "true"}
    client.get(URL, params)  # the first request of a token writes last_used_at
    day(runner, "2026-01-01", resting_heart_rate=50)

    def measure() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, params)["X-Cache"] == "MISS"
        return [query["sql"] for query in queries.captured_queries]

    one = measure()
    for n in range(1, 200):
        day(runner, (date(2026, 1, 1) + timedelta(days=n)).isoformat(), resting_heart_rate=50, hrv=60 + n % 7)
    many = measure()
    assert len(one) == len(many)
    grouped = [sql for sql in many if "analytics_dailywellness" in sql]
    assert len(grouped) == 1 and "GROUP BY" in grouped[0].upper()
