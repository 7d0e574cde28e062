"""Coaching by consent (issue 9), for every athlete-data endpoint and coach page.

A coach whose organization the athlete has not joined — invited and not answered, declined,
expired, revoked, or left — and a coach who has not joined the athlete's organization (in the same
five states) get exactly what a coach of an unrelated organization gets for the same request: the
same status and error code, a 403 or 404, and nothing written. The accepted coach reads it all.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from analytics.models import Activity, Comment, DailyWellness, MetricsSnapshot, Notification
from organizations.models import Invitation
from plans.models import PlanInstance, RaceGoal
from tests.access import INVITATION_STATES, invited_coach, invited_person
from tests.conftest import bearer_client
from tests.factories import (
    ActivityFactory,
    CoachFactory,
    DailyWellnessFactory,
    GroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    OrganizationFactory,
    RaceGoalFactory,
    TrainingPlanFactory,
    UserFactory,
)
from tests.organizations.checks import data_state

pytestmark = pytest.mark.django_db

API = "/api/v1"
RUN_M = 12345.0  # the athlete's one run: what every baseline read must find
RHR = 48  # the athlete's resting HR of yesterday
ATHLETE_NAME = "Quinn Athlete-Consent"
THREAD_TEXT = "How did the tempo feel?"  # the one comment on the athlete's run
# Subjects: the athlete's answer to the inviting organization, or the coach's to the athlete's.
SUBJECTS = [f"athlete {state}" for state in INVITATION_STATES] + [f"coach {state}" for state in INVITATION_STATES]


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str  # placeholders: {athlete} {activity} {goal} {plan} (the caller's organization's plan)
    params: dict = field(default_factory=dict)  # query for GET/DELETE, JSON body otherwise
    success: int = 200
    cached: bool = False
    consumes: bool = False  # the call removes its target: a repeat needs a fresh one

    def call(self, client, ids: dict):
        path = f"{API}/{self.path.format(**ids)}"
        params = {key: value.format(**ids) if isinstance(value, str) else value for key, value in self.params.items()}
        if self.method in ("get", "delete"):
            return getattr(client, self.method)(path, params)
        return getattr(client, self.method)(path, params, format="json")


def _sum(rows, key="distance"):
    return round(sum(row[key] or 0 for row in rows), 1)


TODAY = datetime.now(UTC).date()
FROM, TO = str(TODAY - timedelta(days=3)), str(TODAY)
NOW = int(datetime.now(UTC).timestamp())
ENDPOINTS = [
    Endpoint("activities", "get", "activities", {"user_id": "{athlete}"}),
    Endpoint("activity", "get", "activities/{activity}"),
    Endpoint("wellness", "get", "wellness", {"user_id": "{athlete}"}),
    Endpoint("race goals", "get", "goals/races", {"user_id": "{athlete}"}),
    Endpoint("athlete_profile", "get", "analytics/athlete_profile", {"user_id": "{athlete}"}, cached=True),
    Endpoint("fitness_stats", "get", "analytics/fitness_stats", {"user_id": "{athlete}", "days": 7}),
    Endpoint(
        "running_stats",
        "get",
        "analytics/running_stats",
        {"user_id": "{athlete}", "range_type": "daily", "from_timestamp": NOW - 3 * 86400, "to_timestamp": NOW},
    ),
    Endpoint(
        "activity_stats",
        "get",
        "analytics/activity_stats",
        {"user_id": "{athlete}", "from": FROM, "to": TO},
        cached=True,
    ),
    Endpoint(
        "health_metrics",
        "get",
        "analytics/health_metrics",
        {"user_id": "{athlete}", "from": FROM, "to": TO},
        cached=True,
    ),
    Endpoint("user_metrics_charts", "get", "analytics/user_metrics_charts", {"user_id": "{athlete}"}, cached=True),
    Endpoint("user_metrics_summary", "get", "analytics/user_metrics_summary", {"user_id": "{athlete}"}, cached=True),
    Endpoint("running_streaks", "post", "analytics/running_streaks", {"user_id": "{athlete}", "days": 7}, cached=True),
    Endpoint("calendar", "get", "analytics/calendar", {"user_id": "{athlete}", "from": FROM, "to": TO}),
    Endpoint("comments", "get", "activities/{activity}/comments"),
    # Writes a coach may make about their athlete.
    Endpoint(
        "create race goal",
        "post",
        "goals/races",
        {
            "user_id": "{athlete}",
            "race_name": "Harbour 10K",
            "race_date": str(TODAY + timedelta(days=30)),
            "distance": 10000,
        },
        success=201,
    ),
    Endpoint("edit race goal", "patch", "goals/races/{goal}", {"race_name": "Renamed Marathon"}),
    Endpoint("delete race goal", "delete", "goals/races/{goal}", consumes=True),
    Endpoint(
        "assign plan", "post", "plans/{plan}/assign", {"user_id": "{athlete}", "start_date": str(TODAY)}, success=201
    ),
    Endpoint("post comment", "post", "activities/{activity}/comments", {"text": "Keep it up"}, success=201),
]

# A real value per endpoint, so that a 200 cannot pass by accident.
VALUE_CHECKS = {
    "activities": lambda data, ids: [row["distance"] for row in data] == [RUN_M],
    "activity": lambda data, ids: data["activity_id"] == ids["activity"] and data["distance"] == RUN_M,
    "wellness": lambda data, ids: [row["resting_heart_rate"] for row in data] == [RHR],
    "race goals": lambda data, ids: sorted(row["race_name"] for row in data) == ["City Marathon", "Spare Half"],
    "athlete_profile": lambda data, ids: (
        data["display_name"] == ATHLETE_NAME and data["last_activity"]["distance"] == RUN_M
    ),
    "fitness_stats": lambda data, ids: data["total_distance"] == RUN_M and data["total_activities"] == 1,
    "running_stats": lambda data, ids: _sum(data) == RUN_M,
    "activity_stats": lambda data, ids: _sum(data) == RUN_M,
    "health_metrics": lambda data, ids: (
        [row["resting_heart_rate"] for row in data if row["resting_heart_rate"]] == [RHR]
    ),
    "user_metrics_charts": lambda data, ids: _sum(data["daily_distance"], "value") == RUN_M,
    "user_metrics_summary": lambda data, ids: data["resting_heart_rate"] == RHR,
    "running_streaks": lambda data, ids: _sum(data["calendar"]) == RUN_M and data["longest_streak"]["length"] == 1,
    "calendar": lambda data, ids: _sum([a for day in data["days"] for a in day["activities"]]) == RUN_M,
    "comments": lambda data, ids: [comment["text"] for comment in data] == [THREAD_TEXT],
    "create race goal": lambda data, ids: data["race_name"] == "Harbour 10K" and data["user_id"] == ids["athlete"],
    "edit race goal": lambda data, ids: data["race_name"] == "Renamed Marathon" and data["id"] == ids["goal"],
    "delete race goal": lambda data, ids: data == {"id": ids["goal"], "deleted": True},
    "assign plan": lambda data, ids: data["user_id"] == ids["athlete"] and data["current_week"] == 1,
    "post comment": lambda data, ids: data["text"] == "Keep it up" and data["author_id"] != ids["athlete"],
}
by_endpoint = pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
by_subject = pytest.mark.parametrize("subject", SUBJECTS)


@dataclass
class World:
    athlete: object
    ids: dict  # the athlete's public ids, shared by every caller
    coach: object  # the athlete's accepted coach
    outsider: object  # a coach of an unrelated organization
    subject: object  # the coach of the row under test
    subject_org: object  # the organization the subject coaches (or hopes to)
    teammate: object  # an accepted athlete of subject_org, so its roster is never empty by accident
    plans: dict  # caller → the public id of a plan of the caller's organization
    invitation_id: str | None = None  # "athlete left": the invitation the athlete accepts, then leaves


def build_world(subject: str = "athlete pending") -> World:
    """The athlete (a run, a wellness day, two race goals) in their organization with an accepted
    coach; an unrelated organization's coach; and the subject: for "athlete <state>" the admin of
    an organization that invited the athlete, for "coach <state>" a coach invited to the athlete's."""
    side, state = subject.split()
    athlete = UserFactory(display_name=ATHLETE_NAME, timezone="UTC")
    home, other = OrganizationFactory(), OrganizationFactory()
    coach, admin, outsider = CoachFactory(), CoachFactory(), CoachFactory()
    MembershipFactory(user=athlete, organization=home)
    MembershipFactory(user=coach, organization=home, role="coach")
    MembershipFactory(user=admin, organization=home, role="admin")
    MembershipFactory(user=outsider, organization=other, role="admin")
    home_teammate = UserFactory(display_name="Rory Home-Teammate")
    MembershipFactory(user=home_teammate, organization=home)
    activity = ActivityFactory(
        user=athlete, distance=RUN_M, duration=3600, start_time=datetime.now(UTC) - timedelta(hours=2)
    )
    DailyWellnessFactory(user=athlete, date=TODAY - timedelta(days=1), resting_heart_rate=RHR)
    Comment.objects.create(activity=activity, author=athlete, text=THREAD_TEXT)
    goal = RaceGoalFactory(athlete=athlete, race_name="City Marathon")
    spare = RaceGoalFactory(athlete=athlete, race_name="Spare Half")
    plans = {"coach": TrainingPlanFactory(organization=home), "outsider": TrainingPlanFactory(organization=other)}
    invitation_id = None
    if side == "athlete":
        subject_org, subject_coach = OrganizationFactory(), CoachFactory()
        MembershipFactory(user=subject_coach, organization=subject_org, role="admin")
        teammate = UserFactory(display_name="Sam Inviting-Teammate")
        MembershipFactory(user=teammate, organization=subject_org)
        # "left" is reached through the API by the test itself, so it can read first.
        invited_person(subject_org, subject_coach, athlete, "pending" if state == "left" else state)
        invitation_id = Invitation.objects.get(organization=subject_org, invitee=athlete).public_id
        plans["subject"] = TrainingPlanFactory(organization=subject_org)
    else:
        subject_org, teammate = home, home_teammate
        subject_coach = invited_coach(home, admin, state)
        plans["subject"] = plans["coach"]
    return World(
        athlete=athlete,
        ids={
            "athlete": athlete.public_id,
            "activity": activity.public_id,
            "goal": goal.public_id,
            "spare": spare.public_id,
        },
        coach=coach,
        outsider=outsider,
        subject=subject_coach,
        subject_org=subject_org,
        teammate=teammate,
        plans={who: plan.public_id for who, plan in plans.items()},
        invitation_id=invitation_id,
    )


def athlete_data_state(athlete) -> dict:
    """Everything a request about the athlete could write, as comparable values (a roster read may
    rebuild its own members' snapshots, never the athlete's)."""
    return {
        **data_state(),
        "activities": sorted(Activity.objects.values_list("public_id", "distance", "duration", "training_load")),
        "wellness": sorted(DailyWellness.objects.values_list("user_id", "date", "resting_heart_rate")),
        "goals": sorted(RaceGoal.objects.values_list("public_id", "race_name", "race_date", "distance")),
        "plan_instances": sorted(PlanInstance.objects.values_list("public_id", "athlete_id", "plan_id")),
        "comments": sorted(Comment.objects.values_list("public_id", "author_id", "text")),
        "notifications": sorted(Notification.objects.values_list("public_id", "recipient_id", "read_at")),
        "snapshots": sorted(MetricsSnapshot.objects.filter(user=athlete).values_list("data_version", "data")),
    }


def ids_for(world: World, caller: str, *, spare: bool = False) -> dict:
    ids = {**world.ids, "plan": world.plans[caller]}
    if spare:
        ids["goal"] = ids["spare"]
    return ids


def error_code(response):
    return response.json().get("details", {}).get("code")


def athlete_leaves_subject_org_after_reading(world: World, endpoint: Endpoint, client) -> None:
    """Accept the invitation through the API, show the subject reading (a cache HIT too, for the
    cached endpoints), then leave through the API."""
    athlete = bearer_client(world.athlete)
    accepted = athlete.post(f"{API}/invitations/{world.invitation_id}/accept", {}, format="json")
    assert accepted.status_code == 200, accepted.content
    ids = ids_for(world, "subject", spare=endpoint.consumes)
    first = endpoint.call(client, ids)
    assert first.status_code == endpoint.success, first.content
    assert VALUE_CHECKS[endpoint.name](first.json()["data"], ids), first.json()
    if endpoint.cached:
        second = endpoint.call(client, ids)
        assert second.status_code == 200 and second["X-Cache"] == "HIT", second.content
    left = athlete.post(f"{API}/organizations/{world.subject_org.public_id}/leave", {}, format="json")
    assert left.status_code == 200, left.content


@by_endpoint
def test_the_accepted_coach_reads_the_athletes_data(endpoint):
    world = build_world()

    ids = ids_for(world, "coach")

    response = endpoint.call(bearer_client(world.coach), ids)

    assert response.status_code == endpoint.success, response.content
    assert VALUE_CHECKS[endpoint.name](response.json()["data"], ids), response.json()


@by_endpoint
@by_subject
def test_a_coach_without_consent_gets_what_another_organizations_coach_gets(endpoint, subject):
    world = build_world(subject)
    client = bearer_client(world.subject)
    if subject == "athlete left":
        athlete_leaves_subject_org_after_reading(world, endpoint, client)

    before = athlete_data_state(world.athlete)
    outsider = endpoint.call(bearer_client(world.outsider), ids_for(world, "outsider"))
    refused = endpoint.call(client, ids_for(world, "subject"))

    assert athlete_data_state(world.athlete) == before
    assert outsider.status_code in (403, 404), outsider.content
    assert (refused.status_code, error_code(refused)) == (outsider.status_code, error_code(outsider)), refused.content
    assert "data" not in refused.json()


# --- the roster: an athlete without consent is not in it ------------------------------------------


def roster_ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["user_id"] for row in response.json()["data"]["athletes"]]


def test_the_accepted_coach_sees_the_athlete_in_the_roster(client):
    world = build_world()
    response = bearer_client(world.coach).get(f"{API}/analytics/coach_athletes_metrics")
    assert world.ids["athlete"] in roster_ids(response)

    client.force_login(world.coach)
    page = client.get("/athletes/")
    assert page.status_code == 200
    assert world.athlete.display_name in page.content.decode()


@by_subject
def test_an_athlete_without_consent_is_not_in_the_roster(subject):
    world = build_world(subject)
    client, url = bearer_client(world.subject), f"{API}/analytics/coach_athletes_metrics"
    query = {"org_id": world.subject_org.public_id}
    if subject == "athlete left":
        accepted = bearer_client(world.athlete).post(f"{API}/invitations/{world.invitation_id}/accept")
        assert accepted.status_code == 200, accepted.content
        assert world.ids["athlete"] in roster_ids(client.get(url, query))
        assert client.get(url, query)["X-Cache"] == "HIT"
        left = bearer_client(world.athlete).post(f"{API}/organizations/{world.subject_org.public_id}/leave")
        assert left.status_code == 200, left.content

    before = athlete_data_state(world.athlete)
    response = client.get(url, query)
    assert athlete_data_state(world.athlete) == before
    if subject.startswith("athlete"):  # their own organization's roster, without the athlete
        assert roster_ids(response) == [world.teammate.public_id]
    else:  # not staff of the athlete's organization: an outsider's answer
        outsider = bearer_client(world.outsider).get(url, query)
        assert outsider.status_code == 403
        assert (response.status_code, error_code(response)) == (403, error_code(outsider))


# --- the coach pages ---------------------------------------------------------------------------------


def test_the_accepted_coach_opens_the_athlete_page(client):
    world = build_world()
    client.force_login(world.coach)
    page = client.get(f"/athletes/{world.ids['athlete']}/")
    assert page.status_code == 200
    assert world.athlete.display_name in page.content.decode()


@by_subject
def test_a_coach_without_consent_gets_the_refusal_page(client, subject):
    world = build_world(subject)
    profile = f"/athletes/{world.ids['athlete']}/"
    roster = f"/athletes/?org_id={world.subject_org.public_id}"
    client.force_login(world.outsider)
    outsider_profile, outsider_roster = client.get(profile).status_code, client.get(roster).status_code
    client.force_login(world.subject)
    if subject == "athlete left":
        bearer_client(world.athlete).post(f"{API}/invitations/{world.invitation_id}/accept")
        assert client.get(profile).status_code == 200
        assert world.athlete.display_name in client.get(roster).content.decode()
        left = bearer_client(world.athlete).post(f"{API}/organizations/{world.subject_org.public_id}/leave")
        assert left.status_code == 200, left.content

    page = client.get(profile)
    assert page.status_code == outsider_profile
    assert page.status_code in (403, 404)
    assert world.athlete.display_name not in page.content.decode()
    roster_page = client.get(roster)
    if subject.startswith("athlete"):
        assert roster_page.status_code == 200
        # The roster (before the "Invited" list, where a pending invitee is named without metrics).
        html = roster_page.content.decode().split('id="invited-title"')[0]
        assert world.teammate.display_name in html
        assert world.athlete.display_name not in html
    else:
        assert roster_page.status_code == outsider_roster == 403


# --- groups: leaving drops the athlete from the group dashboard of the organization at once -------


def test_an_athlete_who_left_is_gone_from_the_group_drill_down():
    world = build_world("athlete left")
    group = GroupFactory(organization=world.subject_org, name="Harbour Milers")
    GroupMembershipFactory(group=group, user=world.teammate)
    athlete = bearer_client(world.athlete)
    assert athlete.post(f"{API}/invitations/{world.invitation_id}/accept").status_code == 200
    GroupMembershipFactory(group=group, user=world.athlete)
    client, url = bearer_client(world.subject), f"{API}/analytics/group_dashboard/groups/{group.public_id}"
    query = {"org_id": world.subject_org.public_id}

    def members():
        response = client.get(url, query)
        assert response.status_code == 200, response.content
        return {row["user_id"]: row["distance"] for row in response.json()["data"]["members"]}

    assert members() == {world.ids["athlete"]: RUN_M, world.teammate.public_id: 0}
    assert athlete.post(f"{API}/organizations/{world.subject_org.public_id}/leave").status_code == 200
    assert members() == {world.teammate.public_id: 0}
