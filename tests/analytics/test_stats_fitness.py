"""GET analytics/fitness_stats: the last `days` local days including today, runs only.

The clock is pinned (stats_views.request_now) so "today" is a known local date in every zone.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics.api import stats_views
from analytics.models import Activity
from tests.access import ATHLETE_READ_MATRIX, athlete_access_clients
from tests.conftest import bearer_client
from tests.factories import ActivityFactory, UserFactory

URL = "/api/v1/analytics/fitness_stats"

pytestmark = pytest.mark.django_db


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def pin_now(monkeypatch):
    def pin(instant: datetime) -> None:
        monkeypatch.setattr(stats_views, "request_now", lambda: instant)

    return pin


@pytest.fixture
def tokyo_runner():
    return UserFactory(timezone="Asia/Tokyo")


def stats(client, **params) -> dict:
    response = client.get(URL, params)
    assert response.status_code == 200, response.json()
    return response.json()


class TestWindow:
    @pytest.fixture
    def week_of_runs(self, tokyo_runner, pin_now):
        # "Now" is 2026-11-20T03:00Z = 12:00 on Friday 20 November in Tokyo (UTC+9).
        pin_now(utc(2026, 11, 20, 3, 0))
        run = ActivityFactory
        # 2026-11-13T14:59:30Z = 23:59:30 on the 13th in Tokyo; 15:00:30Z = 00:00:30 on the 14th.
        run(user=tokyo_runner, start_time=utc(2026, 11, 13, 14, 59, 30), distance=5000, duration=1800)
        run(
            user=tokyo_runner,
            start_time=utc(2026, 11, 13, 15, 0, 30),
            distance=10000,
            duration=3000,
            avg_heart_rate=140,
        )
        run(
            user=tokyo_runner,
            sport="treadmill",
            start_time=utc(2026, 11, 18, 12),
            distance=5000,
            duration=1500,
            avg_heart_rate=150,
        )
        run(user=tokyo_runner, sport="trail_run", start_time=utc(2026, 11, 20, 1), distance=8000, duration=2400)
        # Not runs: never counted.
        run(
            user=tokyo_runner,
            sport="walk",
            start_time=utc(2026, 11, 19, 1),
            distance=3000,
            duration=1800,
            avg_heart_rate=100,
        )
        run(user=tokyo_runner, sport="ride", start_time=utc(2026, 11, 19, 2), distance=30000, duration=3600)
        return tokyo_runner

    def test_last_seven_local_days_in_the_profile_zone(self, week_of_runs):
        body = stats(bearer_client(week_of_runs), days=7)
        # Tokyo window: 14–20 November local = [13T15:00Z, 20T15:00Z): the 23:59:30 run of the
        # 13th is out, the 00:00:30 run of the 14th is in.
        # 10000 + 5000 + 8000 = 23000 m; 3000 + 1500 + 2400 = 6900 s; 6900 s / 23 km = 300 s = 5:00.
        # HR: (3000·140 + 1500·150) / (3000 + 1500) = 645000 / 4500 = 143.33 → 143.
        assert body["data"] == {
            "total_activities": 3,
            "total_distance": 23000,
            "total_duration": 6900,
            "avg_pace": "5:00",
            "avg_heart_rate": 143,
        }
        assert body["meta"] == {"days": 7, "from": "2026-11-14", "to": "2026-11-20", "timezone": "Asia/Tokyo"}

    def test_utc_request_zone_moves_both_midnight_runs_out(self, week_of_runs):
        # UTC window 14–20 November = [14T00:00Z, 21T00:00Z): both runs of 13T14:59/15:00Z are out.
        # 5000 + 8000 = 13000 m, 1500 + 2400 = 3900 s → 300 s/km; HR only the treadmill: 150.
        data = stats(bearer_client(week_of_runs), days=7, timezone="UTC")["data"]
        assert data == {
            "total_activities": 2,
            "total_distance": 13000,
            "total_duration": 3900,
            "avg_pace": "5:00",
            "avg_heart_rate": 150,
        }

    def test_legacy_offset_west_of_utc(self, week_of_runs):
        # −300 min: now is 2026-11-19 22:00 local, so the window is 13–19 November local =
        # [13T05:00Z, 20T05:00Z): all four runs. 28000 m, 8700 s → 8700/28 = 310.71 s → 5:11.
        # HR: (3000·140 + 1500·150) / 4500 = 143.33 → 143.
        body = stats(bearer_client(week_of_runs), days=7, timezone_offset_minutes=-300)
        assert body["data"] == {
            "total_activities": 4,
            "total_distance": 28000,
            "total_duration": 8700,
            "avg_pace": "5:11",
            "avg_heart_rate": 143,
        }
        assert body["meta"]["from"] == "2026-11-13"
        assert body["meta"]["timezone"] == "UTC-05:00"

    def test_legacy_offset_equals_the_named_zone(self, week_of_runs):
        client = bearer_client(week_of_runs)
        assert stats(client, days=7, timezone_offset_minutes=540)["data"] == stats(client, days=7)["data"]

    def test_timezone_wins_over_the_offset(self, week_of_runs):
        client = bearer_client(week_of_runs)
        both = stats(client, days=7, timezone="UTC", timezone_offset_minutes=540)
        assert both["data"]["total_activities"] == 2
        assert both["meta"]["timezone"] == "UTC"

    def test_one_day_is_today_only(self, week_of_runs):
        # Today in Tokyo is the 20th: only the trail run (8000 m / 2400 s = 300 s/km), no HR.
        data = stats(bearer_client(week_of_runs), days=1)["data"]
        assert data == {"total_activities": 1, "total_distance": 8000, "total_duration": 2400, "avg_pace": "5:00"}

    def test_default_is_thirty_days(self, tokyo_runner, pin_now):
        pin_now(utc(2026, 11, 20, 3, 0))  # 20 November in Tokyo → window 22 October … 20 November
        # 2026-10-21T15:00Z = 00:00 on 22 October in Tokyo (in); 14:59Z = 23:59 on the 21st (out).
        ActivityFactory(user=tokyo_runner, start_time=utc(2026, 10, 21, 15, 0), distance=4000, duration=1000)
        ActivityFactory(user=tokyo_runner, start_time=utc(2026, 10, 21, 14, 59), distance=6000, duration=1800)
        body = stats(bearer_client(tokyo_runner))
        # 1000 s / 4 km = 250 s → 4:10.
        assert body["data"] == {
            "total_activities": 1,
            "total_distance": 4000,
            "total_duration": 1000,
            "avg_pace": "4:10",
        }
        assert (body["meta"]["days"], body["meta"]["from"]) == (30, "2026-10-22")

    def test_window_across_the_berlin_spring_dst_change(self, pin_now):
        runner = UserFactory(timezone="Europe/Berlin")
        # 2026-03-29: 02:00 CET → 03:00 CEST. Now 21:30Z = 23:30 CEST on the 29th; days=2 covers
        # 28–29 March local = [27T23:00Z, 29T22:00Z): 47 hours, not 48.
        pin_now(utc(2026, 3, 29, 21, 30))
        ActivityFactory(user=runner, start_time=utc(2026, 3, 27, 22, 59), distance=1000, duration=400)  # 23:59 CET 27th
        ActivityFactory(user=runner, start_time=utc(2026, 3, 27, 23, 1), distance=3000, duration=900)  # 00:01 CET 28th
        ActivityFactory(user=runner, start_time=utc(2026, 3, 29, 21, 0), distance=2000, duration=600)  # 23:00 CEST 29th
        # 3000 + 2000 = 5000 m; 900 + 600 = 1500 s → 300 s/km.
        data = stats(bearer_client(runner), days=2)["data"]
        assert data == {"total_activities": 2, "total_distance": 5000, "total_duration": 1500, "avg_pace": "5:00"}
        # A naive "now − 48 h" window would start at 27T21:30Z and wrongly count the 27th's run.

    def test_pace_rounds_to_the_second(self, tokyo_runner, pin_now):
        pin_now(utc(2026, 11, 20, 3))
        # 3000 m in 1000.6 s → 333.53 s/km → nearest second 334 s = 5:34.
        ActivityFactory(user=tokyo_runner, start_time=utc(2026, 11, 19, 3), distance=3000, duration=1000.6)
        assert stats(bearer_client(tokyo_runner), days=3)["data"]["avg_pace"] == "5:34"


class TestHeartRate:
    def test_duration_weighted_over_runs_with_hr(self, tokyo_runner, pin_now):
        pin_now(utc(2026, 11, 20, 3))
        ActivityFactory(
            user=tokyo_runner, start_time=utc(2026, 11, 18, 0), distance=6000, duration=1800, avg_heart_rate=140
        )
        ActivityFactory(
            user=tokyo_runner, start_time=utc(2026, 11, 19, 0), distance=12000, duration=3600, avg_heart_rate=155
        )
        ActivityFactory(user=tokyo_runner, start_time=utc(2026, 11, 19, 6), distance=9000, duration=2700)  # no HR
        data = stats(bearer_client(tokyo_runner), days=7)["data"]
        # 30 min at 140 and 60 min at 155: (30·140 + 60·155) / 90 = (4200 + 9300) / 90 = 150.
        # The 45 minutes without HR do not dilute it (a plain mean over all runs would not be 150 either).
        assert data["avg_heart_rate"] == 150
        # 27000 m, 8100 s → 300 s/km.
        assert (data["total_activities"], data["avg_pace"]) == (3, "5:00")

    def test_key_is_omitted_without_hr_data(self, tokyo_runner, pin_now):
        pin_now(utc(2026, 11, 20, 3))
        ActivityFactory(user=tokyo_runner, start_time=utc(2026, 11, 19, 0), distance=5000, duration=1500)
        # HR on a walk does not count: fitness stats are runs only.
        ActivityFactory(
            user=tokyo_runner, sport="walk", start_time=utc(2026, 11, 19, 3), duration=1500, avg_heart_rate=110
        )
        data = stats(bearer_client(tokyo_runner), days=7)["data"]
        assert "avg_heart_rate" not in data
        assert data["avg_pace"] == "5:00"

    def test_no_runs_at_all(self, tokyo_runner, pin_now):
        pin_now(utc(2026, 11, 20, 3))
        data = stats(bearer_client(tokyo_runner), days=7)["data"]
        assert data == {"total_activities": 0, "total_distance": 0, "total_duration": 0, "avg_pace": None}

    def test_heart_rate_rounds_half_up(self, tokyo_runner, pin_now):
        pin_now(utc(2026, 11, 20, 3))
        ActivityFactory(user=tokyo_runner, start_time=utc(2026, 11, 18), duration=1000, avg_heart_rate=141)
        ActivityFactory(user=tokyo_runner, start_time=utc(2026, 11, 19), duration=1000, avg_heart_rate=142)
        # (141 + 142) / 2 = 141.5 → 142.
        assert stats(bearer_client(tokyo_runner), days=7)["data"]["avg_heart_rate"] == 142


class TestValidation:
    @pytest.mark.parametrize(
        ("params", "field", "code"),
        [
            ({"days": 0}, "days", "MIN_VALUE"),
            ({"days": -3}, "days", "MIN_VALUE"),
            ({"days": 366}, "days", "MAX_VALUE"),
            ({"days": "week"}, "days", "INVALID"),
            ({"days": "7.5"}, "days", "INVALID"),
            ({"timezone": "Mars/Olympus"}, "timezone", "INVALID_TIMEZONE"),
            ({"timezone_offset_minutes": "east"}, "timezone_offset_minutes", "INVALID"),
            ({"timezone_offset_minutes": 900}, "timezone_offset_minutes", "OUT_OF_RANGE"),
        ],
    )
    def test_bad_parameter_is_400_naming_it(self, athlete_client, params, field, code):
        response = athlete_client.get(URL, params)
        assert response.status_code == 400
        assert response.json()["details"] == {"code": code, "field": field}

    @pytest.mark.parametrize("days", [1, 365])
    def test_limits_are_inclusive(self, athlete_client, days):
        assert stats(athlete_client, days=days)["meta"]["days"] == days


class TestAccess:
    @pytest.fixture
    def club(self, tokyo_runner, pin_now):
        pin_now(utc(2026, 11, 20, 3))
        ActivityFactory(user=tokyo_runner, start_time=utc(2026, 11, 19), distance=7000, duration=2100)
        return athlete_access_clients(tokyo_runner)

    @pytest.mark.parametrize(("who", "status"), ATHLETE_READ_MATRIX)
    def test_matrix(self, tokyo_runner, club, who, status):
        response = club[who].get(URL, {"user_id": tokyo_runner.public_id, "days": 7})
        assert response.status_code == status
        if status == 200:
            # The athlete's own numbers, in the athlete's zone: 7000 m / 2100 s → 5:00.
            assert response.json()["data"]["total_distance"] == 7000
            assert response.json()["meta"]["timezone"] == "Asia/Tokyo"

    def test_unknown_user_is_404(self, club):
        response = club["their coach"].get(URL, {"user_id": "usr_doesnotexist"})
        assert response.status_code == 404
        assert response.json()["details"]["field"] == "user_id"

    def test_api_key_must_name_the_athlete(self, club):
        response = club["their organization's key"].get(URL)
        assert response.status_code == 400
        assert response.json()["details"] == {"code": "REQUIRED", "field": "user_id"}

    def test_self_without_user_id(self, tokyo_runner, club):
        assert stats(bearer_client(tokyo_runner), days=7)["data"]["total_distance"] == 7000


def test_query_count_does_not_grow_with_activities(tokyo_runner, pin_now):
    pin_now(utc(2026, 11, 20, 3))
    client = bearer_client(tokyo_runner)
    client.get(URL)  # the first request of a token writes last_used_at
    ActivityFactory(user=tokyo_runner, start_time=utc(2026, 11, 19), distance=5000, duration=1500)

    def measure() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"days": 365}).status_code == 200
        return [query["sql"] for query in queries.captured_queries]

    one = measure()
    for second in range(199):  # one athlete cannot start two runs at one instant: a second apart, one day
        ActivityFactory(
            user=tokyo_runner, start_time=utc(2026, 11, 18) + timedelta(seconds=second), distance=5000, duration=1500
        )
    many = measure()
    assert len(one) == len(many)
    aggregates = [sql for sql in many if "analytics_activity" in sql]
    assert len(aggregates) == 1  # one aggregate query, whatever the number of runs
    assert "SUM(" in aggregates[0].upper()
    assert client.get(URL, {"days": 365}).json()["data"]["total_activities"] == 200
    assert Activity.objects.filter(user=tokyo_runner).count() == 200
