"""The activity page (/athletes/<user_id>/activities/<activity_id>/): the run's key numbers and its
comment thread, for the athlete and their coaches; a comment is a CSRF POST that redirects back.
The profile and the calendar link to it."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from analytics.models import Comment, Notification
from organizations.models import Membership
from tests.access import invited_coach
from tests.analytics.conversation_world import harbour_club, post
from tests.factories import TWELVE_ZONES, ActivityFactory, CoachFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def club():
    world = harbour_club()
    world["run"].avg_heart_rate, world["run"].training_load = 152, 87.4
    world["run"].save()
    return world


def page_url(club) -> str:
    return f"/athletes/{club['alex'].public_id}/activities/{club['run'].public_id}/"


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_athlete_sees_the_runs_numbers_and_the_thread(client, club):
    post(club["sam"], club["run"], "Nice pacing.\nKeep the cadence.")
    client.force_login(club["alex"])
    response = client.get(page_url(club))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alex Rivera: run of 2026-11-30" in html
    text = text_of(html)
    # 10 000 m in 3000 s: 10.0 km, 50:00, 5:00/km; 07:00 in Berlin.
    assert "Started 07:00 2026-11-30 · Europe/Berlin" in text
    assert "Distance 10.0 km" in text and "Moving time 50:00" in text and "Pace 5:00/km" in text
    assert "Heart rate 152" in text and "Load 87" in text
    comment = Comment.objects.get()
    assert f'id="{comment.public_id}"' in html
    assert "<strong>Sam Coach</strong>" in html
    assert "Nice pacing.<br>Keep the cadence." in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_imperial_viewers_read_miles(client, club):
    viewer = club["sam"]
    viewer.unit_system = "imperial"
    viewer.save()
    client.force_login(viewer)
    text = text_of(client.get(page_url(club)).content.decode())
    assert "Distance 6.2 mi" in text and "Pace 8:03/mi" in text  # 10 km; 300 s/km × 1.609344 = 483 s


def test_posting_a_comment_redirects_to_it_and_notifies_the_coach(client, club):
    client.force_login(club["alex"])
    response = client.post(page_url(club), {"text": "Legs felt heavy\r\non the hills"})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{page_url(club)}#{comment.public_id}"
    assert (comment.author, comment.text) == (club["alex"], "Legs felt heavy\non the hills")
    assert list(Notification.objects.values_list("recipient", "text")) == [
        (club["sam"].pk, "Alex Rivera commented on their run of 2026-11-30: Legs felt heavy on the hills")
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "The comment is empty."),
        ("z" * 2001, "A comment may have at most 2000 characters (this one has 2001)."),
        ("nul\x00byte", "text contains a control character (U+0000)."),
        ("bell\x07", "text contains a control character (U+0007)."),
    ],
)
def test_bad_text_shows_the_reason_and_keeps_nothing(client, club, text, message):
    client.force_login(club["alex"])
    response = client.post(page_url(club), {"text": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<p class="error" role="alert" id="comment-error">{message}</p>' in html
    assert Comment.objects.count() == Notification.objects.count() == 0


def test_the_form_needs_its_csrf_token(club):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(club["alex"])
    assert browser.post(page_url(club), {"text": "no token"}).status_code == 403
    assert Comment.objects.count() == 0


def test_opening_the_page_reads_its_notifications(client, club):
    other_run = ActivityFactory(user=club["alex"], start_time=club["run"].start_time.replace(day=29))
    post(club["alex"], club["run"], "one")
    post(club["alex"], club["run"], "two")
    post(club["alex"], other_run, "elsewhere")
    client.force_login(club["sam"])
    assert (
        '<span class="badge unread-count" aria-label="3 unread">3</span>'
        in client.get("/notifications/").content.decode()
    )
    html = client.get(page_url(club)).content.decode()
    # This run's two are read by opening it; the other run's one is still waiting.
    assert '<span class="badge unread-count" aria-label="1 unread">1</span>' in html
    assert Notification.objects.filter(recipient=club["sam"], read_at__isnull=True).count() == 1


class TestAccess:
    def test_the_coaches_of_the_athlete(self, client, club):
        for coach in (club["sam"], club["casey"], club["robin"]):
            client.force_login(coach)
            assert client.get(page_url(club)).status_code == 200
            assert client.post(page_url(club), {"text": f"from {coach.display_name}"}).status_code == 302
        assert Comment.objects.count() == 3

    def test_anonymous_goes_to_the_login(self, client, club):
        response = client.get(page_url(club))
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        assert client.post(page_url(club), {"text": "x"}).status_code == 302
        assert Comment.objects.count() == 0

    def test_outsiders_get_the_refusal_page(self, client, club):
        left = CoachFactory()
        MembershipFactory(user=left, organization=club["org"], role="coach", active=False)
        outsiders = {
            "another athlete": UserFactory(),
            "another organization's coach": club["jo"],
            "a coach not yet accepted": invited_coach(club["org"], club["robin"], "pending"),
            "a coach whose membership ended": left,
        }
        for who, person in outsiders.items():
            client.force_login(person)
            assert client.get(page_url(club)).status_code == 403, who
            assert client.post(page_url(club), {"text": "let me in"}).status_code == 403, who
        assert Comment.objects.count() == 0

    def test_a_coach_who_leaves_loses_the_thread(self, client, club):
        client.force_login(club["casey"])
        assert client.get(page_url(club)).status_code == 200
        Membership.objects.filter(user=club["casey"]).update(active=False)
        assert client.get(page_url(club)).status_code == 403

    def test_ids_that_do_not_match_are_404(self, client, club):
        client.force_login(club["sam"])
        someone_else = UserFactory()
        MembershipFactory(user=someone_else, organization=club["org"])
        alex, run = club["alex"].public_id, club["run"].public_id
        for url in (
            f"/athletes/{someone_else.public_id}/activities/{run}/",  # a run under the wrong athlete
            f"/athletes/{alex}/activities/act_0000000000000000/",
            f"/athletes/{alex}/activities/act_zz/",
            "/athletes/usr_zz/activities/act_zz/",
        ):
            assert client.get(url).status_code == 404, url

    def test_hostile_input(self, client, club):
        client.force_login(club["sam"])
        alex = club["alex"].public_id
        response = client.get(f"/athletes/{alex}/activities/act_%00/")
        assert response.status_code == 400
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/athletes/{alex}/activities/act_zz/").status_code == 404
        assert not any("act_zz" in query["sql"] for query in queries)


def test_the_profile_and_the_calendar_link_to_the_page(client, club):
    client.force_login(club["sam"])
    href = f'href="{page_url(club)}"'
    assert href in client.get(f"/athletes/{club['alex'].public_id}/").content.decode()
    calendar = client.get(f"/athletes/{club['alex'].public_id}/calendar/", {"month": "2026-11"}).content.decode()
    assert href in calendar


def test_queries_do_not_grow_with_comments(client, club):
    client.force_login(club["sam"])
    post(club["alex"], club["run"], "first")
    client.get(page_url(club))

    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page_url(club))
        assert response.status_code == 200
        return len(queries)

    one = measure()
    authors = [club["alex"], club["sam"], club["casey"]]
    for zone in TWELVE_ZONES:
        coach = CoachFactory(timezone=zone)
        MembershipFactory(user=coach, organization=club["org"], role="coach")
        authors.append(coach)
    Comment.objects.bulk_create(
        Comment(activity=club["run"], author=authors[n % len(authors)], text=f"c{n}") for n in range(199)
    )
    assert measure() == one
    html = client.get(page_url(club)).content.decode()
    assert html.count('<li class="comment') == 200
    Comment.objects.bulk_create(Comment(activity=club["run"], author=club["alex"], text="more") for _ in range(5))
    assert measure() == one
    html = client.get(page_url(club)).content.decode()
    assert html.count('<li class="comment') == 200  # the newest 200 of 205
    assert "5 earlier comments not shown" in html
    assert '<p class="comment-text">first</p>' not in html  # the oldest is among the five
