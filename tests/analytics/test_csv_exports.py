"""`format=csv` on GET activities, GET wellness and GET analytics/coach_athletes_metrics: the exact
text (header, quoting, the formula guard, empty cells), streaming, the query budget, the access
matrix, hostile `format` values and the roster cache never mixing CSV and JSON."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import User
from analytics.models import Activity, DailyWellness, MetricsSnapshot
from organizations.models import Membership
from organizations.services import api_key_create
from tests.access import ATHLETE_READ_MATRIX, athlete_access_clients, key_client
from tests.conftest import bearer_client
from tests.factories import (
    TWELVE_ZONES,
    ActivityFactory,
    CoachFactory,
    DailyWellnessFactory,
    GroupFactory,
    GroupMembershipFactory,
    LabelFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ACTIVITIES, WELLNESS = "/api/v1/activities", "/api/v1/wellness"
ROSTER = "/api/v1/analytics/coach_athletes_metrics"
CREATED = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

ACTIVITY_HEADER = (
    "activity_id,user_id,sport,start_time,start_time_local,local_date,timezone,distance,duration,"
    "elapsed_time,avg_heart_rate,max_heart_rate,calories,elevation_gain,training_load,pace_z1_time,"
    "pace_z2_time,pace_z3_time,pace_z4_time,pace_z5_time,source,external_id,has_samples,created_at,updated_at"
)
WELLNESS_HEADER = "date,resting_heart_rate,hrv,hrv_sdnn,vo2_max,recovery_score,sleep_hours"
ROSTER_HEADER = (
    "user_id,username,display_name,email,assigned_coach_id,groups,labels,current_plan,current_plan_week,"
    "next_race,next_race_date,last_activity_id,last_activity_start_time,last_activity_distance,"
    "last_activity_duration,weekly_distance_km,avg_pace_s_per_km,current_week_load,four_week_avg_load,"
    "ctl,atl,tsb,acwr,vo2_max,hrv_avg,recovery_score,attention_flags,last_updated"
)


def text(response) -> str:
    assert response.status_code == 200, response.content
    assert response.streaming is True
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return b"".join(response.streaming_content).decode("utf-8")


def lines(*rows: str) -> str:
    return "".join(f"{row}\r\n" for row in rows)


@pytest.fixture
def runner():
    return UserFactory(username="ana.r", display_name="Ana", timezone="Europe/Berlin")


@pytest.fixture
def runs(runner):
    """Two runs of a Berlin athlete, the second with a formula in its external id."""
    easy = ActivityFactory(
        user=runner,
        start_time=datetime(2026, 3, 1, 6, 30, tzinfo=UTC),
        distance=10000,
        duration=3000,
        elapsed_time=3100,
        avg_heart_rate=150,
        max_heart_rate=172,
        elevation_gain=45.5,
        training_load=62.5,
        pace_z2_time=3000,
        external_id="watch-1",
    )
    hostile = ActivityFactory(
        user=runner,
        sport="trail_run",
        start_time=datetime(2026, 3, 2, 23, 15, tzinfo=UTC),  # 00:15 on 3 March in Berlin
        timezone="Asia/Tokyo",
        distance=5000,
        duration=1800,
        external_id='=HYPERLINK("http://evil.test","x")',
    )
    Activity.objects.filter(user=runner).update(created_at=CREATED, updated_at=CREATED)
    return easy, hostile


class TestActivitiesCsv:
    def test_exact_text_newest_first_with_the_formula_guard(self, runner, runs):
        easy, hostile = runs
        response = bearer_client(runner).get(ACTIVITIES, {"format": "csv"})
        expected = lines(
            ACTIVITY_HEADER,
            # Tokyo is UTC+9: 23:15Z is 08:15 on 3 March there; the formula is quoted and neutralised.
            f"{hostile.public_id},{runner.public_id},trail_run,2026-03-02T23:15:00Z,2026-03-03T08:15:00+09:00,"
            "2026-03-03,Asia/Tokyo,5000.0,1800.0,,,,,,0.0,0.0,0.0,0.0,0.0,0.0,manual,"
            '"\'=HYPERLINK(""http://evil.test"",""x"")",false,2026-03-01T09:00:00+00:00,2026-03-01T09:00:00+00:00',
            # No zone of its own: the athlete's (Berlin, UTC+1 in March).
            f"{easy.public_id},{runner.public_id},run,2026-03-01T06:30:00Z,2026-03-01T07:30:00+01:00,"
            "2026-03-01,Europe/Berlin,10000.0,3000.0,3100.0,150,172,,45.5,62.5,0.0,3000.0,0.0,0.0,0.0,manual,"
            "watch-1,false,2026-03-01T09:00:00+00:00,2026-03-01T09:00:00+00:00",
        )
        assert text(response) == expected
        assert response["Content-Disposition"] == f'attachment; filename="activities-{runner.public_id}.csv"'
        assert response["Cache-Control"] == "no-store"

    def test_filters_are_the_json_filters_and_every_page_is_in(self, runner, runs):
        easy, _ = runs
        csv = text(bearer_client(runner).get(ACTIVITIES, {"format": "csv", "sport": "run", "per_page": "1"}))
        assert csv.splitlines()[1:] == [line for line in csv.splitlines()[1:] if easy.public_id in line]
        dated = text(bearer_client(runner).get(ACTIVITIES, {"format": "csv", "from": "2026-03-03", "to": "2026-03-03"}))
        assert len(dated.splitlines()) == 2  # the trail run: 3 March in the athlete's zone (Berlin)

    def test_an_athlete_with_no_activities_gets_the_header_only(self, runner):
        assert text(bearer_client(runner).get(ACTIVITIES, {"format": "csv"})) == lines(ACTIVITY_HEADER)

    @pytest.mark.parametrize("given", [{}, {"format": "json"}, {"format": ""}])
    def test_json_is_unchanged(self, runner, runs, given):
        response = bearer_client(runner).get(ACTIVITIES, given)
        assert response["Content-Type"] == "application/json"
        assert [row["external_id"] for row in response.json()["data"]] == [runs[1].external_id, "watch-1"]
        assert response.json()["meta"]["pagination"]["total"] == 2

    def test_query_count_is_the_same_for_1_and_200_activities(self, runner):
        client = bearer_client(runner)
        client.get(ACTIVITIES)  # warms the token's last_used_at

        def count():
            with CaptureQueriesContext(connection) as ctx:
                text(client.get(ACTIVITIES, {"format": "csv"}))
            return len(ctx.captured_queries)

        ActivityFactory(user=runner, start_time=datetime(2025, 1, 1, tzinfo=UTC))
        one = count()
        Activity.objects.bulk_create(
            [
                Activity(user=runner, start_time=datetime(2025, 1, 2, tzinfo=UTC) + timedelta(hours=i), duration=60)
                for i in range(199)
            ]
        )
        assert count() == one


class TestWellnessCsv:
    def test_exact_text_by_date(self, runner):
        DailyWellnessFactory(
            user=runner, date=date(2026, 3, 2), resting_heart_rate=48, hrv=71.5, vo2_max=None, recovery_score=None
        )
        DailyWellnessFactory(
            user=runner,
            date=date(2026, 3, 1),
            hrv=None,
            hrv_sdnn=40.0,
            vo2_max=52.5,
            recovery_score=80,
            sleep_hours=7.25,
        )
        response = bearer_client(runner).get(WELLNESS, {"format": "csv", "from": "2026-02-20", "to": "2026-03-05"})
        assert text(response) == lines(
            WELLNESS_HEADER,
            "2026-03-01,52,,40.0,52.5,80,7.25",
            "2026-03-02,48,71.5,,,,",
        )
        expected_name = f"wellness-{runner.public_id}-2026-02-20-2026-03-05.csv"
        assert response["Content-Disposition"] == f'attachment; filename="{expected_name}"'

    def test_no_data_is_the_header_only_and_json_unchanged(self, runner):
        assert text(bearer_client(runner).get(WELLNESS, {"format": "csv"})) == lines(WELLNESS_HEADER)
        assert bearer_client(runner).get(WELLNESS, {"format": "json"}).json() == {"status": "ok", "data": []}

    def test_range_rules_hold_and_errors_are_json(self, runner):
        response = bearer_client(runner).get(WELLNESS, {"format": "csv", "from": "2025-01-01", "to": "2026-03-01"})
        assert response.status_code == 400
        assert response.json()["details"] == {"code": "RANGE_TOO_LONG", "field": "to"}

    def test_query_count_is_the_same_for_1_and_200_days(self, runner):
        client = bearer_client(runner)
        client.get(WELLNESS)
        params = {"format": "csv", "from": "2025-06-01", "to": "2026-03-01"}

        def count():
            with CaptureQueriesContext(connection) as ctx:
                text(client.get(WELLNESS, params))
            return len(ctx.captured_queries)

        DailyWellnessFactory(user=runner, date=date(2025, 6, 1))
        one = count()
        DailyWellness.objects.bulk_create(
            [DailyWellness(user=runner, date=date(2025, 6, 2) + timedelta(days=i), hrv=60) for i in range(199)]
        )
        assert len(text(client.get(WELLNESS, params)).splitlines()) == 201
        assert count() == one


def snapshot(user, **training) -> dict:
    """A stored snapshot of today (served as is): the roster's CSV numbers come from it."""
    data = {
        "as_of": datetime.now(UTC).date().isoformat(),
        "running_analytics": {"weekly_distance_km": 0.0, "avg_pace_per_km": None},
        "fitness": {
            "current": {
                "vo2_max": None,
                "hrv_avg": None,
                "recovery_score": None,
                "vo2_max_prev": None,
                "hrv_avg_prev": None,
                "recovery_score_prev": None,
            },
            "vo2_max_history": [],
            "hrv_history": [],
            "recovery_history": [],
        },
        "training": {
            "current_week_load": 0.0,
            "four_week_avg_load": 0.0,
            "ctl": 0.0,
            "atl": 0.0,
            "tsb": 0.0,
            "acwr": None,
            "history_days": 0,
            **training,
        },
        "attention_signals": {"flags": []},
        "data_quality": {"score": 0, "components": []},
        "last_activity": None,
        "last_updated": "2026-03-01T09:00:00Z",
    }
    MetricsSnapshot.objects.update_or_create(user=user, defaults={"data": data, "data_version": user.data_version})
    return data


@pytest.fixture
def club():
    org, other_org = OrganizationFactory(name="Club"), OrganizationFactory()
    coach, other_coach = CoachFactory(username="coach.k"), CoachFactory()
    MembershipFactory(user=coach, organization=org, role="admin")
    MembershipFactory(user=other_coach, organization=other_org, role="coach")
    ana = UserFactory(username="ana.r", display_name="Zoe", email="ana@example.com", timezone="UTC")
    bo = UserFactory(username="bo.b", display_name='@Bo, the "fast" one', email="bo@example.com", timezone="UTC")
    m_ana = MembershipFactory(user=ana, organization=org, assigned_coach=coach)
    MembershipFactory(user=bo, organization=org)
    group = GroupFactory(organization=org, name="Tempo")
    GroupMembershipFactory(group=group, user=ana)
    m_ana.labels.add(LabelFactory(organization=org, name="marathon"), LabelFactory(organization=org, name="-injured"))
    data = snapshot(ana, current_week_load=120.5, four_week_avg_load=100.0, ctl=40.2, atl=45.7, tsb=-5.5, acwr=1.2)
    data["running_analytics"] = {"weekly_distance_km": 12.3, "avg_pace_per_km": "4:31"}
    data["fitness"]["current"].update(vo2_max=52.5, hrv_avg=61.2, recovery_score=80)
    flag = {"code": "LOAD_SPIKE", "severity": "warning", "metric": "acwr", "value": 1.6, "previous": None}
    data["attention_signals"] = {"flags": [{**flag, "change_pct": None, "message": "Load spike"}]}
    data["last_activity"] = {
        "activity_id": "act_0123456789abcdef",
        "start_time": "2026-03-01T06:30:00Z",
        "distance": 10000.0,
        "duration": 3000.0,
    }
    MetricsSnapshot.objects.filter(user=ana).update(data=data)
    snapshot(bo)  # an athlete with no data at all
    return {"org": org, "coach": coach, "other_coach": other_coach, "ana": ana, "bo": bo, "group": group}


class TestRosterCsv:
    def test_exact_text_every_athlete_by_name(self, club):
        ana, bo, coach = club["ana"], club["bo"], club["coach"]
        response = bearer_client(coach).get(ROSTER, {"format": "csv", "per_page": "1"})  # not one page: all
        assert text(response) == lines(
            ROSTER_HEADER,
            # "@Bo…" sorts before "Zoe" (whether a collation weighs the "@" or not); its name is quoted
            # (comma, quotes) and guarded (starts with "@").
            f'{bo.public_id},bo.b,"\'@Bo, the ""fast"" one",bo@example.com,,,,,,,,,,,,0.0,,0.0,0.0,0.0,0.0,0.0,,,,,,'
            "2026-03-01T09:00:00Z",
            # Labels by name ("-injured" first, guarded because it starts with "-"); TSB -5.5 stays a number.
            f"{ana.public_id},ana.r,Zoe,ana@example.com,{coach.public_id},Tempo,'-injured; marathon,,,,,"
            "act_0123456789abcdef,2026-03-01T06:30:00Z,10000.0,3000.0,12.3,271,120.5,100.0,40.2,45.7,-5.5,1.2,"
            "52.5,61.2,80,LOAD_SPIKE,2026-03-01T09:00:00Z",
        )
        assert response["Content-Disposition"] == f'attachment; filename="athletes-{club["org"].public_id}.csv"'

    def test_filters_apply(self, club):
        csv = text(bearer_client(club["coach"]).get(ROSTER, {"format": "csv", "group_id": club["group"].public_id}))
        assert [line.split(",")[1] for line in csv.splitlines()[1:]] == ["ana.r"]
        csv = text(bearer_client(club["coach"]).get(ROSTER, {"format": "csv", "filter_by_coach": "1"}))
        assert [line.split(",")[1] for line in csv.splitlines()[1:]] == ["ana.r"]

    def test_bad_filter_is_the_json_error(self, club):
        response = bearer_client(club["coach"]).get(
            ROSTER, {"format": "csv", "group_id": club["group"].public_id, "unassigned_only": "1"}
        )
        assert response.status_code == 400
        assert response.json()["details"] == {"code": "CONFLICT", "field": "unassigned_only"}

    def test_the_cache_never_serves_csv_for_json_or_json_for_csv(self, club):
        client = bearer_client(club["coach"])
        first = client.get(ROSTER)
        assert first["X-Cache"] == "MISS"
        csv = client.get(ROSTER, {"format": "csv"})
        assert "X-Cache" not in csv
        assert text(csv).startswith(ROSTER_HEADER)
        again = client.get(ROSTER, {"format": "json"})
        assert again["X-Cache"] == "HIT"  # `format=json` is the same answer as no format
        assert again.json() == first.json()
        assert text(client.get(ROSTER, {"format": "csv"})).startswith(ROSTER_HEADER)

    @pytest.mark.parametrize(
        ("who", "status"),
        [
            ("coach", 200),
            ("own key", 200),
            ("other_coach", 403),
            ("other key", 403),
            ("ana", 403),
            ("anonymous", 401),
        ],
    )
    def test_access(self, club, who, status):
        if who == "anonymous":
            client = APIClient()
        elif who.endswith("key"):
            organization = club["org"] if who == "own key" else OrganizationFactory()
            client = key_client(api_key_create(organization=organization, name="sync", created_by=None)[0])
        else:
            client = bearer_client(club[who])
        response = client.get(ROSTER, {"format": "csv", "org_id": club["org"].public_id})
        assert response.status_code == status
        if status != 200:
            assert response["Content-Type"] == "application/json"
            assert response.json()["details"]["code"] in {"FORBIDDEN", "NOT_AUTHENTICATED"}

    def test_query_count_is_the_same_for_1_and_200_athletes_in_12_zones(self):
        org, coach = OrganizationFactory(), CoachFactory()
        MembershipFactory(user=coach, organization=org, role="admin")
        group, label = GroupFactory(organization=org), LabelFactory(organization=org)
        client = bearer_client(coach)

        def add_athletes(n, offset):
            users = User.objects.bulk_create(
                [
                    User(username=f"bulk{offset + i}", email=f"b{offset + i}@x.test", timezone=TWELVE_ZONES[i % 12])
                    for i in range(n)
                ]
            )
            for membership in Membership.objects.bulk_create(
                [Membership(user=user, organization=org, assigned_coach=coach) for user in users]
            ):
                membership.labels.add(label)
            for user in users:
                GroupMembershipFactory(group=group, user=user)
                ActivityFactory(user=user, start_time=datetime.now(UTC) - timedelta(days=1))

        def count():
            with CaptureQueriesContext(connection) as ctx:
                body = text(client.get(ROSTER, {"format": "csv"}))
            return len(ctx.captured_queries), len(body.splitlines()) - 1

        add_athletes(1, 0)
        client.get(ROSTER)  # warms the token and builds the snapshot
        one, rows = count()
        assert rows == 1
        add_athletes(199, 1)
        client.get(ROSTER, {"no_cache": "1"})  # builds the 199 new snapshots
        assert count() == (one, 200)


class TestAccessMatrix:
    @pytest.fixture
    def clients(self, runner, runs):
        DailyWellnessFactory(user=runner, date=datetime.now(UTC).date())
        return athlete_access_clients(runner)

    @pytest.mark.parametrize("url", [ACTIVITIES, WELLNESS])
    @pytest.mark.parametrize(("who", "status"), ATHLETE_READ_MATRIX)
    def test_matrix(self, runner, clients, url, who, status):
        response = clients[who].get(url, {"format": "csv", "user_id": runner.public_id})
        assert response.status_code == status
        if status == 200:
            assert len(text(response).splitlines()) == (3 if url == ACTIVITIES else 2)
        else:
            assert response["Content-Type"] == "application/json"
            assert not getattr(response, "streaming", False)

    def test_the_athlete_themself(self, runner, clients):
        assert text(bearer_client(runner).get(WELLNESS, {"format": "csv"})).startswith(WELLNESS_HEADER)


@pytest.mark.parametrize("url", [ACTIVITIES, WELLNESS, ROSTER])
class TestHostileFormat:
    @pytest.fixture
    def coach_client(self, club):
        return bearer_client(club["coach"])

    @pytest.mark.parametrize("value", ["xml", "CSV", "csv ", "api", "json;csv", "x" * 5000])
    def test_unknown_format_is_400_naming_it(self, club, coach_client, url, value):
        params = {"format": value} if url == ROSTER else {"format": value, "user_id": club["ana"].public_id}
        response = coach_client.get(url, params)
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        assert response.json()["details"] == {"code": "INVALID_CHOICE", "field": "format"}
        assert response.json()["error"] == "format must be one of json, csv."

    def test_a_nul_byte_is_refused_before_anything(self, coach_client, url):
        response = coach_client.get(f"{url}?format=csv%00")
        assert response.status_code == 400
        assert response.json()["details"] == {"code": "INVALID_CHARACTERS", "field": "format"}

    def test_accept_text_csv_still_gets_json_errors(self, club, coach_client, url):
        response = coach_client.get(url, {"format": "bogus"}, HTTP_ACCEPT="text/csv")
        assert response.status_code == 400
        assert response.json()["details"]["field"] == "format"


@pytest.mark.parametrize(
    ("path", "operation"),
    [
        (ACTIVITIES, "activities_list"),
        (WELLNESS, "wellness_retrieve"),
        (ROSTER, "analytics_coach_athletes_metrics_retrieve"),
    ],
)
def test_the_schema_states_format_and_the_csv_answer(client, path, operation):
    schema = client.get("/api/schema/?format=json").json()
    get = schema["paths"][path]["get"]
    assert get["operationId"] == operation
    formats = [p for p in get["parameters"] if p["name"] == "format"]
    assert [sorted(p["schema"]["enum"]) for p in formats] == [["csv", "json"]]
    assert set(get["responses"]["200"]["content"]) == {"application/json", "text/csv"}
    assert get["responses"]["200"]["content"]["text/csv"]["schema"] == {"type": "string"}
    assert set(get["responses"]) >= {"400", "401", "403"}
