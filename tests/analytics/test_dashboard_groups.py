"""GET analytics/group_dashboard/groups and groups/{group_id}: every group side by side over a
window of local days, and one group's drill-down — by hand, in Tokyo (UTC+9, no DST)."""

import zoneinfo
from datetime import UTC, datetime, time, timedelta

import pytest

from astral.local_time import today_in
from tests.analytics.test_dashboard_overview import (
    activity,
    athlete_in,
    bulk_athletes,
    bulk_runs,
    data_of,
    error_of,
    get,
    query_count,
    staff,
    warm,
)
from tests.conftest import bearer_client
from tests.factories import TWELVE_ZONES, GroupFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
WINDOW = {"from": "2025-03-01", "to": "2025-03-03", "timezone": "Asia/Tokyo"}


def tokyo(*args) -> datetime:
    return datetime(*args, tzinfo=TOKYO)


@pytest.fixture
def club():
    org = OrganizationFactory(name="Tempo Club")
    speed = GroupFactory(organization=org, name="5K Speed")
    marathon = GroupFactory(organization=org, name="Marathon")
    GroupFactory(organization=org, name="Empty")
    dormant = GroupFactory(organization=org, name="Dormant")
    coach = staff(org)
    alex = athlete_in(org, "Alex", speed)
    sam = athlete_in(org, "Sam", speed, marathon)
    kim = athlete_in(org, "Kim", marathon)
    lou = athlete_in(org, "Lou", marathon)
    gone = athlete_in(org, "Gone", dormant, active=False)

    activity(alex, tokyo(2025, 3, 1, 0, 10), 5000)  # 10 minutes into the first day: in
    activity(alex, tokyo(2025, 2, 28, 23, 50), 9000)  # 10 minutes before it: out
    activity(sam, tokyo(2025, 3, 3, 23, 59), 20000, sport="ride", duration=3600, training_load=50)  # last minute: in
    activity(sam, tokyo(2025, 3, 4, 0, 1), 4000)  # the day after: out
    activity(kim, tokyo(2025, 3, 2, 12, 0), 10000, duration=3000, training_load=60)
    activity(kim, tokyo(2025, 3, 2, 18, 0), 5000, duration=1500, training_load=20)
    activity(lou, tokyo(2025, 2, 20, 7, 0), 8000)  # before the window: only the last activity date
    activity(gone, tokyo(2025, 3, 2, 7, 0), 7000)  # a deactivated member: never counted
    return {"org": org, "coach": coach, "marathon": marathon, "sam": sam, "kim": kim, "lou": lou}


def test_groups_side_by_side_by_hand(club):
    data = data_of(get(bearer_client(club["coach"]), "groups", **WINDOW))

    assert (data["from"], data["to"], data["period"], data["days"]) == ("2025-03-01", "2025-03-03", None, 3)
    assert data["timezone"] == "Asia/Tokyo"
    rows = {row["name"]: row for row in data["groups"]}
    assert [row["name"] for row in data["groups"]] == ["5K Speed", "Dormant", "Empty", "Marathon"]
    # 5K Speed: Alex 5000 (first minute of the window) + Sam's 20000 ride (its last minute).
    assert rows["5K Speed"] == {
        "group_id": rows["5K Speed"]["group_id"],
        "name": "5K Speed",
        "member_count": 2,
        "total_distance": 25000.0,
        "total_activities": 2,
        "active_athletes": 2,
        "engagement_rate": 1.0,
    }
    # Marathon: Sam 20000 + Kim 10000 + 5000; Lou ran before the window: 2 of 3 active.
    assert rows["Marathon"]["member_count"] == 3
    assert rows["Marathon"]["total_distance"] == 35000.0
    assert rows["Marathon"]["total_activities"] == 3
    assert rows["Marathon"]["active_athletes"] == 2
    assert rows["Marathon"]["engagement_rate"] == 0.667  # 2 ÷ 3
    # Empty groups are listed with zeros; engagement is undefined without members.
    for name in ("Empty", "Dormant"):
        assert rows[name]["member_count"] == 0
        assert rows[name]["total_distance"] == 0.0
        assert rows[name]["engagement_rate"] is None


def test_the_same_window_in_utc_shifts_the_edges(club):
    data = data_of(get(bearer_client(club["coach"]), "groups", **{**WINDOW, "timezone": "UTC"}))
    speed = next(row for row in data["groups"] if row["name"] == "5K Speed")
    # In UTC: Alex's runs are on Feb 28 (out); Sam's ride (Mar 3 14:59) and run (Mar 3 15:01) are in.
    assert speed["total_distance"] == 24000.0
    assert speed["active_athletes"] == 1


def test_group_drill_down_by_hand(club):
    data = data_of(get(bearer_client(club["coach"]), f"groups/{club['marathon'].public_id}", **WINDOW))

    assert data["name"] == "Marathon"
    assert (data["from"], data["to"], data["days"]) == ("2025-03-01", "2025-03-03", 3)
    assert data["totals"] == {
        "distance": 35000.0,  # 20000 + 10000 + 5000
        "activities": 3,
        "duration": 8100.0,  # 3600 + 3000 + 1500
        "training_load": 130.0,  # 50 + 60 + 20
        "active_athletes": 2,
        "member_count": 3,
        "engagement_rate": 0.667,
    }
    assert data["daily"] == [
        {"date": "2025-03-01", "distance": 0.0, "activities": 0},
        {"date": "2025-03-02", "distance": 15000.0, "activities": 2},
        {"date": "2025-03-03", "distance": 20000.0, "activities": 1},
    ]
    assert data["members"] == [
        {
            "user_id": club["sam"].public_id,
            "display_name": "Sam",
            "distance": 20000.0,
            "activities": 1,
            "duration": 3600.0,
            "training_load": 50.0,
            "last_activity_date": "2025-03-03",  # the run of Mar 4 is after the window
        },
        {
            "user_id": club["kim"].public_id,
            "display_name": "Kim",
            "distance": 15000.0,
            "activities": 2,
            "duration": 4500.0,
            "training_load": 80.0,
            "last_activity_date": "2025-03-02",
        },
        {
            "user_id": club["lou"].public_id,
            "display_name": "Lou",
            "distance": 0.0,
            "activities": 0,
            "duration": 0.0,
            "training_load": 0.0,
            "last_activity_date": "2025-02-20",
        },
    ]


def test_drill_down_of_an_unknown_or_foreign_group_is_a_404(club):
    client = bearer_client(club["coach"])
    error_of(get(client, "groups/grp_nope"), 404, "GROUP_NOT_FOUND", "group_id")
    foreign = GroupFactory(name="Elsewhere")
    error_of(get(client, f"groups/{foreign.public_id}"), 404, "GROUP_NOT_FOUND", "group_id")


def test_an_organization_without_groups_gets_an_empty_comparison():
    org = OrganizationFactory()
    data = data_of(get(bearer_client(staff(org)), "groups"))
    assert data["groups"] == []


# --- periods: the last N local days including today ----------------------------------------------


@pytest.fixture
def runner_days():
    """One run at local noon (Tokyo) on days 0, 6, 7, 13, 14, 29 and 30 before today, of 1, 2, 4,
    8, 16, 32 and 64 km: each period's sum identifies exactly which days it covers."""
    org = OrganizationFactory()
    group = GroupFactory(organization=org, name="Daily")
    coach = staff(org)
    runner = athlete_in(org, "Rita", group)
    today = today_in(TOKYO)
    for days_ago, km in ((0, 1), (6, 2), (7, 4), (13, 8), (14, 16), (29, 32), (30, 64)):
        activity(runner, datetime.combine(today - timedelta(days=days_ago), time(12), tzinfo=TOKYO), km * 1000)
    return {"client": bearer_client(coach), "group": group, "today": today}


@pytest.mark.parametrize(
    ("params", "days", "km"),
    [
        ({}, 7, 3),  # default 7: today and 6 days ago = 1 + 2
        ({"period": "7"}, 7, 3),
        ({"period": "14"}, 14, 15),  # + 7 and 13 days ago = 3 + 4 + 8
        ({"period": "30"}, 30, 63),  # + 14 and 29 days ago = 15 + 16 + 32; 30 days ago is out
    ],
)
def test_periods(runner_days, params, days, km):
    today = runner_days["today"]
    data = data_of(get(runner_days["client"], "groups", timezone="Asia/Tokyo", **params))
    assert data["from"] == (today - timedelta(days=days - 1)).isoformat()
    assert data["to"] == today.isoformat()
    assert data["period"] == days
    assert data["groups"][0]["total_distance"] == km * 1000.0

    detail = data_of(
        get(runner_days["client"], f"groups/{runner_days['group'].public_id}", timezone="Asia/Tokyo", **params)
    )
    assert len(detail["daily"]) == days
    assert detail["daily"][-1] == {"date": today.isoformat(), "distance": 1000.0, "activities": 1}
    assert detail["totals"]["distance"] == km * 1000.0


def test_from_to_window_of_exactly_400_days_is_allowed(runner_days):
    # 2024-01-01 … 2025-02-03: 366 days of 2024 (a leap year) + 34 = 400 days.
    data = data_of(get(runner_days["client"], "groups", **{"from": "2024-01-01", "to": "2025-02-03"}))
    assert data["days"] == 400
    assert data["period"] is None


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"period": "10"}, "period", "INVALID_CHOICE"),
        ({"period": "seven"}, "period", "INVALID_CHOICE"),
        ({"period": "-7"}, "period", "INVALID_CHOICE"),
        ({"from": "2025-03-05", "to": "2025-03-01"}, "to", "INVALID"),
        ({"from": "2024-01-01", "to": "2025-02-04"}, "to", "RANGE_TOO_LONG"),  # 401 days
        ({"period": "7", "from": "2025-03-01", "to": "2025-03-03"}, "period", "CONFLICT"),
        ({"period": "14", "to": "2025-03-03"}, "period", "CONFLICT"),
        ({"from": "2025-02-30", "to": "2025-03-03"}, "from", "INVALID"),
        ({"from": "2025-03-01", "to": "03/03/2025"}, "to", "INVALID"),
        ({"from": "2025-03-01"}, "to", "REQUIRED"),
        ({"to": "2025-03-01"}, "from", "REQUIRED"),
        ({"timezone": "Europe/Atlantis"}, "timezone", "INVALID_TIMEZONE"),
        ({"timezone_offset_minutes": "1.5"}, "timezone_offset_minutes", "INVALID"),
        ({"refresh": "perhaps"}, "refresh", "INVALID"),
    ],
)
@pytest.mark.parametrize("endpoint", ["groups", "groups/{group}"])
def test_window_validation(runner_days, endpoint, params, field, code):
    path = endpoint.format(group=runner_days["group"].public_id)
    error_of(get(runner_days["client"], path, **params), 400, code, field)


# --- constant queries -----------------------------------------------------------------------------


def _world(athletes: int, groups: int, prefix: str, zones: tuple[str, ...] = ("Europe/Berlin",)):
    org = OrganizationFactory()
    rows = [GroupFactory(organization=org, name=f"{prefix} group {i}") for i in range(groups)]
    coach = staff(org)
    per_group = athletes // groups
    for index, group in enumerate(rows):
        users = bulk_athletes(org, group, per_group, f"{prefix}{index}x", zones)
        bulk_runs(users, [datetime.now(UTC) - timedelta(days=d) for d in (0, 1, 3)])
    client = bearer_client(coach)
    warm(client, "groups")
    return client, rows[0]


def test_queries_do_not_grow_with_athletes_groups_or_time_zones():
    small, small_group = _world(1, 1, "solo")
    large, large_group = _world(200, 20, "crowd", TWELVE_ZONES)  # 20 groups of 10, in 12 zones
    for params in ({}, {"period": "30"}, {"from": "2025-01-01", "to": "2025-12-31"}):
        assert query_count(small, "groups", **params) == query_count(large, "groups", **params)
        assert query_count(small, f"groups/{small_group.public_id}", **params) == query_count(
            large, f"groups/{large_group.public_id}", **params
        )


def test_a_group_of_200_in_one_drill_down_costs_what_one_does():
    small, small_group = _world(1, 1, "one")
    large, large_group = _world(200, 1, "many", TWELVE_ZONES)
    assert query_count(small, f"groups/{small_group.public_id}") == query_count(
        large, f"groups/{large_group.public_id}"
    )
    assert len(data_of(get(large, f"groups/{large_group.public_id}"))["members"]) == 200
