"""The coaches' triage digest (analytics.services.attention_digest, the hourly
analytics.digest_tasks.send_attention_digests): at 07:00 in the coach's zone, daily or on Mondays,
the flags of their athletes opened or worsened since the last digest and not set aside — through
a real SMTP server. Times worked out by hand in the comments."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics.digest_tasks import send_attention_digests
from analytics.models import AttentionFlag, AttentionFlagSeen, MailPreferences
from analytics.services.attention_digest import attention_digests_send, digest_due, digest_slot
from analytics.services.attention_flags import attention_flags_sync
from tests.factories import CoachFactory, MembershipFactory, OrganizationFactory, UserFactory
from tests.smtp import body_of as smtp_body

TOKYO, BERLIN, KATHMANDU = ZoneInfo("Asia/Tokyo"), ZoneInfo("Europe/Berlin"), ZoneInfo("Asia/Kathmandu")
# 2026-03-10 is a Tuesday; Berlin is UTC+1 then (summer time starts 03-29): 07:00 there is 06:00 UTC.
RUN = datetime(2026, 3, 10, 6, 17, tzinfo=UTC)  # the hourly run at :17 → 07:17 in Berlin


def body_of(message) -> str:
    return smtp_body(message).replace("\r\n", "\n")  # SMTP's line ends


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


# --- when a digest is due (pure) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "now", "zone", "sent_at", "due"),
    [
        # Tokyo is UTC+9: 2026-03-09 22:17 UTC is 03-10 07:17 there, its first run after 07:00.
        ("daily", utc(9, 22, 17), TOKYO, None, True),
        ("daily", utc(9, 21, 17), TOKYO, None, False),  # 06:17 in Tokyo
        ("daily", utc(9, 23, 17), TOKYO, None, False),  # 08:17: a first digest waits for tomorrow's 07:00
        ("daily", utc(9, 23, 17), TOKYO, utc(8, 22, 17), True),  # yesterday's was sent: today's hour was missed
        ("daily", utc(9, 23, 17), TOKYO, utc(9, 22, 17), False),  # today's went out an hour ago
        # Kathmandu is UTC+5:45: 07:00 there is 01:15 UTC, so the 01:17 run is 07:02 local.
        ("daily", utc(10, 1, 17), KATHMANDU, None, True),
        ("daily", utc(10, 0, 17), KATHMANDU, None, False),
        # Weekly: Monday 2026-03-09 07:00 Tokyo is 03-08 22:00 UTC.
        ("weekly", utc(8, 22, 17), TOKYO, None, True),
        ("weekly", utc(9, 22, 17), TOKYO, None, False),  # Tuesday in Tokyo
        ("weekly", utc(9, 22, 17), TOKYO, utc(1, 22, 17), True),  # last week's sent, Monday's missed
        ("weekly", utc(9, 22, 17), TOKYO, utc(8, 22, 17), False),
        ("off", utc(9, 22, 17), TOKYO, None, False),
    ],
)
def test_when_a_digest_is_due(frequency, now, zone, sent_at, due):
    assert digest_due(frequency, now, zone, sent_at) is due


def test_the_slot_is_7_local_on_the_day_or_the_monday():
    assert digest_slot("daily", utc(10, 6, 17), BERLIN) == datetime(2026, 3, 10, 7, tzinfo=BERLIN)
    assert digest_slot("daily", utc(10, 5, 17), BERLIN) == datetime(2026, 3, 9, 7, tzinfo=BERLIN)
    assert digest_slot("weekly", utc(12, 6, 17), BERLIN) == datetime(2026, 3, 9, 7, tzinfo=BERLIN)
    assert digest_slot("weekly", utc(9, 5, 17), BERLIN) == datetime(2026, 3, 2, 7, tzinfo=BERLIN)


# --- the mail ---------------------------------------------------------------------------------------


def warning(code: str, message: str) -> dict:
    return {"code": code, "severity": "warning", "message": message, "value": 9.0, "previous": None}


HRV_WARNING = {
    "code": "HRV_DROP",
    "severity": "warning",
    "message": "HRV … down 12.0 %",
    "value": 61.6,
    "previous": 70.0,
}
HRV_CRITICAL = {
    "code": "HRV_DROP",
    "severity": "critical",
    "message": "HRV 7-day average 55 ms, down 21.4 % from 70 ms",
    "value": 55.0,
    "previous": 70.0,
}
NO_RUN = warning("NO_RECENT_RUN", "No run in the last 9 days (last run 2026-03-01)")


@pytest.fixture
def club(db):
    """Cora coaches Harbour Harriers from Berlin, with a daily digest. Flags (UTC):
    Ada HRV warning 03-05, critical 03-10 05:00 → listed, worse; Ben no run 03-09 20:00 → listed;
    Cid no run since 03-05 → older than the day; Dee HRV 03-09 21:00, seen by Cora at 22:00 →
    hidden; Fay no run 03-09 20:00, closed 03-10 01:00; Eve (another club) no run 03-09 20:00."""
    org, other = OrganizationFactory(name="Harbour Harriers"), OrganizationFactory(name="Elsewhere AC")
    cora = CoachFactory(display_name="Cora Coach", email="cora@example.com", timezone="Europe/Berlin")
    MembershipFactory(user=cora, organization=org, role="coach")
    people = {name: UserFactory(display_name=name) for name in ("Ada", "Ben", "Cid", "Dee", "Fay", "Eve")}
    for name, athlete in people.items():
        MembershipFactory(user=athlete, organization=other if name == "Eve" else org)
    pk = {name: athlete.pk for name, athlete in people.items()}
    attention_flags_sync(flags_by_user={pk["Ada"]: [HRV_WARNING], pk["Cid"]: [NO_RUN]}, now=utc(5, 12))
    attention_flags_sync(flags_by_user={pk[n]: [NO_RUN] for n in ("Ben", "Fay", "Eve")}, now=utc(9, 20))
    attention_flags_sync(flags_by_user={pk["Dee"]: [HRV_WARNING]}, now=utc(9, 21))
    AttentionFlagSeen.objects.create(
        flag=AttentionFlag.objects.get(user=people["Dee"]), coach=cora, severity_rank=1, seen_at=utc(9, 22)
    )
    attention_flags_sync(flags_by_user={pk["Fay"]: []}, now=utc(10, 1))
    attention_flags_sync(flags_by_user={pk["Ada"]: [HRV_CRITICAL]}, now=utc(10, 5))
    preferences = MailPreferences.objects.create(user=cora, digest="daily")
    return {"org": org, "cora": cora, "preferences": preferences, **people}


def send(now, django_capture_on_commit_callbacks) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return attention_digests_send(now=now)


def test_the_daily_digest_lists_what_is_new_and_not_set_aside(club, mailbox, django_capture_on_commit_callbacks):
    assert send(RUN, django_capture_on_commit_callbacks) == 1

    [message] = mailbox.wait_for(1)
    assert message["To"] == "cora@example.com"
    assert message["Subject"] == "Needs attention: 2 new flags"
    assert body_of(message) == (
        "Hello Cora Coach,\n"
        "\n"
        "New or worse since your last digest:\n"
        "\n"
        "Harbour Harriers\n"
        "- Ada: critical (worse), HRV 7-day average 55 ms, down 21.4 % from 70 ms\n"
        "- Ben: warning, No run in the last 9 days (last run 2026-03-01)\n"
        f"  Open the queue: http://127.0.0.1:8000/attention/?org_id={club['org'].public_id}\n"
        "\n"
        "You get this mail because you asked for a triage digest; change it in your mail settings.\n"
    )
    club["preferences"].refresh_from_db()
    assert club["preferences"].digest_sent_at == RUN


def test_a_digest_goes_once_and_nothing_new_sends_nothing_but_moves_on(
    club, mailbox, django_capture_on_commit_callbacks
):
    assert send(RUN, django_capture_on_commit_callbacks) == 1
    assert send(RUN + timedelta(hours=1), django_capture_on_commit_callbacks) == 0  # not due again today
    tomorrow = RUN + timedelta(days=1)
    assert send(tomorrow, django_capture_on_commit_callbacks) == 0  # due, but nothing new
    club["preferences"].refresh_from_db()
    assert club["preferences"].digest_sent_at == tomorrow
    # Something new the day after: only that.
    attention_flags_sync(flags_by_user={club["Cid"].pk: [NO_RUN, HRV_WARNING]}, now=tomorrow + timedelta(hours=3))
    assert send(RUN + timedelta(days=2), django_capture_on_commit_callbacks) == 1
    messages = mailbox.wait_for(2)
    assert [m["Subject"] for m in messages] == ["Needs attention: 2 new flags", "Needs attention: 1 new flag"]
    assert "- Cid: warning, HRV … down 12.0 %\n" in body_of(messages[1])
    assert "Ben" not in body_of(messages[1])


def test_a_weekly_digest_waits_for_monday_and_covers_the_week(club, mailbox, django_capture_on_commit_callbacks):
    club["preferences"].digest = "weekly"
    club["preferences"].save()
    assert send(RUN, django_capture_on_commit_callbacks) == 0  # a Tuesday
    monday = RUN + timedelta(days=6)  # 2026-03-16 07:17 in Berlin
    assert send(monday, django_capture_on_commit_callbacks) == 1
    body = body_of(mailbox.wait_for(1)[0])
    # The week back from Monday: Ada, Ben (and Cid's flag of 03-05 12:00 is 10 days old).
    assert "- Ada: critical (worse)" in body and "- Ben: warning" in body and "Cid" not in body


def test_a_coach_who_is_not_subscribed_gets_nothing(club, mailbox, django_capture_on_commit_callbacks):
    club["preferences"].digest = "off"
    club["preferences"].save()
    assert send(RUN, django_capture_on_commit_callbacks) == 0
    assert mailbox.delivered() == []
    club["preferences"].refresh_from_db()
    assert club["preferences"].digest_sent_at is None


def test_the_task_runs_the_service(club, monkeypatch, django_capture_on_commit_callbacks):
    from analytics import digest_tasks

    monkeypatch.setattr(digest_tasks, "datetime", type("Clock", (), {"now": staticmethod(lambda tz: RUN)}))
    with django_capture_on_commit_callbacks(execute=False):
        assert send_attention_digests.apply().get() == 1


@pytest.mark.django_db
def test_query_count_is_the_same_for_1_and_30_coaches_in_12_time_zones(django_capture_on_commit_callbacks):
    from tests.factories import TWELVE_ZONES

    def coaches(n: int, offset: int):
        for i in range(n):
            org = OrganizationFactory()
            coach = CoachFactory(timezone=TWELVE_ZONES[i % 12])
            MembershipFactory(user=coach, organization=org, role="coach")
            athlete = UserFactory()
            MembershipFactory(user=athlete, organization=org)
            attention_flags_sync(flags_by_user={athlete.pk: [NO_RUN]}, now=utc(9, 12))
            # sent a day before, so each is due at its own 07:00 slot before `now`
            MailPreferences.objects.create(user=coach, digest="daily", digest_sent_at=utc(8, 12))

    def count(now) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx, django_capture_on_commit_callbacks(execute=False):
            sent = attention_digests_send(now=now)
        return len(ctx.captured_queries), sent

    coaches(1, 0)
    one = count(utc(10, 23))  # every zone of TWELVE_ZONES is past 07:00 of a day after 03-08 12:00
    MailPreferences.objects.update(digest_sent_at=utc(8, 12))
    coaches(29, 1)
    assert one[1] == 1
    assert count(utc(10, 23)) == (one[0], 30)
