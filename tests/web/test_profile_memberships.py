"""The profile page shows an athlete's coach, labels and groups of the viewer's organizations only:
an athlete in two clubs, each coach sees their own club's values and never the other's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organizations.services import api_key_create
from tests.access import key_client
from tests.conftest import bearer_client
from tests.factories import (
    CoachFactory,
    GroupFactory,
    GroupMembershipFactory,
    LabelFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NORTH = {"coach": "Nia North", "label": "Sub-3 Hopeful", "group": "Tuesday Track"}
SOUTH = {"coach": "Sol South", "label": "Comeback Knee", "group": "Trail Crew"}


def club_with(athlete, name: str, values: dict):
    org = OrganizationFactory(name=name)
    coach = CoachFactory(display_name=values["coach"])
    MembershipFactory(user=coach, organization=org, role="coach")
    membership = MembershipFactory(user=athlete, organization=org, assigned_coach=coach)
    membership.labels.add(LabelFactory(organization=org, name=values["label"]))
    GroupMembershipFactory(group=GroupFactory(organization=org, name=values["group"]), user=athlete)
    return org, coach


@pytest.fixture
def two_clubs():
    athlete = UserFactory(display_name="Alex Rivera", timezone="UTC")
    north, north_coach = club_with(athlete, "North Harriers", NORTH)
    south, south_coach = club_with(athlete, "South Striders", SOUTH)
    # A group of South the athlete is not in, and a North group without them: never shown either.
    GroupFactory(organization=south, name="Masters Squad")
    return {"athlete": athlete, "north": north, "south": south, "north_coach": north_coach, "south_coach": south_coach}


def profile_html(client, viewer, athlete) -> str:
    client.force_login(viewer)
    response = client.get(f"/athletes/{athlete.public_id}/")
    assert response.status_code == 200
    return response.content.decode()


def header(html: str) -> str:
    return html.split('<header class="page-head profile-head">')[1].split("</header>")[0]


@pytest.mark.parametrize(("viewer", "own", "other"), [("north_coach", NORTH, SOUTH), ("south_coach", SOUTH, NORTH)])
def test_each_coach_sees_their_own_organization_only(client, two_clubs, viewer, own, other):
    html = profile_html(client, two_clubs[viewer], two_clubs["athlete"])
    head = header(html)
    assert f"Coach: {own['coach']}" in head
    assert f'<span class="tag">{own["label"]}</span>' in head
    assert f'<span class="tag">{own["group"]}</span>' in head
    for value in other.values():
        assert value not in html  # nowhere on the page
    assert "Masters Squad" not in html
    assert "North Harriers" not in head and "South Striders" not in head  # one organization: no name needed


def test_a_coach_of_both_organizations_sees_both_named(client, two_clubs):
    coach = CoachFactory(display_name="Head Coach")
    MembershipFactory(user=coach, organization=two_clubs["north"], role="coach")
    MembershipFactory(user=coach, organization=two_clubs["south"], role="admin")
    head = header(profile_html(client, coach, two_clubs["athlete"]))
    north, south = head.index("North Harriers"), head.index("South Striders")
    assert north < south  # by organization name
    assert head.index(f"Coach: {NORTH['coach']}") < south < head.index(f"Coach: {SOUTH['coach']}")
    assert head.index(NORTH["label"]) < south < head.index(SOUTH["label"])
    assert head.index(NORTH["group"]) < south < head.index(SOUTH["group"])


def test_a_coach_no_longer_active_in_one_organization_sees_only_the_other(client, two_clubs):
    coach = CoachFactory()
    MembershipFactory(user=coach, organization=two_clubs["north"], role="coach")
    MembershipFactory(user=coach, organization=two_clubs["south"], role="coach", active=False)
    html = profile_html(client, coach, two_clubs["athlete"])
    assert f"Coach: {NORTH['coach']}" in header(html)
    for value in SOUTH.values():
        assert value not in html


def test_the_athlete_sees_every_organization_of_their_own(client, two_clubs):
    head = header(profile_html(client, two_clubs["athlete"], two_clubs["athlete"]))
    for value in (*NORTH.values(), *SOUTH.values(), "North Harriers", "South Striders"):
        assert value in head
    assert "Masters Squad" not in head


def test_an_inactive_membership_of_the_athlete_is_not_shown(client, two_clubs):
    two_clubs["athlete"].memberships.filter(organization=two_clubs["south"]).update(active=False)
    head = header(profile_html(client, two_clubs["athlete"], two_clubs["athlete"]))
    assert f"Coach: {NORTH['coach']}" in head
    for value in (*SOUTH.values(), "North Harriers", "South Striders"):
        assert value not in head


def test_membership_queries_do_not_grow_with_organizations(client, two_clubs):
    athlete = two_clubs["athlete"]

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            profile_html(client, athlete, athlete)
        return len(ctx.captured_queries)

    profile_html(client, athlete, athlete)  # build the snapshot first
    two = count()
    for n in range(3):
        club_with(athlete, f"Club {n}", {"coach": f"Coach {n}", "label": f"L{n}", "group": f"G{n}"})
    profile_html(client, athlete, athlete)  # the memberships changed the athlete's data version
    assert count() == two


@pytest.mark.parametrize("viewer", ["north_coach", "south_coach", "north_key"])
def test_the_profile_api_carries_no_organization_records(two_clubs, viewer):
    # analytics/athlete_profile has no membership block: neither club's coach, labels or groups
    # reach any caller (a guard: adding them must scope them like the page does).
    if viewer == "north_key":
        secret, _ = api_key_create(organization=two_clubs["north"], name="sync", created_by=None)
        client = key_client(secret)
    else:
        client = bearer_client(two_clubs[viewer])
    response = client.get("/api/v1/analytics/athlete_profile", {"user_id": two_clubs["athlete"].public_id})
    assert response.status_code == 200
    body = response.content.decode()
    assert response.json()["data"]["display_name"] == "Alex Rivera"
    for value in (*NORTH.values(), *SOUTH.values(), "North Harriers", "South Striders"):
        assert value not in body
