"""The Athletes page (/athletes/): content, filters, sorting, paging, permissions, query budget."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from analytics.services.snapshots import athlete_snapshots_refresh
from organizations.models import Membership
from tests.factories import (
    TWELVE_ZONES,
    ActivityFactory,
    CoachFactory,
    GroupFactory,
    GroupMembershipFactory,
    LabelFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def club(client):
    org = OrganizationFactory(name="Harbour Runners")
    coach = CoachFactory(display_name="Coach Kim", unit_system="metric")
    MembershipFactory(user=coach, organization=org, role="admin")
    alex = UserFactory(username="alex.r", display_name="Alex Rivera", email="alex@example.com", timezone="UTC")
    bea = UserFactory(username="bea.s", display_name="Bea Stone", email="bea@mail.test", timezone="UTC")
    m_alex = MembershipFactory(user=alex, organization=org, assigned_coach=coach)
    MembershipFactory(user=bea, organization=org)
    m_alex.labels.add(LabelFactory(organization=org, name="marathon"))
    group = GroupFactory(organization=org, name="Tempo Crew")
    GroupMembershipFactory(group=group, user=alex)
    now = datetime.now(UTC)
    ActivityFactory(user=alex, start_time=now - timedelta(hours=2), distance=12000, duration=3600, training_load=80)
    ActivityFactory(user=bea, start_time=now - timedelta(days=10), distance=5000, duration=1500)
    client.force_login(coach)
    return {"org": org, "coach": coach, "alex": alex, "bea": bea, "group": group}


def rows(html: str) -> list[str]:
    return [name for name in ("Alex Rivera", "Bea Stone") if name in html]


def test_lists_the_roster_with_its_columns(client, club):
    html = client.get("/athletes/").content.decode()
    assert "Harbour Runners" in html
    assert f'href="/athletes/{club["alex"].public_id}/"' in html
    assert "marathon" in html  # label
    assert "NO_RECENT_RUN" in html  # Bea's flag…
    assert 'title="No run in the last' in html  # …with its message on hover
    assert "2 athletes" in html


def test_distances_follow_the_viewers_units(client, club):
    User.objects.filter(pk=club["coach"].pk).update(unit_system="imperial")
    html = client.get("/athletes/").content.decode()
    assert " mi" in html
    assert "12.0 km" not in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"search": "rivera"}, ["Alex Rivera"]),
        ({"search": "mail.test"}, ["Bea Stone"]),
        ({"label": "marathon"}, ["Alex Rivera"]),
        ({"unassigned": "1"}, ["Bea Stone"]),
    ],
)
def test_filters(client, club, params, expected):
    assert rows(client.get("/athletes/", params).content.decode()) == expected


def test_group_and_coach_filters(client, club):
    assert rows(client.get("/athletes/", {"group_id": club["group"].public_id}).content.decode()) == ["Alex Rivera"]
    assert rows(client.get("/athletes/", {"coach_id": club["coach"].public_id}).content.decode()) == ["Alex Rivera"]


def test_htmx_request_gets_only_the_table(client, club):
    response = client.get("/athletes/", {"search": "bea"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert "Bea Stone" in html
    assert "Alex Rivera" not in html


def test_sort_by_weekly_distance(client, club):
    athlete_snapshots_refresh(users=[club["alex"], club["bea"]])
    descending = client.get("/athletes/", {"sort": "weekly_distance", "dir": "desc"}).content.decode()
    ascending = client.get("/athletes/", {"sort": "weekly_distance", "dir": "asc"}).content.decode()
    assert descending.index("Alex Rivera") < descending.index("Bea Stone")
    assert ascending.index("Bea Stone") < ascending.index("Alex Rivera")


def test_paging_50_per_page(client, club):
    users = User.objects.bulk_create([User(username=f"zz{i:02d}", display_name=f"Zed {i:02d}") for i in range(55)])
    Membership.objects.bulk_create([Membership(user=u, organization=club["org"]) for u in users])
    first = client.get("/athletes/").content.decode()
    second = client.get("/athletes/", {"page": 2}).content.decode()
    assert "57 athletes" in first
    assert "Page 1 of 2" in first
    assert "Zed 47" in first and "Zed 48" not in first  # Alex, Bea, then Zed 00–47
    assert "Zed 54" in second


def test_permissions(client, club):
    client.logout()
    assert client.get("/athletes/").status_code == 302
    client.force_login(club["alex"])
    assert client.get("/athletes/").status_code == 403
    other_coach = CoachFactory()
    MembershipFactory(user=other_coach, organization=OrganizationFactory(), role="coach")
    client.force_login(other_coach)
    assert client.get("/athletes/", {"org_id": club["org"].public_id}).status_code == 403


def test_home_sends_coaches_to_the_roster_and_athletes_to_their_profile(client, club):
    assert client.get("/")["Location"] == "/athletes/"
    client.force_login(club["alex"])
    assert client.get("/")["Location"] == f"/athletes/{club['alex'].public_id}/"


def test_query_count_does_not_grow_with_athletes_or_time_zones(client, club):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/athletes/").status_code == 200
        return len(ctx.captured_queries)

    client.get("/athletes/")
    few = count()
    users = User.objects.bulk_create([User(username=f"bulk{i}", timezone=TWELVE_ZONES[i % 12]) for i in range(60)])
    Membership.objects.bulk_create([Membership(user=u, organization=club["org"]) for u in users])
    client.get("/athletes/")  # builds the new snapshots once
    assert count() == few


def test_athletes_see_their_own_profile_link_not_the_coach_pages(client, club):
    client.force_login(club["alex"])
    html = client.get(f"/athletes/{club['alex'].public_id}/").content.decode()
    assert f'href="/athletes/{club["alex"].public_id}/"' in html
    assert 'href="/analytics/"' not in html
    forbidden = client.get("/athletes/")
    assert forbidden.status_code == 403
    assert "You don't have access to this page." in forbidden.content.decode()
    assert 'class="sidebar"' in forbidden.content.decode()  # the page keeps the site layout


def test_a_bad_filter_shows_the_apis_reason_and_the_whole_roster(client, club):
    # The page parses its filters with the API's parser (analytics.roster_params): the same rules,
    # shown as a notice instead of a 404/400 body.
    unknown = client.get("/athletes/", {"group_id": "grp_0000000000000000"}).content.decode()
    assert "Group &#x27;grp_0000000000000000&#x27; not found in this organization." in unknown
    assert rows(unknown) == ["Alex Rivera", "Bea Stone"]
    both = client.get("/athletes/", {"group_id": club["group"].public_id, "unassigned": "1"}).content.decode()
    assert "group_id and unassigned cannot be combined." in both
    assert rows(both) == ["Alex Rivera", "Bea Stone"]
    athlete_as_coach = client.get("/athletes/", {"coach_id": club["bea"].public_id}).content.decode()
    assert "coach_id is not a coach of this organization." in athlete_as_coach
    assert 'role="alert"' not in client.get("/athletes/", {"group_id": club["group"].public_id}).content.decode()


def test_a_bad_page_number_shows_page_one_with_a_notice(client, club):
    html = client.get("/athletes/", {"page": "x"}).content.decode()
    assert "Page: page must be an integer. Showing the default instead." in html
    assert rows(html) == ["Alex Rivera", "Bea Stone"]
    assert "Page: page must be at least 1." in client.get("/athletes/", {"page": "0"}).content.decode()


def test_a_deactivated_coach_is_no_coach_filter(client, club):
    # One definition of staff (organizations.selectors.staff_memberships) for the API and the page.
    other = CoachFactory()
    MembershipFactory(user=other, organization=club["org"], role="coach", active=False)
    html = client.get("/athletes/", {"coach_id": other.public_id}).content.decode()
    assert "coach_id is not a coach of this organization." in html
