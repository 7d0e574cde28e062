"""GET/POST activities/{activity_id}/comments: a thread between the athlete and their coaches, with
the access of GET activities/{activity_id}; a comment notifies the other side (the assigned
coach first) and mails those who opted in — recipients and texts written out by hand."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics.models import Comment, MailPreferences, Notification
from astral.ids import is_public_id
from organizations.models import Membership
from tests.access import ATHLETE_READ_MATRIX, athlete_access_clients, invited_coach
from tests.analytics.conversation_world import comments_url, harbour_club, post
from tests.conftest import bearer_client
from tests.factories import (
    TWELVE_ZONES,
    ActivityFactory,
    CoachFactory,
    MembershipFactory,
)
from tests.smtp import body_of

pytestmark = pytest.mark.django_db

# 23:30 in Berlin on 30 November is 22:30Z; 00:30 on 1 December in Berlin is 23:30Z on the 30th.
LATE_START = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)


@pytest.fixture
def club():
    return harbour_club()


def inbox(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("text", flat=True))


def test_the_athletes_comment_notifies_their_assigned_coach_only(club):
    response = post(club["alex"], club["run"], "  Felt strong on the hills.\n")
    assert response.status_code == 201
    data = response.json()["data"]
    comment = Comment.objects.get()
    assert data == {
        "comment_id": comment.public_id,
        "author_id": club["alex"].public_id,
        "author_name": "Alex Rivera",
        "text": "Felt strong on the hills.",  # stripped
        "created_at": comment.created_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
    }
    assert is_public_id(data["comment_id"], "cmt")
    assert inbox(club["sam"]) == ["Alex Rivera commented on their run of 2026-11-30: Felt strong on the hills."]
    # Sam is assigned: the club's other staff are not bothered, the author never is.
    assert inbox(club["casey"]) == inbox(club["robin"]) == inbox(club["alex"]) == inbox(club["jo"]) == []
    notification = Notification.objects.get()
    assert (notification.kind, notification.activity, notification.comment, notification.read_at) == (
        "comment",
        club["run"],
        comment,
        None,
    )


def test_without_an_assigned_coach_every_active_coach_and_admin_hears(club):
    club["membership"].assigned_coach = None
    club["membership"].save()
    left = CoachFactory(display_name="Lee Left")
    MembershipFactory(user=left, organization=club["org"], role="coach", active=False)
    pending = invited_coach(club["org"], club["robin"], "pending")
    assert post(club["alex"], club["run"], "Easy one").status_code == 201
    expected = ["Alex Rivera commented on their run of 2026-11-30: Easy one"]
    assert inbox(club["sam"]) == inbox(club["casey"]) == inbox(club["robin"]) == expected
    assert inbox(left) == inbox(pending) == inbox(club["jo"]) == []


def test_an_assigned_coach_who_left_falls_back_to_the_whole_staff(club):
    Membership.objects.filter(user=club["sam"]).update(active=False)
    assert post(club["alex"], club["run"], "Anyone?").status_code == 201
    assert inbox(club["sam"]) == []
    assert len(inbox(club["casey"])) == len(inbox(club["robin"])) == 1


def test_a_coachs_comment_notifies_the_athlete_then_the_thread_grows(club):
    alex, sam, casey = club["alex"], club["sam"], club["casey"]
    assert post(sam, club["run"], "Nice pacing.").status_code == 201
    assert inbox(alex) == ["Sam Coach commented on your run of 2026-11-30: Nice pacing."]
    assert inbox(casey) == inbox(club["robin"]) == []

    # Casey joins in: the athlete and Sam (who already wrote) hear of it.
    assert post(casey, club["run"], "Agreed — keep it.").status_code == 201
    assert inbox(alex)[1] == "Casey Second commented on your run of 2026-11-30: Agreed — keep it."
    assert inbox(sam) == ["Casey Second commented on Alex Rivera's run of 2026-11-30: Agreed — keep it."]

    # The athlete answers: the assigned coach and Casey, who took part; not Robin.
    assert post(alex, club["run"], "Thanks both").status_code == 201
    assert inbox(sam)[1] == inbox(casey)[0] == "Alex Rivera commented on their run of 2026-11-30: Thanks both"
    assert inbox(club["robin"]) == []
    assert Notification.objects.count() == 5


def test_a_coach_who_lost_access_is_no_longer_notified_nor_reads_the_thread(club):
    casey = club["casey"]
    post(casey, club["run"], "First!")
    Membership.objects.filter(user=casey).update(active=False)
    post(club["alex"], club["run"], "Reply")
    assert inbox(casey) == []
    response = bearer_client(casey).get(comments_url(club["run"].public_id))
    assert (response.status_code, response.json()["details"]["code"]) == (403, "FORBIDDEN")
    assert post(casey, club["run"], "Still here?").status_code == 403
    assert Comment.objects.count() == 2


def test_the_thread_reads_oldest_first_and_pages(club):
    for index, (author, text) in enumerate(
        [(club["alex"], "one"), (club["sam"], "two"), (club["alex"], "three"), (club["casey"], "four")]
    ):
        assert post(author, club["run"], text).status_code == 201, index
    response = bearer_client(club["sam"]).get(comments_url(club["run"].public_id), {"per_page": 3})
    body = response.json()
    assert [(c["author_name"], c["text"]) for c in body["data"]] == [
        ("Alex Rivera", "one"),
        ("Sam Coach", "two"),
        ("Alex Rivera", "three"),
    ]
    assert body["meta"]["pagination"] == {
        "total": 4,
        "page": 1,
        "per_page": 3,
        "total_pages": 2,
        "has_next": True,
        "has_prev": False,
    }
    second = bearer_client(club["alex"]).get(comments_url(club["run"].public_id), {"per_page": 3, "page": 2}).json()
    assert [(c["author_id"], c["text"]) for c in second["data"]] == [(club["casey"].public_id, "four")]


def test_the_local_date_is_the_activitys_own(club):
    late = ActivityFactory(user=club["alex"], start_time=LATE_START, timezone="Europe/Berlin", sport="trail_run")
    treadmill = ActivityFactory(
        user=club["alex"], start_time=LATE_START, timezone="America/New_York", sport="treadmill"
    )
    post(club["alex"], late, "late")
    post(club["alex"], treadmill, "belt")
    assert inbox(club["sam"]) == [
        "Alex Rivera commented on their trail run of 2026-12-01: late",  # 00:30 in Berlin
        "Alex Rivera commented on their treadmill run of 2026-11-30: belt",  # 18:30 in New York
    ]


def test_line_endings_become_newlines_and_a_long_comment_is_cut_in_the_notification(club):
    text = "Line one\r\nLine two\rLine three\t(tabbed) " + "x" * 200
    response = post(club["alex"], club["run"], text)
    assert response.json()["data"]["text"] == "Line one\nLine two\nLine three\t(tabbed) " + "x" * 200
    [notification] = inbox(club["sam"])
    prefix = "Alex Rivera commented on their run of 2026-11-30: "
    excerpt = notification.removeprefix(prefix)
    # One line, 120 characters: 119 of the text (whitespace runs as one space), then "…".
    assert excerpt == ("Line one Line two Line three (tabbed) " + "x" * 200)[:119] + "…"
    assert len(excerpt) == 120


def test_exactly_2000_characters_is_accepted(club):
    assert post(club["alex"], club["run"], "y" * 2000).status_code == 201


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"text": ""}, 400, "BLANK", "text"),
        ({"text": "  \n\t \r\n"}, 400, "BLANK", "text"),
        ({"text": "z" * 2001}, 400, "MAX_LENGTH", "text"),
        ({"text": "  " + "z" * 2001}, 400, "MAX_LENGTH", "text"),
        ({"text": "before\x00after"}, 400, "INVALID_CHARACTERS", "text"),
        ({"text": "colour \x1b[31m red"}, 400, "INVALID_CHARACTERS", "text"),
        ({"text": "next line\x85"}, 400, "INVALID_CHARACTERS", "text"),
        ({"text": 123}, 400, "INVALID", "text"),
        ({"text": ["a"]}, 400, "INVALID", "text"),
        ({"text": None}, 400, "NULL", "text"),
        ({}, 400, "REQUIRED", "text"),
    ],
)
def test_bad_text_is_a_400_and_stores_nothing(club, body, status, code, field):
    response = bearer_client(club["alex"]).post(comments_url(club["run"].public_id), body, format="json")
    assert response.status_code == status
    assert response.json()["details"] == {"code": code, "field": field}
    assert Comment.objects.count() == Notification.objects.count() == 0


def test_messages_name_the_rule(club):
    too_long = post(club["alex"], club["run"], "z" * 2001).json()
    assert too_long["error"] == "A comment may have at most 2000 characters (this one has 2001)."
    assert post(club["alex"], club["run"], " ").json()["error"] == "The comment is empty."


def test_a_form_body_is_refused_as_unsupported(club):
    response = bearer_client(club["alex"]).post(comments_url(club["run"].public_id), {"text": "form"})
    assert (response.status_code, response.json()["details"]["code"]) == (415, "UNSUPPORTED_MEDIA_TYPE")
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    "activity_id", ["act_nothex", "act_0000000000000000", "ACT_0123456789ABCDEF", "usr_0123456789abcdef", "x" * 300]
)
def test_malformed_and_unknown_activity_ids_are_404(club, activity_id):
    client = bearer_client(club["alex"])
    for response in (
        client.get(comments_url(activity_id)),
        client.post(comments_url(activity_id), {"text": "hi"}, format="json"),
    ):
        assert (response.status_code, response.json()["details"]["code"]) == (404, "ACTIVITY_NOT_FOUND")
    assert Comment.objects.count() == 0


def test_a_malformed_id_costs_no_activity_query(club):
    client = bearer_client(club["alex"])
    client.get(comments_url(club["run"].public_id))  # the token's first use writes last_used_at
    with CaptureQueriesContext(connection) as queries:
        assert client.get(comments_url("act_zz")).status_code == 404
    assert not any("act_zz" in query["sql"] for query in queries)


class TestAccess:
    @pytest.fixture
    def clients(self, club):
        post(club["alex"], club["run"], "Baseline")
        return athlete_access_clients(club["alex"])

    @pytest.mark.parametrize(("who", "status"), ATHLETE_READ_MATRIX)
    def test_reading_the_thread(self, club, clients, who, status):
        response = clients[who].get(comments_url(club["run"].public_id))
        assert response.status_code == status
        if status == 200:
            assert [c["text"] for c in response.json()["data"]] == ["Baseline"]
        else:
            assert "error" in response.json() and "details" in response.json()

    # Writing: the athlete's coaches only; every API key is refused, its own organization's too.
    POST_MATRIX = [(who, 403 if "key" in who else status) for who, status in ATHLETE_READ_MATRIX]

    @pytest.mark.parametrize(("who", "status"), [(w, 201 if s == 200 else s) for w, s in POST_MATRIX])
    def test_writing_in_the_thread(self, club, clients, who, status):
        response = clients[who].post(comments_url(club["run"].public_id), {"text": "Me too"}, format="json")
        assert response.status_code == status
        assert Comment.objects.count() == (2 if status == 201 else 1)
        if status != 201:
            assert response.json()["details"]["code"] in ("FORBIDDEN", "NOT_AUTHENTICATED")

    def test_the_organizations_key_reads_but_never_writes(self, club, clients):
        key = clients["their organization's key"]
        assert key.get(comments_url(club["run"].public_id)).status_code == 200
        response = key.post(comments_url(club["run"].public_id), {"text": "bot"}, format="json")
        assert response.status_code == 403
        assert response.json() == {
            "error": "This endpoint needs a user's access token; API keys cannot use it.",
            "details": {"code": "FORBIDDEN"},
        }


def test_mail_goes_only_to_recipients_who_opted_in(club, mailbox, django_capture_on_commit_callbacks):
    club["membership"].assigned_coach = None
    club["membership"].save()
    MailPreferences.objects.create(user=club["sam"], comment_mail=True)
    MailPreferences.objects.create(user=club["casey"], comment_mail=False)  # Robin never chose: off
    MailPreferences.objects.create(user=club["alex"], comment_mail=True)  # the author: never mailed
    with django_capture_on_commit_callbacks(execute=True):
        response = post(club["alex"], club["run"], "Hill repeats done.\nLegs heavy.")
    comment_id = response.json()["data"]["comment_id"]
    [message] = mailbox.wait_for(1)
    assert message["To"] == club["sam"].email
    assert message["Subject"] == "Alex Rivera commented on their run of 2026-11-30"
    link = f"http://127.0.0.1:8000/athletes/{club['alex'].public_id}/activities/{club['run'].public_id}/#{comment_id}"
    assert body_of(message).replace("\r\n", "\n") == (  # SMTP lines end in CRLF
        "Alex Rivera commented on their run of 2026-11-30:\n\nHill repeats done.\nLegs heavy.\n\n"
        f"Open the thread: {link}\n\n"
        "You get this mail because comment mail is on in your notification settings; turn it off at "
        "http://127.0.0.1:8000/notifications/\n"
    )
    assert len(mailbox.delivered()) == 1  # Casey (off), Robin (never chose) and Alex (author): none
    assert Notification.objects.count() == 3  # yet all three staff were notified


def test_the_athlete_is_mailed_a_coachs_comment_when_opted_in(club, mailbox, django_capture_on_commit_callbacks):
    MailPreferences.objects.create(user=club["alex"], comment_mail=True)
    with django_capture_on_commit_callbacks(execute=True):
        post(club["sam"], club["run"], "Great run")
    [message] = mailbox.wait_for(1)
    assert (message["To"], message["Subject"]) == (club["alex"].email, "Sam Coach commented on your run of 2026-11-30")


def test_a_rejected_comment_mails_nothing(club, mailbox, django_capture_on_commit_callbacks):
    MailPreferences.objects.create(user=club["sam"], comment_mail=True)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert post(club["alex"], club["run"], "").status_code == 400
    assert callbacks == []
    assert mailbox.delivered() == []


def test_query_count_is_the_same_for_1_and_200_comments(club):
    client = bearer_client(club["sam"])
    url = comments_url(club["run"].public_id)
    post(club["alex"], club["run"], "first")
    client.get(url)  # the token's first use writes last_used_at

    def measure() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"per_page": 200})
        assert response.status_code == 200
        return len(queries), len(response.json()["data"])

    one = measure()
    authors = [club["alex"], club["sam"], club["casey"], club["robin"]]
    for zone in TWELVE_ZONES:  # authors in many zones: nothing per author or per zone is queried
        someone = CoachFactory(timezone=zone)
        MembershipFactory(user=someone, organization=club["org"], role="coach")
        authors.append(someone)
    Comment.objects.bulk_create(
        Comment(activity=club["run"], author=authors[n % len(authors)], text=f"comment {n}") for n in range(199)
    )
    assert one == (measure()[0], 1)
    assert measure() == (one[0], 200)


def test_posting_costs_a_bounded_number_of_queries(club):
    """Recipients, preferences and notifications in bulk: the same cost for 1 and 12 recipients."""
    client = bearer_client(club["alex"])
    client.get(comments_url(club["run"].public_id))

    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.post(comments_url(club["run"].public_id), {"text": "hi"}, format="json").status_code == 201
        return len(queries)

    one = measure()
    club["membership"].assigned_coach = None
    club["membership"].save()
    for zone in TWELVE_ZONES:
        MembershipFactory(user=CoachFactory(timezone=zone), organization=club["org"], role="coach")
    many = measure()
    assert Notification.objects.filter(comment__text="hi").count() == 1 + 3 + 12
    assert many == one
