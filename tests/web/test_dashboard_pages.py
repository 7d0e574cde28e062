"""The Group Dashboard pages: /analytics/ (three tabs) and /analytics/groups/<group_id>/."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from organizations.models import GroupMembership, Membership
from tests.factories import (
    TWELVE_ZONES,
    ActivityFactory,
    CoachFactory,
    GroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    OrganizationFactory,
    PlanInstanceFactory,
    TrainingPlanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def club(client):
    org = OrganizationFactory(name="Harbour Runners")
    coach = CoachFactory(timezone="UTC")
    MembershipFactory(user=coach, organization=org, role="coach")
    group = GroupFactory(organization=org, name="Tempo Crew")
    GroupFactory(organization=org, name="Beginners")
    alex = UserFactory(display_name="Alex Rivera", timezone="UTC")
    MembershipFactory(user=alex, organization=org)
    GroupMembershipFactory(group=group, user=alex)
    ActivityFactory(user=alex, start_time=datetime.now(UTC) - timedelta(minutes=30), distance=15000, duration=4500)
    plan = TrainingPlanFactory(organization=org, name="Spring 10K", total_weeks=8)
    PlanInstanceFactory(plan=plan, athlete=alex, start_date=datetime.now(UTC).date() - timedelta(days=14))
    client.force_login(coach)
    return {"org": org, "coach": coach, "group": group, "alex": alex}


def test_overview_tab(client, club):
    html = client.get("/analytics/").content.decode()
    assert 'class="active" data-tab="overview"' in html
    assert "15.0 km" in html  # this week's distance
    assert "1 of 1 athletes active" in html
    assert 'id="member-matrix"' in html
    assert "Alex Rivera" in html
    assert 'id="group-insight"' in html


def test_tabs_render_only_the_panel_for_htmx(client, club):
    groups = client.get("/analytics/", {"tab": "groups"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in groups
    assert "Tempo Crew" in groups
    assert "Beginners" in groups  # empty groups are listed too
    assert f'href="/analytics/groups/{club["group"].public_id}/?period=7"' in groups
    plans = client.get("/analytics/", {"tab": "plans"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Spring 10K" in plans
    assert "week 3 of 8" in plans  # 14 days after the start is week 3


def test_period_and_week_pickers(client, club):
    html = client.get("/analytics/", {"tab": "groups", "period": 30}).content.decode()
    today = datetime.now(UTC).date()
    assert f"{(today - timedelta(days=29)).isoformat()} – {today.isoformat()}" in html
    custom = client.get("/analytics/", {"tab": "groups", "from": "2026-01-01", "to": "2026-01-31"}).content.decode()
    assert "2026-01-01 – 2026-01-31" in custom
    bad = client.get("/analytics/", {"tab": "groups", "period": 9}).content.decode()
    assert "Showing the default instead" in bad
    week = client.get("/analytics/", {"week": "2026-01-07"}).content.decode()
    assert 'value="2026-01-05"' in week  # the Monday of that ISO week


def test_group_drill_down(client, club):
    response = client.get(f"/analytics/groups/{club['group'].public_id}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tempo Crew" in html
    assert 'id="chart-group-daily"' in html
    assert 'id="group-members"' in html
    assert "Alex Rivera" in html
    assert client.get("/analytics/groups/grp_unknown/").status_code == 404
    unknown = client.get("/analytics/groups/grp_0000000000000000/")
    assert unknown.status_code == 404
    assert "Group &#x27;grp_0000000000000000&#x27; not found in this organization." in unknown.content.decode()


def test_an_unknown_group_on_the_overview_is_a_notice_and_the_organization(client, club):
    # The same dashboard_group the API answers GROUP_NOT_FOUND with; the page says so and shows all.
    html = client.get("/analytics/", {"group_id": "grp_0000000000000000"}).content.decode()
    assert "Group: Group &#x27;grp_0000000000000000&#x27; not found in this organization." in html
    assert "1 of 1 athletes active" in html
    chosen = client.get("/analytics/", {"group_id": club["group"].public_id}).content.decode()
    assert "not found" not in chosen


def test_empty_state_without_groups(client):
    coach = CoachFactory()
    MembershipFactory(user=coach, organization=OrganizationFactory(), role="admin")
    client.force_login(coach)
    html = client.get("/analytics/").content.decode()
    assert "No groups yet" in html
    assert "Create a group" in html


def test_permissions(client, club):
    client.logout()
    assert client.get("/analytics/").status_code == 302
    client.force_login(club["alex"])
    assert client.get("/analytics/").status_code == 403
    outsider = CoachFactory()
    MembershipFactory(user=outsider, organization=OrganizationFactory(), role="coach")
    client.force_login(outsider)
    assert client.get("/analytics/", {"org_id": club["org"].public_id}).status_code == 403
    assert client.get(f"/analytics/groups/{club['group'].public_id}/").status_code == 404  # not in their org


@pytest.mark.parametrize("tab", ["overview", "groups", "plans"])
def test_query_count_does_not_grow_with_athletes_or_time_zones(client, club, tab):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/analytics/", {"tab": tab}).status_code == 200
        return len(ctx.captured_queries)

    client.get("/analytics/", {"tab": tab})
    few = count()
    users = User.objects.bulk_create([User(username=f"bulk{i}", timezone=TWELVE_ZONES[i % 12]) for i in range(200)])
    Membership.objects.bulk_create([Membership(user=u, organization=club["org"]) for u in users])
    GroupMembership.objects.bulk_create([GroupMembership(group=club["group"], user=u) for u in users])
    for user in users[:50]:
        ActivityFactory(user=user, start_time=datetime.now(UTC) - timedelta(hours=1))
    plan = TrainingPlanFactory(organization=club["org"])
    for user in users[:20]:
        PlanInstanceFactory(plan=plan, athlete=user, start_date=datetime.now(UTC).date())
    assert count() == few


def test_group_page_query_count(client, club):
    url = f"/analytics/groups/{club['group'].public_id}/"

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        return len(ctx.captured_queries)

    client.get(url)
    few = count()
    users = User.objects.bulk_create([User(username=f"g{i}") for i in range(200)])
    Membership.objects.bulk_create([Membership(user=u, organization=club["org"]) for u in users])
    GroupMembership.objects.bulk_create([GroupMembership(group=club["group"], user=u) for u in users])
    assert count() == few
