"""The notifications page (/notifications/): the list linking to each activity's page, "Mark all
read", the mail settings form; and the sidebar's unread count on every page (one query)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics.models import MailPreferences, Notification
from organizations.models import Membership
from tests.analytics.conversation_world import RUN_START, harbour_club, post
from tests.factories import TWELVE_ZONES, ActivityFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
BADGE = re.compile(r'<span class="badge unread-count" aria-label="(\d+) unread">(\d+\+?)</span>')


@pytest.fixture
def club():
    return harbour_club()


def badge(html: str) -> int | None:
    """The sidebar's unread count (its label; it shows 99+ beyond 99)."""
    match = BADGE.search(html)
    if match and match.group(2) != "99+":
        assert match.group(1) == match.group(2)
    return int(match.group(1)) if match else None


def test_the_list_links_each_notification_to_its_activity(client, club):
    post(club["alex"], club["run"], "Felt strong")
    post(club["alex"], club["run"], "Also: new shoes")
    client.force_login(club["sam"])
    html = client.get("/notifications/").content.decode()
    link = f"/athletes/{club['alex'].public_id}/activities/{club['run'].public_id}/"
    items = re.findall(
        r'<li class="notification unread" data-read="false" id="(ntf_\w+)">\s*<a href="([^"]+)">([^<]+)</a>', html
    )
    newest, oldest = Notification.objects.order_by("-pk")
    assert items == [
        (newest.public_id, link, "Alex Rivera commented on their run of 2026-11-30: Also: new shoes"),
        (oldest.public_id, link, "Alex Rivera commented on their run of 2026-11-30: Felt strong"),
    ]
    assert badge(html) == 2


def test_mark_all_read(client, club):
    post(club["alex"], club["run"], "one")
    post(club["alex"], club["run"], "two")
    client.force_login(club["sam"])
    response = client.post("/notifications/read/", follow=True)
    assert response.redirect_chain == [("/notifications/", 302)]
    html = response.content.decode()
    assert "Marked 2 notifications read." in html
    assert badge(html) is None
    assert html.count('data-read="true"') == 2
    assert client.get("/notifications/read/").status_code == 405  # a POST only


def test_the_settings_form_for_a_coach(client, club):
    client.force_login(club["sam"])
    html = client.get("/notifications/").content.decode()
    assert 'id="comment-mail"' in html and 'id="attention-digest"' in html
    response = client.post("/notifications/settings/", {"comment_mail": "on", "attention_digest": "daily"}, follow=True)
    assert "Mail settings saved." in response.content.decode()
    assert MailPreferences.objects.filter(user=club["sam"]).values_list("comment_mail", "digest").get() == (
        True,
        "daily",
    )
    html = client.get("/notifications/").content.decode()
    assert 'name="comment_mail" id="comment-mail" checked' in html
    assert '<option value="daily" selected>' in html
    client.post("/notifications/settings/", {"attention_digest": "off"})  # the box unticked
    assert MailPreferences.objects.filter(user=club["sam"]).values_list("comment_mail", "digest").get() == (
        False,
        "off",
    )


def test_a_bad_digest_is_a_message_and_changes_nothing(client, club):
    client.force_login(club["sam"])
    response = client.post(
        "/notifications/settings/", {"comment_mail": "on", "attention_digest": "hourly"}, follow=True
    )
    assert "attention_digest must be one of off, daily, weekly." in response.content.decode()
    assert MailPreferences.objects.count() == 0


def test_an_athlete_has_no_digest(client, club):
    client.force_login(club["alex"])
    assert 'id="attention-digest"' not in client.get("/notifications/").content.decode()
    client.post("/notifications/settings/", {"comment_mail": "on", "attention_digest": "daily"})
    assert MailPreferences.objects.values_list("comment_mail", "digest").get() == (True, "off")


def test_anonymous_goes_to_the_login(client):
    for url in ("/notifications/",):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    for url in ("/notifications/read/", "/notifications/settings/"):
        assert client.post(url).status_code == 302
    assert MailPreferences.objects.count() == 0


def test_a_bad_page_shows_a_notice(client, club):
    client.force_login(club["sam"])
    html = client.get("/notifications/", {"page": "0"}).content.decode()
    assert "Page: page must be at least 1. Showing the default instead." in html


def test_a_coach_who_left_sees_nothing_of_the_thread(client, club):
    post(club["alex"], club["run"], "private")
    Membership.objects.filter(user=club["sam"]).update(active=False)
    client.force_login(club["sam"])
    html = client.get("/notifications/").content.decode()
    assert "private" not in html and badge(html) is None
    assert 'id="no-notifications"' in html


def test_the_sidebar_count_is_one_query_on_any_page(client, club):
    post(club["alex"], club["run"], "hello")
    client.force_login(club["sam"])
    for url in ("/athletes/", f"/athletes/{club['alex'].public_id}/", "/invitations/", "/notifications/"):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        assert badge(html) == 1, url
        counts = [q["sql"] for q in queries if "COUNT(" in q["sql"] and "analytics_notification" in q["sql"]]
        expected = 2 if url == "/notifications/" else 1  # the list's own pagination count, on its page
        assert len(counts) == expected, (url, counts)


def test_the_sidebar_count_costs_no_query_for_the_login_page(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/accounts/login/").status_code == 200
    assert not any("analytics_notification" in q["sql"] for q in queries)


def test_queries_do_not_grow_with_notifications(client, club):
    post(club["alex"], club["run"], "first")
    client.force_login(club["sam"])
    client.get("/notifications/")

    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/notifications/", {"per_page": 200}).status_code == 200
        return len(queries)

    one = measure()
    activities = []
    for index, zone in enumerate(TWELVE_ZONES):
        athlete = UserFactory(timezone=zone)
        MembershipFactory(user=athlete, organization=club["org"], assigned_coach=club["sam"])
        activities.append(ActivityFactory(user=athlete, start_time=RUN_START - timedelta(days=index), timezone=zone))
    Notification.objects.bulk_create(
        Notification(recipient=club["sam"], kind="comment", text=f"n{n}", activity=activities[n % 12])
        for n in range(199)
    )
    assert measure() == one
    html = client.get("/notifications/", {"per_page": 200}).content.decode()
    assert html.count('<li class="notification') == 200
    assert badge(html) == 200
    assert '<span class="badge unread-count" aria-label="200 unread">99+</span>' in html


def test_times_read_in_the_viewers_own_zone(client, club):
    from datetime import UTC, datetime

    post(club["alex"], club["run"], "Felt strong")
    Notification.objects.update(created_at=datetime(2026, 12, 4, 23, 5, tzinfo=UTC))
    coach = club["sam"]
    client.force_login(coach)
    coach.timezone = "America/New_York"
    coach.save(update_fields=["timezone"])
    html = client.get("/notifications/").content.decode()
    assert '<time datetime="2026-12-04T23:05:00Z">2026-12-04 18:05 EST</time>' in html  # UTC−5 in December
    coach.timezone = ""
    coach.save(update_fields=["timezone"])
    assert (
        '<time datetime="2026-12-04T23:05:00Z">2026-12-04 23:05 UTC</time>'
        in client.get("/notifications/").content.decode()
    )
