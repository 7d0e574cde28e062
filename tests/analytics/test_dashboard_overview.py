"""GET analytics/group_dashboard/overview — one ISO week of a group, by hand — plus what every
Group Dashboard endpoint shares: the access matrix and the cache (MISS → HIT → a write → MISS).

The helpers at the top are imported by the groups and plans tests too.
"""

import zoneinfo
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import User
from analytics.metrics.insight_texts import group_text
from analytics.models import Activity, Insight
from analytics.selectors.dashboard import organization_group_rows
from analytics.selectors.dashboard_overview import group_dashboard_overview
from organizations import services as org_services
from organizations.models import GroupMembership, MemberRole, Membership
from tests.conftest import bearer_client
from tests.factories import (
    TWELVE_ZONES,
    ActivityFactory,
    CoachFactory,
    GroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    OrganizationFactory,
    PlanInstanceFactory,
    PlannedWorkoutFactory,
    TrainingPlanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1/analytics/group_dashboard"


# --- shared helpers -------------------------------------------------------------------------------


def staff(org, role=MemberRole.COACH, **user):
    coach = CoachFactory(**user)
    MembershipFactory(user=coach, organization=org, role=role)
    return coach


def athlete_in(org, name, *groups, active=True, **user):
    person = UserFactory(display_name=name, **user)
    MembershipFactory(user=person, organization=org, active=active)
    for group in groups:
        GroupMembershipFactory(group=group, user=person)
    return person


def activity(user, start, distance, sport="run", **fields):
    return ActivityFactory(user=user, start_time=start, distance=distance, sport=sport, **fields)


def get(client, path, **params):
    return client.get(f"{BASE}/{path}", params)


def data_of(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()["data"]


def error_of(response, status: int, code: str, field: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["details"]["code"] == code
    assert body["details"].get("field") == field
    assert body["error"]
    return body


def bulk_athletes(org, group, count: int, prefix: str, zones: tuple[str, ...] = ("",)) -> list:
    """`count` athletes in `org` and `group`, created in three bulk inserts (fast for 200), their
    profile time zones dealt out from `zones` (default: none, i.e. UTC)."""
    users = User.objects.bulk_create(
        [
            User(
                username=f"{prefix}{i}", display_name=f"{prefix} {i:03d}", password="!", timezone=zones[i % len(zones)]
            )
            for i in range(count)
        ]
    )
    Membership.objects.bulk_create([Membership(user=u, organization=org, role=MemberRole.ATHLETE) for u in users])
    GroupMembership.objects.bulk_create([GroupMembership(group=group, user=u) for u in users])
    return users


def bulk_runs(users, starts, distance=5000.0) -> None:
    Activity.objects.bulk_create(
        [Activity(user=u, start_time=start, distance=distance, duration=1500) for u in users for start in starts]
    )


def warm(client, path) -> None:
    """The first authenticated request writes the token's last_used_at: keep it out of counts."""
    client.get(f"{BASE}/{path}")


def query_count(client, path, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = get(client, path, refresh="true", **params)
    assert response.status_code == 200, response.content
    assert response["X-Cache"] == "MISS"
    return len(ctx.captured_queries)


# --- the overview, by hand ------------------------------------------------------------------------

# The ISO week of Wednesday 2025-11-19 runs Monday 2025-11-17 … Sunday 2025-11-23. New York is
# on EST (UTC−5) all that month, so local midnight is 05:00 UTC.
WEEK = "2025-11-19"


@pytest.fixture
def block():
    org = OrganizationFactory(name="Tempo Club")
    group = GroupFactory(organization=org, name="Marathon Block A")
    coach = staff(org)
    alex = athlete_in(org, "Alex", group)
    sam = athlete_in(org, "Sam", group)
    kim = athlete_in(org, "Kim", group)
    gone = athlete_in(org, "Gone", group, active=False)
    # Sunday 23:30 in New York (= Monday 04:30 UTC): the week before, in New York.
    activity(alex, datetime(2025, 11, 17, 4, 30, tzinfo=UTC), 10000)
    # Monday 00:30 in New York: the first day of the week.
    activity(alex, datetime(2025, 11, 17, 5, 30, tzinfo=UTC), 8000)
    # Wednesday noon in New York: a ride counts (all sports).
    activity(alex, datetime(2025, 11, 19, 17, 0, tzinfo=UTC), 30000, sport="ride")
    # Sunday 23:30 in New York (= Monday 2025-11-24 04:30 UTC): still this week, the last day.
    activity(sam, datetime(2025, 11, 24, 4, 30, tzinfo=UTC), 12000)
    # Monday 2025-11-24 00:30 in New York: next week.
    activity(sam, datetime(2025, 11, 24, 5, 30, tzinfo=UTC), 7000)
    # A deactivated member's run never counts.
    activity(gone, datetime(2025, 11, 18, 12, tzinfo=UTC), 99000)
    return {"org": org, "group": group, "coach": coach, "alex": alex, "sam": sam, "kim": kim}


def test_week_in_new_york_by_hand(block):
    client = bearer_client(block["coach"])
    data = data_of(get(client, "overview", group_id=block["group"].public_id, week=WEEK, timezone="America/New_York"))

    assert data["week_start"] == "2025-11-17"
    assert data["week_end"] == "2025-11-23"
    assert data["group_id"] == block["group"].public_id
    assert data["total_distance"] == 50000.0  # Alex 8000 + 30000 (ride), Sam 12000
    assert data["total_activities"] == 3
    assert data["total_athletes"] == 3  # Alex, Sam, Kim; "Gone" is deactivated
    assert data["active_athletes"] == 2
    assert data["engagement_rate"] == 0.667  # 2 ÷ 3 = 0.6667
    assert data["member_matrix"] == [
        {
            "user_id": block["alex"].public_id,
            "display_name": "Alex",
            "days": [8000.0, 0.0, 30000.0, 0.0, 0.0, 0.0, 0.0],
            "total_distance": 38000.0,
            "activities": 2,
        },
        {
            "user_id": block["sam"].public_id,
            "display_name": "Sam",
            "days": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 12000.0],
            "total_distance": 12000.0,
            "activities": 1,
        },
        {
            "user_id": block["kim"].public_id,
            "display_name": "Kim",
            "days": [0.0] * 7,
            "total_distance": 0.0,
            "activities": 0,
        },
    ]
    # Generated now (nothing stored for that week): runs only, 8 + 12 = 20 km; the week before,
    # Alex's Sunday-night 10 km; Sam ran most (12 km).
    assert data["group_insight"] == group_text(
        group_name="Marathon Block A",
        week_distance_km=20.0,
        previous_week_distance_km=10.0,
        active_members=2,
        members=3,
        top_member_name="Sam",
        top_member_km=12.0,
        days_into_week=7,  # a past week: whole weeks
    )
    assert data["group_insight"].startswith("Marathon Block A ran 20.0 km this week")


def test_the_same_week_in_utc_moves_the_midnight_runs(block):
    client = bearer_client(block["coach"])
    data = data_of(get(client, "overview", group_id=block["group"].public_id, week=WEEK, timezone="UTC"))

    alex, sam = data["member_matrix"][0], data["member_matrix"][2]
    # In UTC both of Alex's night runs fall on Monday 16th: 10000 + 8000.
    assert alex["days"] == [18000.0, 0.0, 30000.0, 0.0, 0.0, 0.0, 0.0]
    # Sam's two runs are on Monday 23rd in UTC: next week; Sam drops to the bottom (by name after Kim).
    assert sam["display_name"] == "Sam"
    assert sam["days"] == [0.0] * 7
    assert data["total_distance"] == 48000.0  # 18000 + 30000
    assert data["engagement_rate"] == 0.333  # 1 ÷ 3


def test_a_week_across_the_end_of_daylight_saving_time():
    # New York leaves EDT (UTC−4) for EST (UTC−5) on Sunday 2025-11-02: the ISO week Monday
    # 2025-10-27 … Sunday 2025-11-02 starts at 04:00 UTC and ends at 05:00 UTC.
    org = OrganizationFactory()
    group = GroupFactory(organization=org)
    runner = athlete_in(org, "Rita", group)
    activity(runner, datetime(2025, 10, 27, 3, 30, tzinfo=UTC), 1000)  # Sun 26th 23:30 EDT: the week before
    activity(runner, datetime(2025, 10, 27, 4, 30, tzinfo=UTC), 2000)  # Mon 27th 00:30 EDT
    activity(runner, datetime(2025, 11, 3, 4, 30, tzinfo=UTC), 4000)  # Sun 2nd 23:30 EST
    activity(runner, datetime(2025, 11, 3, 5, 30, tzinfo=UTC), 8000)  # Mon 3rd 00:30 EST: next week

    data = data_of(
        get(
            bearer_client(staff(org)),
            "overview",
            group_id=group.public_id,
            week="2025-10-30",
            timezone="America/New_York",
        )
    )

    assert data["week_start"] == "2025-10-27"
    assert data["member_matrix"][0]["days"] == [2000.0, 0.0, 0.0, 0.0, 0.0, 0.0, 4000.0]
    assert data["total_distance"] == 6000.0  # 2000 + 4000


def test_the_legacy_offset_and_the_callers_zone_apply_without_timezone(block):
    group_id = block["group"].public_id
    client = bearer_client(block["coach"])
    # −300 minutes = UTC−5, New York's November offset: the same answer as America/New_York.
    by_offset = data_of(get(client, "overview", group_id=group_id, week=WEEK, timezone_offset_minutes=-300))
    assert by_offset["total_distance"] == 50000.0
    assert by_offset["timezone"] == "UTC-05:00"
    # Without either parameter the caller's profile zone applies.
    block["coach"].timezone = "America/New_York"
    block["coach"].save(update_fields=["timezone"])
    by_profile = data_of(get(client, "overview", group_id=group_id, week=WEEK))
    assert by_profile["total_distance"] == 50000.0
    assert by_profile["timezone"] == "America/New_York"


def test_week_defaults_to_this_week_in_the_zone(block):
    client = bearer_client(block["coach"])
    data = data_of(get(client, "overview", group_id=block["group"].public_id, timezone="Asia/Tokyo"))
    today = datetime.now(UTC).astimezone(zoneinfo.ZoneInfo("Asia/Tokyo")).date()
    assert data["week_start"] == (today - timedelta(days=today.weekday())).isoformat()
    assert data["total_activities"] == 0  # the fixture's runs are in November 2025


def test_without_group_id_the_organizations_active_athletes_count(block):
    org = block["org"]
    loner = athlete_in(org, "Lou")  # in no group: still an athlete of the organization
    activity(loner, datetime(2025, 11, 20, 12, tzinfo=UTC), 5000)
    activity(block["coach"], datetime(2025, 11, 20, 12, tzinfo=UTC), 40000)  # a coach's run: not the team's
    client = bearer_client(block["coach"])

    data = data_of(get(client, "overview", week=WEEK, timezone="America/New_York"))

    assert data["group_id"] is None
    assert data["name"] == "Tempo Club"
    assert data["total_athletes"] == 4  # Alex, Sam, Kim, Lou
    assert data["total_distance"] == 55000.0  # 50000 + Lou's 5000
    assert data["engagement_rate"] == 0.75  # 3 ÷ 4
    assert data["group_insight"].startswith("Tempo Club ran 25.0 km this week")  # 8 + 12 + 5 km of runs


def test_member_matrix_is_the_top_20_by_distance():
    org = OrganizationFactory()
    group = GroupFactory(organization=org)
    coach = staff(org)
    wednesday = datetime(2025, 11, 19, 12, tzinfo=UTC)
    members = []
    for i in range(1, 23):  # 22 members: member i runs i km on Wednesday
        members.append(athlete_in(org, f"Runner {i:02d}", group))
        activity(members[-1], wednesday, i * 1000)
    # A tie with Runner 22 (22 km), who sorts after "Runner 00 tie" by name.
    tie = athlete_in(org, "Runner 00 tie", group)
    activity(tie, wednesday, 12000)
    activity(tie, wednesday + timedelta(hours=1), 10000)

    data = data_of(get(bearer_client(coach), "overview", group_id=group.public_id, week=WEEK, timezone="UTC"))

    matrix = data["member_matrix"]
    assert len(matrix) == 20
    assert data["total_athletes"] == 23
    # 22 km: the tie has 2 activities, so it leads Runner 22 (1 activity); then 21 … 4 km.
    assert [row["display_name"] for row in matrix[:2]] == ["Runner 00 tie", "Runner 22"]
    assert [row["total_distance"] for row in matrix] == [22000.0, 22000.0] + [i * 1000.0 for i in range(21, 3, -1)]
    assert matrix[1]["days"] == [0.0, 0.0, 22000.0, 0.0, 0.0, 0.0, 0.0]
    assert data["total_distance"] == 275000.0  # 1 + 2 + … + 22 = 253 km, plus the tie's 22 km
    assert data["engagement_rate"] == 1.0


def test_the_stored_hourly_text_is_never_shown_beside_newer_numbers():
    org = OrganizationFactory()
    group = GroupFactory(organization=org, name="Trail")
    coach = staff(org)
    athlete_in(org, "Alex", group)
    now = datetime.now(UTC)
    Insight.objects.create(kind="group", group=group, text="Stored: Trail is flying.", generated_at=now)
    client = bearer_client(coach)

    current = data_of(get(client, "overview", group_id=group.public_id, timezone="UTC"))
    assert current["group_insight"].startswith("Trail logged no distance this week")
    earlier = (now - timedelta(days=14)).date().isoformat()
    past = data_of(get(client, "overview", group_id=group.public_id, timezone="UTC", week=earlier))
    assert past["group_insight"].startswith("Trail logged no distance this week (none last week either)")


def test_the_current_week_is_compared_with_the_same_days_of_the_week_before():
    org = OrganizationFactory()
    group = GroupFactory(organization=org, name="Trail")
    alex = athlete_in(org, "Alex", group, timezone="UTC")
    sam = athlete_in(org, "Sam", group, timezone="UTC")
    monday, tuesday = date(2025, 11, 17), date(2025, 11, 18)
    activity(alex, datetime(2025, 11, 17, 7, tzinfo=UTC), 10000)
    activity(sam, datetime(2025, 11, 18, 7, tzinfo=UTC), 40000, sport="ride")  # active, no run km
    activity(alex, datetime(2025, 11, 10, 7, tzinfo=UTC), 8000)  # last Monday
    activity(sam, datetime(2025, 11, 11, 23, tzinfo=UTC), 4000)  # last Tuesday, late
    activity(alex, datetime(2025, 11, 15, 7, tzinfo=UTC), 30000)  # last Saturday: not a same day
    (row,) = organization_group_rows(org)

    def insight():
        overview = group_dashboard_overview(organization=org, group=row, week_start=monday, today=tuesday, zone=UTC)
        return overview["group_insight"]

    # Monday–Tuesday: 10 km against 8 + 4 = 12 km → (10 − 12) / 12 = −16.7 % → 17 % less;
    # the whole week before (42 km) would have read "76 % less". 2 of 2 active (Sam rode).
    assert insight() == (
        "Trail ran 10.0 km this week, 17 % less than Monday–Tuesday last week; "
        "2 of 2 members were active (100 %). Top: Alex, 10.0 km."
    )
    # A new run is in the next answer's text as in its numbers: 15 km → +25 %.
    activity(sam, datetime(2025, 11, 18, 18, tzinfo=UTC), 5000)
    assert insight().startswith("Trail ran 15.0 km this week, 25 % more than Monday–Tuesday last week;")


def test_no_groups_is_a_404_with_its_code():
    org = OrganizationFactory()
    coach = staff(org)
    athlete_in(org, "Alex")
    error_of(get(bearer_client(coach), "overview", org_id=org.public_id), 404, "NO_GROUPS")


def test_unknown_or_foreign_group_is_a_404(block):
    client = bearer_client(block["coach"])
    foreign = GroupFactory(name="Elsewhere")
    error_of(get(client, "overview", group_id="grp_nope"), 404, "GROUP_NOT_FOUND", "group_id")
    error_of(get(client, "overview", group_id=foreign.public_id), 404, "GROUP_NOT_FOUND", "group_id")


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"week": "2026-13-01"}, "week", "INVALID"),
        ({"week": "last monday"}, "week", "INVALID"),
        ({"timezone": "Mars/Olympus"}, "timezone", "INVALID_TIMEZONE"),
        ({"timezone_offset_minutes": "east"}, "timezone_offset_minutes", "INVALID"),
        ({"timezone_offset_minutes": "900"}, "timezone_offset_minutes", "OUT_OF_RANGE"),
        ({"refresh": "maybe"}, "refresh", "INVALID"),
    ],
)
def test_overview_validation(block, params, field, code):
    response = get(bearer_client(block["coach"]), "overview", group_id=block["group"].public_id, **params)
    error_of(response, 400, code, field)


def test_overview_queries_do_not_grow_with_athletes_or_time_zones():
    def world(count, prefix, zones):
        org = OrganizationFactory()
        group = GroupFactory(organization=org, name="Squad")
        coach = staff(org)
        users = bulk_athletes(org, group, count, prefix, zones)
        bulk_runs(users, [datetime(2025, 11, 18, 7, tzinfo=UTC), datetime(2025, 11, 11, 7, tzinfo=UTC)])
        Insight.objects.create(kind="group", group=group, text="Stored.", generated_at=datetime.now(UTC))  # unread
        client = bearer_client(coach)
        warm(client, "overview")
        return client, group

    small, small_group = world(1, "solo", ("Europe/Berlin",))
    large, large_group = world(200, "crowd", TWELVE_ZONES)
    # A group's week, the organization's week, and the default week.
    assert query_count(small, "overview", week=WEEK, group_id=small_group.public_id) == query_count(
        large, "overview", week=WEEK, group_id=large_group.public_id
    )
    assert query_count(small, "overview", week=WEEK) == query_count(large, "overview", week=WEEK)
    assert query_count(small, "overview") == query_count(large, "overview")
    # This week of a group: the same days of the week before are one aggregate, whatever the size.
    assert query_count(small, "overview", group_id=small_group.public_id) == query_count(
        large, "overview", group_id=large_group.public_id
    )


# --- shared by every endpoint: access and cache ---------------------------------------------------

ENDPOINTS = ["overview", "groups", "groups/{group}", "plans"]


@pytest.fixture
def world():
    org = OrganizationFactory(name="Tempo Club")
    group = GroupFactory(organization=org, name="Milers")
    admin = staff(org, MemberRole.ADMIN)
    coach = staff(org)
    runner = athlete_in(org, "Rita", group, timezone="UTC")
    other_org = OrganizationFactory(name="Other Club")
    other_coach = staff(other_org)
    secret, _ = org_services.api_key_create(organization=org, name="Sync", created_by=admin)
    other_secret, _ = org_services.api_key_create(organization=other_org, name="Sync", created_by=other_coach)
    plan = TrainingPlanFactory(organization=org, total_weeks=4)
    # Started two days ago: week 1 day 3 is today, so a run today changes the compliance.
    PlannedWorkoutFactory(plan=plan, week=1, day=1, type="easy")
    PlannedWorkoutFactory(plan=plan, week=1, day=3, type="easy")
    PlanInstanceFactory(plan=plan, athlete=runner, start_date=datetime.now(UTC).date() - timedelta(days=2))
    return {
        "org": org,
        "group": group,
        "admin": admin,
        "coach": coach,
        "runner": runner,
        "other": other_coach,
        "key": secret,
        "other_key": other_secret,
    }


def path_of(endpoint: str, world) -> str:
    return endpoint.format(group=world["group"].public_id)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_access_matrix(world, endpoint):
    path, org_id = path_of(endpoint, world), world["org"].public_id
    assert get(APIClient(), path, org_id=org_id).status_code == 401
    error_of(get(bearer_client(world["runner"]), path, org_id=org_id), 403, "FORBIDDEN")
    error_of(get(bearer_client(world["runner"]), path), 403, "FORBIDDEN")  # their own organization by default
    error_of(get(bearer_client(world["other"]), path, org_id=org_id), 403, "FORBIDDEN")
    other_keyed = APIClient()
    other_keyed.credentials(HTTP_X_API_KEY=world["other_key"])
    error_of(get(other_keyed, path, org_id=org_id), 403, "FORBIDDEN")
    keyed = APIClient()
    keyed.credentials(HTTP_X_API_KEY=world["key"])
    assert data_of(
        get(keyed, path, org_id=org_id)
    )  # the organization's own key reads it (values: test_dashboard_api_keys)
    error_of(get(bearer_client(world["admin"]), path, org_id="org_unknown"), 404, "ORGANIZATION_NOT_FOUND")
    assert data_of(get(bearer_client(world["admin"]), path, org_id=org_id))
    assert data_of(get(bearer_client(world["coach"]), path, org_id=org_id))
    assert data_of(get(bearer_client(world["coach"]), path))  # org_id falls back to the coach's organization


def test_a_coach_without_an_organization_is_refused():
    error_of(get(bearer_client(CoachFactory()), "groups"), 403, "FORBIDDEN")


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_cache_miss_hit_then_an_athletes_write_invalidates(world, endpoint):
    path = path_of(endpoint, world)
    client = bearer_client(world["coach"])
    first = get(client, path, timezone="UTC")
    assert first["X-Cache"] == "MISS"
    second = get(client, path, timezone="UTC")
    assert second["X-Cache"] == "HIT"
    assert second.json() == first.json()
    # Another viewer has their own entry.
    assert get(bearer_client(world["admin"]), path, timezone="UTC")["X-Cache"] == "MISS"

    now = datetime.now(UTC).replace(microsecond=0)
    posted = bearer_client(world["runner"]).post(
        "/api/v1/activities",
        {"start_time": now.isoformat(), "sport": "run", "distance": 6000, "duration": 1800},
        format="json",
    )
    assert posted.status_code == 201, posted.content

    third = get(client, path, timezone="UTC")
    assert third["X-Cache"] == "MISS"
    assert third.json() != first.json()  # the new run is in the answer
    assert get(client, path, timezone="UTC")["X-Cache"] == "HIT"
    assert get(client, path, timezone="UTC", refresh="true")["X-Cache"] == "MISS"


def test_creating_a_group_shows_at_once_despite_the_cache(world):
    client = bearer_client(world["coach"])
    assert [row["name"] for row in data_of(get(client, "groups"))["groups"]] == ["Milers"]
    org_services.group_create(organization=world["org"], name="Hill Squad")
    response = get(client, "groups")
    assert response["X-Cache"] == "MISS"
    assert [row["name"] for row in data_of(response)["groups"]] == ["Hill Squad", "Milers"]
