"""The "Needs attention" page (/attention/): the triage queue of GET analytics/attention_queue as
a table, with a "Mark seen" form per flag, an empty state, and the coach-only sidebar link."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from analytics.models import AttentionFlag, AttentionFlagSeen
from organizations.models import Membership
from tests.access import invited_coach
from tests.factories import (
    TWELVE_ZONES,
    ActivityFactory,
    CoachFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def club():
    """Ada last ran 9 days ago (her local days are UTC's): one warning, NO_RECENT_RUN."""
    org = OrganizationFactory(name="Harbour Harriers")
    coach = CoachFactory(display_name="Cora Coach")
    MembershipFactory(user=coach, organization=org, role="coach")
    ada = UserFactory(display_name="Ada Lovelace", timezone="UTC")
    last_run = datetime.now(UTC) - timedelta(days=9)
    ActivityFactory(user=ada, start_time=last_run)  # before joining, which may build her snapshot
    MembershipFactory(user=ada, organization=org)
    return {"org": org, "coach": coach, "ada": ada, "last_run_day": last_run.date().isoformat()}


def test_the_coach_sees_the_flag_and_marks_it_seen(client, club):
    client.force_login(club["coach"])
    html = client.get("/attention/").content.decode()
    flag = AttentionFlag.objects.get(user=club["ada"])

    assert 'Needs attention <small class="muted">Harbour Harriers</small>' in html
    assert f'<a href="/athletes/{club["ada"].public_id}/">Ada Lovelace</a>' in html
    assert '<span class="flag flag-warning">warning</span>' in html
    assert f"No run in the last 9 days (last run {club['last_run_day']})" in html
    assert f'action="/attention/{flag.public_id}/seen/"' in html
    assert '<a href="/attention/" aria-current="page">Needs attention</a>' in html
    assert "1 open flag ·" in html

    response = client.post(f"/attention/{flag.public_id}/seen/", {"org_id": club["org"].public_id, "page": "1"})

    assert response.status_code == 302
    assert response["Location"] == f"/attention/?org_id={club['org'].public_id}"
    seen = AttentionFlagSeen.objects.get(flag=flag)
    assert (seen.coach, seen.severity_rank) == (club["coach"], 1)
    after = client.get(response["Location"]).content.decode()
    assert 'id="attention-empty"' in after
    assert "Nothing needs your attention" in after
    assert f"Marked seen: Ada Lovelace — No run in the last 9 days (last run {club['last_run_day']})" in after


def test_the_mark_seen_form_needs_its_csrf_token(club):
    client = Client(enforce_csrf_checks=True)
    client.force_login(club["coach"])
    client.get("/attention/")
    flag = AttentionFlag.objects.get(user=club["ada"])
    assert client.post(f"/attention/{flag.public_id}/seen/", {"org_id": club["org"].public_id}).status_code == 403
    assert not AttentionFlagSeen.objects.exists()


def test_the_sidebar_link_is_for_coaches(client, club):
    client.force_login(club["ada"])
    html = client.get(f"/athletes/{club['ada'].public_id}/").content.decode()
    assert 'href="/attention/"' not in html


def test_who_may_open_the_page_and_mark_seen(client, club):
    org_id = club["org"].public_id
    other_org, other_coach = OrganizationFactory(), CoachFactory()
    MembershipFactory(user=other_coach, organization=other_org, role="coach")
    admin = CoachFactory()
    MembershipFactory(user=admin, organization=club["org"], role="admin")
    pending = invited_coach(club["org"], admin, "pending")
    client.force_login(club["coach"])
    client.get("/attention/")  # the flag row exists from here on
    flag_id = AttentionFlag.objects.get(user=club["ada"]).public_id
    client.logout()

    anonymous = client.get("/attention/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    assert client.post(f"/attention/{flag_id}/seen/", {"org_id": org_id}).status_code == 302  # to log in
    for who in (club["ada"], other_coach, pending):
        client.force_login(who)
        page = client.get("/attention/", {"org_id": org_id})
        assert page.status_code == 403, who
        assert "Ada Lovelace" not in page.content.decode()
    client.force_login(club["ada"])
    assert client.post(f"/attention/{flag_id}/seen/", {"org_id": org_id}).status_code == 403
    client.force_login(other_coach)
    assert client.post(f"/attention/{flag_id}/seen/").status_code == 404  # their own organization
    assert not AttentionFlagSeen.objects.exists()


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/attention/?org_id=%00", 400),
        ("/attention/?org_id=org_nope", 404),
        ("/attention/flg_%00/seen/", 400),
    ],
)
def test_bad_input_is_a_clear_page(client, club, url, status):
    client.force_login(club["coach"])
    response = client.post(url) if "seen" in url else client.get(url)
    assert response.status_code == status
    assert not AttentionFlagSeen.objects.exists()


@pytest.mark.parametrize("flag_id", ["flg_nope", "flg_0123456789abcdef", "usr_0123456789abcdef"])
def test_an_unknown_flag_is_a_404_page(client, club, flag_id):
    client.force_login(club["coach"])
    response = client.post(f"/attention/{flag_id}/seen/", {"org_id": club["org"].public_id})
    assert response.status_code == 404


def test_a_bad_page_number_is_a_notice(client, club):
    client.force_login(club["coach"])
    html = client.get("/attention/", {"page": "zero"}).content.decode()
    assert "Page: " in html and "Showing the default instead." in html
    assert "Ada Lovelace" in html


def test_query_count_is_the_same_for_1_and_200_athletes_in_12_time_zones(client):
    org, coach = OrganizationFactory(), CoachFactory()
    MembershipFactory(user=coach, organization=org, role="coach")
    client.force_login(coach)

    def add_athletes(n: int, offset: int) -> None:
        users = User.objects.bulk_create(
            [
                User(username=f"paged{offset + i}", email=f"p{offset + i}@x.test", timezone=TWELVE_ZONES[i % 12])
                for i in range(n)
            ]
        )
        Membership.objects.bulk_create([Membership(user=user, organization=org) for user in users])

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            html = client.get("/attention/").content.decode()
        return len(ctx.captured_queries), html.count("No run logged yet")

    add_athletes(1, 0)
    client.get("/attention/")  # builds the snapshot
    one = count()
    add_athletes(199, 1)
    client.get("/attention/")
    assert one[1] == 1
    assert count() == (one[0], 50)  # a page of 50


def test_dates_read_in_the_coachs_zone_and_the_digest_setting_shows(client, club):
    from analytics.models import MailPreferences

    client.force_login(club["coach"])
    client.get("/attention/")  # raises Ada's flag
    flag = AttentionFlag.objects.get(user=club["ada"])
    AttentionFlag.objects.filter(pk=flag.pk).update(
        since=datetime(2026, 11, 30, 23, 30, tzinfo=UTC), worsened_at=datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
    )
    club["coach"].timezone = "Asia/Tokyo"  # UTC+9: both instants are the next day there
    club["coach"].save(update_fields=["timezone"])
    MailPreferences.objects.create(user=club["coach"], digest="weekly")

    html = client.get("/attention/").content.decode()

    assert '<time datetime="2026-11-30T23:30:00Z">1 Dec 2026</time>' in html
    assert "worse since 2 Dec" in html
    assert 'Digest mail: weekly · <a href="/notifications/#mail-settings">change</a>' in html
