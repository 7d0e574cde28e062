"""GET notifications, POST notifications/read, GET/PUT notifications/settings: a person's own
notifications (newest first, `unread` over all of them), marking them read, and the mail opt-ins."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from analytics.models import MailPreferences, Notification
from organizations.models import Membership
from organizations.services import api_key_create
from tests.access import key_client
from tests.analytics.conversation_world import RUN_START, harbour_club, post
from tests.conftest import bearer_client
from tests.factories import TWELVE_ZONES, ActivityFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/notifications"


def listing(user, **params) -> dict:
    response = bearer_client(user).get(URL, params)
    assert response.status_code == 200, response.json()
    return response.json()


@pytest.fixture
def club():
    return harbour_club()


@pytest.fixture
def chat(club):
    """Sam (the assigned coach) is notified of three comments by Alex, oldest first."""
    for text in ("one", "two", "three"):
        assert post(club["alex"], club["run"], text).status_code == 201
    return club


def test_the_list_is_newest_first_with_the_unread_count(chat):
    body = listing(chat["sam"])
    notes = list(Notification.objects.filter(recipient=chat["sam"]).order_by("-pk"))
    assert body["data"]["unread"] == 3
    assert body["data"]["items"] == [
        {
            "notification_id": note.public_id,
            "kind": "comment",
            "text": f"Alex Rivera commented on their run of 2026-11-30: {text}",
            "activity_id": chat["run"].public_id,
            "athlete_id": chat["alex"].public_id,
            "read": False,
            "created_at": note.created_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        }
        for note, text in zip(notes, ("three", "two", "one"), strict=True)
    ]
    assert body["meta"]["pagination"] == {
        "total": 3,
        "page": 1,
        "per_page": 50,
        "total_pages": 1,
        "has_next": False,
        "has_prev": False,
    }
    assert listing(chat["alex"])["data"] == {"unread": 0, "items": []}  # the author is never notified


def test_unread_counts_every_page_not_only_this_one(chat):
    body = listing(chat["sam"], per_page=1, page=2)
    assert [item["text"][-3:] for item in body["data"]["items"]] == ["two"]
    assert body["data"]["unread"] == 3
    assert body["meta"]["pagination"]["total_pages"] == 3


def test_marking_some_read_then_all(chat):
    sam = bearer_client(chat["sam"])
    ids = [item["notification_id"] for item in listing(chat["sam"])["data"]["items"]]  # three, two, one
    response = sam.post(f"{URL}/read", {"notification_ids": [ids[0], ids[2]]}, format="json")
    assert response.status_code == 200
    assert response.json()["data"] == {"unread": 1}
    items = listing(chat["sam"])["data"]["items"]
    assert [(item["text"][-5:], item["read"]) for item in items] == [("three", True), (": two", False), (": one", True)]
    # Again with one already read: nothing changes twice, still one unread.
    assert sam.post(f"{URL}/read", {"notification_ids": [ids[0]]}, format="json").json()["data"] == {"unread": 1}
    assert sam.post(f"{URL}/read", format="json").json()["data"] == {"unread": 0}  # no body: all
    assert Notification.objects.filter(recipient=chat["sam"], read_at__isnull=True).count() == 0


def test_an_empty_list_marks_nothing_and_an_empty_object_marks_all(chat):
    sam = bearer_client(chat["sam"])
    assert sam.post(f"{URL}/read", {"notification_ids": []}, format="json").json()["data"] == {"unread": 3}
    assert sam.post(f"{URL}/read", {}, format="json").json()["data"] == {"unread": 0}


def test_someone_elses_notification_is_left_alone(chat):
    post(chat["sam"], chat["run"], "reply")  # Alex's notification
    alex_note = Notification.objects.get(recipient=chat["alex"])
    response = bearer_client(chat["sam"]).post(
        f"{URL}/read", {"notification_ids": [alex_note.public_id]}, format="json"
    )
    assert response.json()["data"] == {"unread": 3}  # Sam's own three, untouched
    alex_note.refresh_from_db()
    assert alex_note.read_at is None


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"notification_ids": "ntf_0123456789abcdef"}, "NOT_A_LIST", "notification_ids"),
        ({"notification_ids": {"a": 1}}, "NOT_A_LIST", "notification_ids"),
        ({"notification_ids": None}, "NULL", "notification_ids"),
        ({"notification_ids": ["ntf_0123456789abcdef", "ntf_zz"]}, "INVALID", "notification_ids.1"),
        ({"notification_ids": ["cmt_0123456789abcdef"]}, "INVALID", "notification_ids.0"),
        ({"notification_ids": [7]}, "INVALID", "notification_ids.0"),
        ({"notification_ids": ["ntf_\x00"]}, "INVALID_CHARACTERS", "notification_ids.0"),
        ({"notification_ids": ["ntf_0123456789abcdef"] * 201}, "MAX_LENGTH", "notification_ids"),
        ({"notification_ids": ["n" * 33]}, "MAX_LENGTH", "notification_ids.0"),
    ],
)
def test_bad_ids_are_a_400_and_change_nothing(chat, body, code, field):
    response = bearer_client(chat["sam"]).post(f"{URL}/read", body, format="json")
    assert response.status_code == 400
    assert response.json()["details"] == {"code": code, "field": field}
    assert Notification.objects.filter(read_at__isnull=True).count() == 3


def test_a_bad_page_is_a_400(chat):
    for params, field in (({"page": 0}, "page"), ({"per_page": 201}, "per_page"), ({"page": "x"}, "page")):
        response = bearer_client(chat["sam"]).get(URL, params)
        assert (response.status_code, response.json()["details"]["field"]) == (400, field)


def test_a_coach_who_lost_access_no_longer_sees_what_was_said(chat):
    assert listing(chat["sam"])["data"]["unread"] == 3
    Membership.objects.filter(user=chat["sam"]).update(active=False)
    assert listing(chat["sam"])["data"] == {"unread": 0, "items": []}
    # … and sees it again if they come back (the rows were kept).
    Membership.objects.filter(user=chat["sam"]).update(active=True)
    assert listing(chat["sam"])["data"]["unread"] == 3
    # The athlete leaving the organization hides it just the same.
    Membership.objects.filter(user=chat["alex"]).update(active=False)
    assert listing(chat["sam"])["data"]["unread"] == 0


class TestWhoMayCall:
    def test_anonymous(self, chat):
        for method, path in (
            ("get", URL),
            ("post", f"{URL}/read"),
            ("get", f"{URL}/settings"),
            ("put", f"{URL}/settings"),
        ):
            response = getattr(APIClient(), method)(path, {}, format="json")
            assert (response.status_code, response.json()["details"]["code"]) == (401, "NOT_AUTHENTICATED")

    def test_api_keys_have_no_notifications(self, chat):
        secret, _ = api_key_create(organization=chat["org"], name="sync", created_by=None)
        key = key_client(secret)
        for method, path in (
            ("get", URL),
            ("post", f"{URL}/read"),
            ("get", f"{URL}/settings"),
            ("put", f"{URL}/settings"),
        ):
            response = getattr(key, method)(path, {"comment_mail": True}, format="json")
            assert (response.status_code, response.json()["details"]["code"]) == (403, "FORBIDDEN")
        assert Notification.objects.filter(read_at__isnull=True).count() == 3
        assert MailPreferences.objects.count() == 0

    def test_each_person_sees_only_their_own(self, chat):
        stranger = UserFactory()
        assert listing(stranger)["data"] == {"unread": 0, "items": []}
        assert listing(chat["jo"])["data"] == {"unread": 0, "items": []}  # another club's coach


def test_settings_default_to_off_and_are_kept(chat):
    client = bearer_client(chat["sam"])
    assert client.get(f"{URL}/settings").json()["data"] == {"comment_mail": False, "attention_digest": "off"}
    assert MailPreferences.objects.count() == 0  # reading creates nothing
    response = client.put(f"{URL}/settings", {"comment_mail": True}, format="json")
    assert response.json()["data"] == {"comment_mail": True, "attention_digest": "off"}
    response = client.put(f"{URL}/settings", {"attention_digest": "weekly", "colour": "red"}, format="json")
    assert response.json()["data"] == {"comment_mail": True, "attention_digest": "weekly"}  # unknown keys ignored
    assert client.put(f"{URL}/settings", {}, format="json").json()["data"] == {
        "comment_mail": True,
        "attention_digest": "weekly",
    }
    preferences = MailPreferences.objects.get(user=chat["sam"])
    assert (preferences.comment_mail, preferences.digest) == (True, "weekly")


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"comment_mail": "yes"}, "INVALID", "comment_mail"),
        ({"comment_mail": 1}, "INVALID", "comment_mail"),
        ({"comment_mail": "true"}, "INVALID", "comment_mail"),
        ({"comment_mail": None}, "NULL", "comment_mail"),
        ({"attention_digest": "hourly"}, "INVALID_CHOICE", "attention_digest"),
        ({"attention_digest": "off\x00"}, "INVALID_CHARACTERS", "attention_digest"),
        ({"comment_mail": True, "attention_digest": ""}, "INVALID_CHOICE", "attention_digest"),
    ],
)
def test_bad_settings_are_a_400_and_change_nothing(chat, body, code, field):
    response = bearer_client(chat["sam"]).put(f"{URL}/settings", body, format="json")
    assert response.status_code == 400
    assert response.json()["details"] == {"code": code, "field": field}
    assert MailPreferences.objects.count() == 0


def test_settings_take_json_only(chat):
    response = bearer_client(chat["sam"]).put(f"{URL}/settings", {"comment_mail": "true"})  # multipart form
    assert (response.status_code, response.json()["details"]["code"]) == (415, "UNSUPPORTED_MEDIA_TYPE")


def test_query_count_is_the_same_for_1_and_200_notifications(club):
    """Notifications about athletes in twelve zones and many activities: the same queries."""
    client = bearer_client(club["sam"])
    post(club["alex"], club["run"], "first")
    client.get(URL)  # the token's first use writes last_used_at

    def measure() -> tuple[int, int, int]:
        with CaptureQueriesContext(connection) as queries:
            body = listing_with(client, per_page=200)
        return len(queries), len(body["data"]["items"]), body["data"]["unread"]

    one = measure()
    assert one[1:] == (1, 1)
    activities = []
    for index, zone in enumerate(TWELVE_ZONES):
        athlete = UserFactory(timezone=zone)
        MembershipFactory(user=athlete, organization=club["org"], assigned_coach=club["sam"])
        activities.append(ActivityFactory(user=athlete, start_time=RUN_START - timedelta(days=index), timezone=zone))
    Notification.objects.bulk_create(
        Notification(recipient=club["sam"], kind="comment", text=f"n{n}", activity=activities[n % 12])
        for n in range(199)
    )
    assert measure() == (one[0], 200, 200)


def listing_with(client, **params) -> dict:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.json()


def test_read_state_and_time_are_stored(chat):
    before = datetime.now(UTC)
    bearer_client(chat["sam"]).post(f"{URL}/read", format="json")
    read_at = set(Notification.objects.filter(recipient=chat["sam"]).values_list("read_at", flat=True))
    assert len(read_at) == 1 and before <= read_at.pop() <= datetime.now(UTC)
