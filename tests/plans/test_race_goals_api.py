"""GET/POST goals/races, PATCH/DELETE goals/races/{id}."""

from datetime import UTC, datetime, timedelta

import pytest

from plans.models import RaceGoal
from tests.conftest import bearer_client
from tests.factories import CoachFactory, MembershipFactory, OrganizationFactory, RaceGoalFactory, UserFactory

URL = "/api/v1/goals/races"

pytestmark = pytest.mark.django_db


def in_days(days: int) -> str:
    return (datetime.now(UTC).date() + timedelta(days=days)).isoformat()


def test_athlete_creates_and_lists_their_goal(athlete, athlete_client):
    response = athlete_client.post(
        URL,
        {"race_name": "Boston Marathon", "race_date": in_days(40), "distance": 42195, "goal_time": "3:05:00"},
        format="json",
    )

    assert response.status_code == 201
    data = response.json()["data"]
    goal = RaceGoal.objects.get()
    assert goal.goal_time == 3 * 3600 + 5 * 60
    assert data == {
        "id": goal.public_id,
        "user_id": athlete.public_id,
        "race_name": "Boston Marathon",
        "race_date": in_days(40),
        "distance": 42195.0,
        "goal_time": "3:05:00",
        "days_until": 40,
    }
    assert athlete_client.get(URL).json()["data"] == [data]


def test_goals_are_ordered_by_date(athlete, athlete_client):
    later = RaceGoalFactory(athlete=athlete, race_date=datetime.now(UTC).date() + timedelta(days=90))
    sooner = RaceGoalFactory(athlete=athlete, race_date=datetime.now(UTC).date() + timedelta(days=9))
    assert [row["id"] for row in athlete_client.get(URL).json()["data"]] == [sooner.public_id, later.public_id]


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"goal_time": "3:65:00"}, "goal_time", "INVALID"),
        ({"goal_time": "fast"}, "goal_time", "INVALID"),
        ({"goal_time": "0:00:00"}, "goal_time", "INVALID"),
        ({"goal_time": 11100}, "goal_time", "INVALID"),
        ({"distance": 50}, "distance", "MIN_VALUE"),
        ({"race_date": "2026-02-30"}, "race_date", "INVALID"),
        ({"race_name": ""}, "race_name", "BLANK"),
    ],
)
def test_validation(athlete_client, change, field, code):
    body = {"race_name": "10K", "race_date": in_days(10), "distance": 10000, "goal_time": "0:42:00", **change}
    response = athlete_client.post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["details"] == {"code": code, "field": field}
    assert not RaceGoal.objects.exists()


@pytest.fixture
def club(athlete):
    org = OrganizationFactory()
    coach, other_coach = CoachFactory(), CoachFactory()
    MembershipFactory(user=athlete, organization=org)
    MembershipFactory(user=coach, organization=org, role="coach")
    MembershipFactory(user=other_coach, organization=OrganizationFactory(), role="coach")
    return {"coach": coach, "other_coach": other_coach}


def test_coach_manages_their_athletes_goals(athlete, club):
    coach = bearer_client(club["coach"])
    created = coach.post(
        URL,
        {"user_id": athlete.public_id, "race_name": "Half", "race_date": in_days(30), "distance": 21097.5},
        format="json",
    ).json()["data"]
    assert created["user_id"] == athlete.public_id
    assert created["goal_time"] is None

    patched = coach.patch(f"{URL}/{created['id']}", {"goal_time": "1:29:59"}, format="json").json()["data"]
    assert patched["goal_time"] == "1:29:59"
    assert RaceGoal.objects.get().goal_time == 5399

    assert coach.get(URL, {"user_id": athlete.public_id}).json()["data"][0]["goal_time"] == "1:29:59"
    assert coach.delete(f"{URL}/{created['id']}").json()["data"] == {"id": created["id"], "deleted": True}
    assert not RaceGoal.objects.exists()


def test_outsiders_are_refused(athlete, club):
    goal = RaceGoalFactory(athlete=athlete)
    for outsider in (club["other_coach"], UserFactory()):
        client = bearer_client(outsider)
        assert client.get(URL, {"user_id": athlete.public_id}).status_code == 403
        assert (
            client.post(
                URL,
                {"user_id": athlete.public_id, "race_name": "x", "race_date": in_days(3), "distance": 5000},
                format="json",
            ).status_code
            == 403
        )
        assert client.patch(f"{URL}/{goal.public_id}", {"race_name": "hacked"}, format="json").status_code == 403
        assert client.delete(f"{URL}/{goal.public_id}").status_code == 403
    goal.refresh_from_db()
    assert goal.race_name == "City Marathon"
    assert RaceGoal.objects.count() == 1


def test_unknown_goal_and_anonymous(athlete_client, api):
    assert athlete_client.patch(f"{URL}/race_missing", {"race_name": "x"}, format="json").status_code == 404
    assert api.get(URL).status_code == 401
