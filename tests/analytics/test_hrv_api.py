"""The `hrv` series of GET analytics/user_metrics_charts and the HRV_BELOW_BASELINE flag over the
API: shape and hand-computed values, access, and constant query counts (the charts for 1 or many
wellness rows; the roster for 1 or many athletes with HRV).

The endpoints use the real clock: wellness is placed relative to today (UTC, the zone of an
athlete without one)."""

import math
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from analytics.models import DailyWellness
from organizations.models import Membership
from tests.access import ATHLETE_READ_MATRIX, athlete_access_clients
from tests.conftest import bearer_client
from tests.factories import CoachFactory, DailyWellnessFactory, MembershipFactory, OrganizationFactory, UserFactory

URL = "/api/v1/analytics/user_metrics_charts"
PROFILE_URL = "/api/v1/analytics/athlete_profile"
ROSTER_URL = "/api/v1/analytics/coach_athletes_metrics"

pytestmark = pytest.mark.django_db

NO_BAND = {"baseline_low": None, "baseline_high": None}


def today() -> date:
    return datetime.now(UTC).date()


def point(series: list[dict], day: date) -> dict:
    return next(p for p in series if p["date"] == day.isoformat())


def three_weeks(user, t: date, last_week: float = 35.0):
    """7 mornings each at 50, 80 and then `last_week` ms: today−20 … today."""
    for n in range(21):
        DailyWellnessFactory(user=user, date=t - timedelta(days=n), hrv=(50.0, 80.0, last_week)[2 - n // 7])


@pytest.fixture
def athlete():
    return UserFactory(timezone="")


def test_series_shape_and_values(athlete):
    t = today()
    d = lambda n: t - timedelta(days=n)  # noqa: E731
    three_weeks(athlete, t)
    DailyWellnessFactory(user=athlete, date=d(30), hrv=None, resting_heart_rate=48)  # no HRV that day
    DailyWellnessFactory(user=athlete, date=t + timedelta(days=1), hrv=10.0)  # tomorrow: never counted
    DailyWellnessFactory(user=UserFactory(), date=d(2), hrv=5.0)  # someone else

    data = bearer_client(athlete).get(URL).json()["data"]
    series = data["hrv"]
    assert [p["date"] for p in series] == [d(n).isoformat() for n in range(89, -1, -1)]
    assert all(set(p) == {"date", "value", "rolling_7d", "baseline_low", "baseline_high"} for p in series)
    empty = {"value": None, "rolling_7d": None, "baseline_low": None, "baseline_high": None}
    assert all({k: v for k, v in p.items() if k != "date"} == empty for p in series[:69])  # t−89 … t−21
    assert point(data["resting_heart_rate"], d(30))["value"] == 48  # the same wellness query

    # t−20: the first 50 ms; the band needs 14 days.
    assert point(series, d(20)) == {"date": d(20).isoformat(), "value": 50.0, "rolling_7d": 50.0, **NO_BAND}
    assert point(series, d(8))["baseline_low"] is None  # 13 days of data
    # t−7: 7 × 50 and 7 × 80. ln 50 = 3.912023, ln 80 = 4.382027, mean 4.147025; deviations ±0.235002,
    # sample SD √(14 · 0.055226 / 13) = 0.243873 → exp(3.903152) = 49.6, exp(4.390898) = 80.7.
    assert point(series, d(7)) == {
        "date": d(7).isoformat(),
        "value": 80.0,
        "rolling_7d": 80.0,  # t−13 … t−7
        "baseline_low": 49.6,
        "baseline_high": 80.7,
    }
    # t−3: the 7 days t−9 … t−3 are 80, 80, 80, 35, 35, 35, 35 → 380 / 7 = 54.29.
    assert point(series, d(3))["rolling_7d"] == 54.3
    # Today: 21 days, ln mean and sample SD written out.
    logs = [math.log(v) for v in [50.0] * 7 + [80.0] * 7 + [35.0] * 7]
    mean = sum(logs) / 21
    sd = math.sqrt(sum((x - mean) ** 2 for x in logs) / 20)  # 0.346906
    assert (round(math.exp(mean - sd), 1), round(math.exp(mean + sd), 1)) == (36.7, 73.5)
    assert point(series, t) == {
        "date": t.isoformat(),
        "value": 35.0,
        "rolling_7d": 35.0,
        "baseline_low": 36.7,
        "baseline_high": 73.5,
    }


def test_the_first_point_sees_the_sixty_days_before_it(athlete):
    t = today()
    first = t - timedelta(days=89)
    for n in range(14):  # first−59 … first−46, all before the 90 days shown
        DailyWellnessFactory(user=athlete, date=first - timedelta(days=59 - n), hrv=50.0 if n % 2 else 80.0)
    series = bearer_client(athlete).get(URL).json()["data"]["hrv"]
    assert (series[0]["value"], series[0]["rolling_7d"]) == (None, None)
    assert (series[0]["baseline_low"], series[0]["baseline_high"]) == (49.6, 80.7)  # as above
    assert series[1]["baseline_low"] is None  # first−59 has left the window: 13 days


def test_a_new_athlete_gets_ninety_empty_points(athlete):
    series = bearer_client(athlete).get(URL).json()["data"]["hrv"]
    assert len(series) == 90
    assert {(p["value"], p["rolling_7d"], p["baseline_low"], p["baseline_high"]) for p in series} == {
        (None, None, None, None)
    }


# --- the flag -------------------------------------------------------------------------------


def flags_of(client, athlete) -> dict[str, dict]:
    profile = client.get(PROFILE_URL, {"user_id": athlete.public_id, "refresh": "true"}).json()["data"]
    return {flag["code"]: flag for flag in profile["attention_signals"]["flags"]}


def test_flag_raised_when_the_week_is_below_the_band(athlete):
    three_weeks(athlete, today())
    flags = flags_of(bearer_client(athlete), athlete)
    assert flags["HRV_BELOW_BASELINE"] == {
        "code": "HRV_BELOW_BASELINE",
        "severity": "warning",
        "metric": "hrv_avg",
        "value": 35.0,  # the chart's last rolling_7d
        "previous": 36.7,  # … and its baseline_low
        "change_pct": -4.6,  # (35 − 36.7) / 36.7
        "message": "HRV 7-day average 35 ms, below the normal range 36.7–73.5 ms",
    }


@pytest.mark.parametrize(
    ("last_week", "days"),
    [
        (60.0, 21),  # 7-day mean 60 inside the band 51.0–75.8 (7 × 50, 80, 60)
        (35.0, 13),  # as low as the flagged case, but 13 days: no band yet
    ],
)
def test_flag_not_raised(athlete, last_week, days):
    three_weeks(athlete, today(), last_week=last_week)
    DailyWellness.objects.filter(user=athlete, date__lt=today() - timedelta(days=days - 1)).delete()
    flags = flags_of(bearer_client(athlete), athlete)
    assert "HRV_BELOW_BASELINE" not in flags


# --- access ---------------------------------------------------------------------------------


class TestAccess:
    @pytest.fixture
    def clients(self, athlete):
        DailyWellnessFactory(user=athlete, date=today(), hrv=61.0)
        return athlete_access_clients(athlete)

    @pytest.mark.parametrize(("who", "status"), ATHLETE_READ_MATRIX)
    def test_matrix(self, athlete, clients, who, status):
        response = clients[who].get(URL, {"user_id": athlete.public_id})
        assert response.status_code == status
        if status == 200:
            assert response.json()["data"]["hrv"][-1]["value"] == 61.0
        elif status == 403:
            assert response.json()["details"]["code"] == "FORBIDDEN"


# --- queries --------------------------------------------------------------------------------


def chart_queries(client, athlete) -> int:
    client.get(URL, {"user_id": athlete.public_id})  # writes the token's last_used_at
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"user_id": athlete.public_id, "refresh": "true"})
    assert response.status_code == 200
    return len(queries)


def test_chart_queries_do_not_grow_with_wellness_rows():
    org, coach = OrganizationFactory(), CoachFactory()
    MembershipFactory(user=coach, organization=org, role="coach")
    one, many = UserFactory(), UserFactory()
    for athlete in (one, many):
        MembershipFactory(user=athlete, organization=org)
    DailyWellnessFactory(user=one, date=today())
    DailyWellness.objects.bulk_create(
        DailyWellness(user=many, date=today() - timedelta(days=n), hrv=50.0 + n % 9) for n in range(160)
    )
    client = bearer_client(coach)
    assert chart_queries(client, one) == chart_queries(client, many) == 5  # one wellness query for RHR and HRV


def test_roster_flags_without_a_query_per_athlete():
    org, coach = OrganizationFactory(), CoachFactory()
    MembershipFactory(user=coach, organization=org, role="admin")
    client = bearer_client(coach)

    def add_athletes(n: int, offset: int):
        users = User.objects.bulk_create(
            [User(username=f"hrv{offset + i}", email=f"h{offset + i}@x.test") for i in range(n)]
        )
        Membership.objects.bulk_create([Membership(user=user, organization=org) for user in users])
        t = today()
        DailyWellness.objects.bulk_create(
            DailyWellness(user=user, date=t - timedelta(days=k), hrv=(50.0, 80.0, 35.0)[2 - k // 7])
            for user in users
            for k in range(21)
        )

    def stale_roster() -> tuple[int, list]:
        User.objects.update(data_version=F("data_version") + 1)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(ROSTER_URL, {"no_cache": "1"})
        assert response.status_code == 200
        athletes = response.json()["data"]["athletes"]
        codes = [{f["code"] for f in a["metrics"]["attention_signals"]["flags"]} for a in athletes]
        return len(queries), codes

    client.get(ROSTER_URL)  # warms the token's last_used_at
    # Each measured read meets athletes whose flags are new (one INSERT into the triage queue's
    # memory, whatever their number), as the other's does.
    add_athletes(1, 0)
    one, codes = stale_roster()
    assert all("HRV_BELOW_BASELINE" in c for c in codes) and len(codes) == 1
    add_athletes(29, 1)
    many, codes = stale_roster()
    assert all("HRV_BELOW_BASELINE" in c for c in codes) and len(codes) == 30
    assert many == one, (one, many)
