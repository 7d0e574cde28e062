"""GET analytics/attention_queue and POST analytics/attention_queue/{flag_id}/seen: the triage
queue of an organization's athletes, and each coach's memory of what they set aside.

Athletes in UTC; the queue's clock is pinned to NOW (Tuesday 2026-03-10 12:00 UTC), and every
expected message and value below is worked out by hand from the runs and HRV the test stores."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from analytics.api import attention_views
from analytics.models import AttentionFlag, AttentionFlagSeen, DailyWellness
from analytics.services.snapshots import athlete_snapshots_refresh
from organizations.models import Membership
from organizations.services import api_key_create
from tests.access import invited_coach, key_client
from tests.conftest import bearer_client
from tests.factories import (
    TWELVE_ZONES,
    ActivityFactory,
    CoachFactory,
    DailyWellnessFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/analytics/attention_queue"
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
TODAY = NOW.date()


def seen_url(flag_id: str) -> str:
    return f"{URL}/{flag_id}/seen"


@pytest.fixture
def clock(monkeypatch):
    """The queue's "now", moved by setting clock.now."""

    class Clock:
        now = NOW

    monkeypatch.setattr(attention_views, "attention_now", lambda: Clock.now)
    return Clock


def hrv_day(athlete, days_ago: int, value: float):
    return DailyWellnessFactory(
        user=athlete, date=TODAY - timedelta(days=days_ago), hrv=value, vo2_max=None, recovery_score=None
    )


def data_changed(athlete) -> None:
    """What accounts.services.user_data_changed does to the snapshot: it is stale from now on."""
    User.objects.filter(pk=athlete.pk).update(data_version=F("data_version") + 1)


@pytest.fixture
def club(clock):
    """Ada: last run 9 days ago (2026-03-01), HRV 70 ms on 03-02 and 55 ms today: NO_RECENT_RUN
    and HRV_DROP (55 − 70) / 70 = −21.4 %, critical. Ben: ran 2 days ago, HRV 70 ms on 02-28 and
    63 ms on 03-08: HRV_DROP −10.0 %, warning, raised a day before NOW (his snapshot was first built
    then; on 03-09 and 03-10 the same two days fall in the same windows)."""
    org = OrganizationFactory(name="Harbour Harriers")
    coach, second_coach = CoachFactory(display_name="Cora Coach"), CoachFactory(display_name="Sid Second")
    MembershipFactory(user=coach, organization=org, role="coach")
    MembershipFactory(user=second_coach, organization=org, role="admin")
    ada = UserFactory(display_name="Ada Lovelace", timezone="UTC")
    ben = UserFactory(display_name="Ben Okri", timezone="UTC")
    for athlete in (ada, ben):
        MembershipFactory(user=athlete, organization=org)
    ActivityFactory(user=ada, start_time=NOW - timedelta(days=9))
    hrv_day(ada, 8, 70.0)
    hrv_day(ada, 0, 55.0)
    ActivityFactory(user=ben, start_time=NOW - timedelta(days=2))
    hrv_day(ben, 10, 70.0)
    hrv_day(ben, 2, 63.0)
    athlete_snapshots_refresh(users=[ben], now=NOW - timedelta(days=1))
    athlete_snapshots_refresh(users=[ada], now=NOW)  # what the hourly refresh did: her flags exist
    key, _ = api_key_create(organization=org, name="sync", created_by=None)
    return {"org": org, "coach": coach, "second_coach": second_coach, "ada": ada, "ben": ben, "key": key}


def items(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["data"]["items"]


def codes(response) -> list[tuple[str, str]]:
    return [(item["display_name"], item["code"]) for item in items(response)]


def flag_of(athlete, code: str) -> AttentionFlag:
    return AttentionFlag.objects.get(user=athlete, code=code)


def test_the_queue_lists_open_flags_most_severe_then_most_recent_first(club):
    response = bearer_client(club["coach"]).get(URL)
    ada, ben = club["ada"], club["ben"]
    assert items(response) == [
        {
            "flag_id": flag_of(ada, "HRV_DROP").public_id,
            "user_id": ada.public_id,
            "display_name": "Ada Lovelace",
            "code": "HRV_DROP",
            "severity": "critical",
            "message": "HRV 7-day average 55 ms, down 21.4 % from 70 ms",
            "value": 55.0,
            "previous": 70.0,
            "since": "2026-03-10T12:00:00Z",
            "worsened_at": None,
        },
        {
            "flag_id": flag_of(ada, "NO_RECENT_RUN").public_id,
            "user_id": ada.public_id,
            "display_name": "Ada Lovelace",
            "code": "NO_RECENT_RUN",
            "severity": "warning",
            "message": "No run in the last 9 days (last run 2026-03-01)",
            "value": 9.0,
            "previous": None,
            "since": "2026-03-10T12:00:00Z",
            "worsened_at": None,
        },
        {
            "flag_id": flag_of(ben, "HRV_DROP").public_id,
            "user_id": ben.public_id,
            "display_name": "Ben Okri",
            "code": "HRV_DROP",
            "severity": "warning",
            "message": "HRV 7-day average 63 ms, down 10.0 % from 70 ms",
            "value": 63.0,
            "previous": 70.0,
            "since": "2026-03-09T12:00:00Z",
            "worsened_at": None,
        },
    ]
    assert response.json()["data"]["pagination"] == {
        "total": 3,
        "page": 1,
        "per_page": 50,
        "total_pages": 1,
        "has_next": False,
        "has_prev": False,
    }
    paged = bearer_client(club["coach"]).get(URL, {"org_id": club["org"].public_id, "page": 2, "per_page": 2})
    assert codes(paged) == [("Ben Okri", "HRV_DROP")]


def test_marking_seen_hides_the_flag_for_that_coach_only(club):
    coach = bearer_client(club["coach"])
    flag = flag_of(club["ada"], "NO_RECENT_RUN")

    response = coach.post(seen_url(flag.public_id))

    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "ok",
        "data": {"flag_id": flag.public_id, "severity": "warning", "seen_at": "2026-03-10T12:00:00Z"},
    }
    assert codes(coach.get(URL)) == [("Ada Lovelace", "HRV_DROP"), ("Ben Okri", "HRV_DROP")]
    second = bearer_client(club["second_coach"]).get(URL)
    assert ("Ada Lovelace", "NO_RECENT_RUN") in codes(second)
    assert len(items(key_client(club["key"]).get(URL))) == 3  # an API key sets nothing aside
    # Idempotent: a repeat keeps one row, moved to the new instant.
    assert coach.post(seen_url(flag.public_id)).status_code == 200
    assert AttentionFlagSeen.objects.filter(flag=flag).count() == 1


def test_a_rise_in_severity_brings_a_seen_flag_back(club, clock):
    """Ben's HRV warning, seen; then 40 ms today: the 7-day mean (63 + 40) / 2 = 51.5 ms is down
    (51.5 − 70) / 70 = −26.4 %: critical, back on the queue, worsened now."""
    coach = bearer_client(club["coach"])
    flag = flag_of(club["ben"], "HRV_DROP")
    assert coach.post(seen_url(flag.public_id)).status_code == 200
    assert ("Ben Okri", "HRV_DROP") not in codes(coach.get(URL))

    hrv_day(club["ben"], 0, 40.0)
    data_changed(club["ben"])
    clock.now = NOW + timedelta(hours=1)
    back = [item for item in items(coach.get(URL)) if item["display_name"] == "Ben Okri"]

    assert back == [
        {
            "flag_id": flag.public_id,
            "user_id": club["ben"].public_id,
            "display_name": "Ben Okri",
            "code": "HRV_DROP",
            "severity": "critical",
            "message": "HRV 7-day average 51.5 ms, down 26.4 % from 70 ms",
            "value": 51.5,
            "previous": 70.0,
            "since": "2026-03-09T12:00:00Z",
            "worsened_at": "2026-03-10T13:00:00Z",
        }
    ]
    # Seen again at critical, it stays away when it eases back to a warning.
    assert coach.post(seen_url(flag.public_id)).json()["data"]["severity"] == "critical"
    DailyWellness.objects.filter(user=club["ben"], date=TODAY).delete()
    data_changed(club["ben"])
    clock.now = NOW + timedelta(hours=2)
    assert ("Ben Okri", "HRV_DROP") not in codes(coach.get(URL))
    assert flag_of(club["ben"], "HRV_DROP").severity == "warning"


def test_a_flag_that_clears_and_recurs_8_days_after_it_was_seen_comes_back(club, clock):
    """Ada's NO_RECENT_RUN seen on 03-10; she runs on 03-11 (the flag closes) and not again: on
    03-18, 7 days after that run, it is raised again — 8 days after it was seen: back."""
    coach = bearer_client(club["coach"])
    flag = flag_of(club["ada"], "NO_RECENT_RUN")
    assert coach.post(seen_url(flag.public_id)).status_code == 200
    ActivityFactory(user=club["ada"], start_time=NOW + timedelta(days=1))
    clock.now = NOW + timedelta(days=1, hours=1)
    assert ("Ada Lovelace", "NO_RECENT_RUN") not in codes(coach.get(URL))
    assert flag_of(club["ada"], "NO_RECENT_RUN").closed_at == clock.now

    clock.now = NOW + timedelta(days=8)
    back = [item for item in items(coach.get(URL)) if item["display_name"] == "Ada Lovelace"]
    # (Her HRV_DROP closed too: by 03-18 the 55 ms day and the 70 ms day left the windows.)
    assert [(i["code"], i["message"], i["since"]) for i in back] == [
        ("NO_RECENT_RUN", "No run in the last 7 days (last run 2026-03-11)", "2026-03-18T12:00:00Z")
    ]
    assert back[0]["flag_id"] == flag.public_id  # the same row, a new episode


@pytest.mark.parametrize(
    ("recurs_after", "hidden"),
    [(timedelta(days=3), True), (timedelta(days=7), True), (timedelta(days=7, seconds=1), False)],
)
def test_the_memory_lasts_7_days_from_when_it_was_seen(club, clock, recurs_after, hidden):
    """The rule itself, on the stored rows: a flag seen at T whose new episode began at T + 3 days
    or exactly T + 7 days stays hidden; one second later it is back."""
    coach = bearer_client(club["coach"])
    flag = flag_of(club["ada"], "NO_RECENT_RUN")
    assert coach.post(seen_url(flag.public_id)).status_code == 200
    AttentionFlag.objects.filter(pk=flag.pk).update(since=NOW + recurs_after)
    shown = ("Ada Lovelace", "NO_RECENT_RUN") in codes(coach.get(URL))
    assert shown is not hidden


# --- access ----------------------------------------------------------------------------------------


def test_access_to_the_queue(club, api):
    org_id = club["org"].public_id
    other_org, other_coach = OrganizationFactory(), CoachFactory()
    MembershipFactory(user=other_coach, organization=other_org, role="coach")
    other_key, _ = api_key_create(organization=other_org, name="other", created_by=None)
    pending_coach = invited_coach(club["org"], club["second_coach"], "pending")

    assert api.get(URL, {"org_id": org_id}).status_code == 401
    for who in (club["ada"], other_coach, pending_coach):
        response = bearer_client(who).get(URL, {"org_id": org_id})
        assert response.status_code == 403, who
        assert response.json()["details"]["code"] == "FORBIDDEN"
        assert "data" not in response.json()
    assert key_client(other_key).get(URL, {"org_id": org_id}).status_code == 403
    assert items(bearer_client(other_coach).get(URL)) == []  # their own organization: nobody flagged
    assert len(items(key_client(club["key"]).get(URL))) == 3  # the key's own organization


def test_an_athlete_who_has_not_accepted_or_has_left_is_not_in_the_queue(club):
    membership = Membership.objects.get(user=club["ada"], organization=club["org"])
    membership.active = False
    membership.save(update_fields=["active"])
    assert codes(bearer_client(club["coach"]).get(URL)) == [("Ben Okri", "HRV_DROP")]


def test_only_a_coach_who_coaches_the_athlete_marks_a_flag_seen(club, api):
    flag_id = flag_of(club["ada"], "NO_RECENT_RUN").public_id
    other_org, other_coach = OrganizationFactory(), CoachFactory()
    MembershipFactory(user=other_coach, organization=other_org, role="coach")
    pending_coach = invited_coach(club["org"], club["second_coach"], "pending")

    assert api.post(seen_url(flag_id)).status_code == 401
    for client in (key_client(club["key"]), bearer_client(club["ada"]), bearer_client(club["ben"])):
        response = client.post(seen_url(flag_id))
        assert response.status_code == 403
        assert response.json()["details"]["code"] == "FORBIDDEN"
    for who in (other_coach, pending_coach):
        response = bearer_client(who).post(seen_url(flag_id))
        assert response.status_code == 404
        assert response.json()["details"] == {"code": "FLAG_NOT_FOUND", "field": "flag_id"}
    assert not AttentionFlagSeen.objects.exists()


@pytest.mark.parametrize("flag_id", ["flg_123", "usr_0123456789abcdef", "flg_0123456789abcdef", "x" * 5000])
def test_a_malformed_or_unknown_flag_is_not_found(club, flag_id):
    response = bearer_client(club["coach"]).post(seen_url(flag_id))
    assert response.status_code == 404
    assert response.json()["details"]["code"] == "FLAG_NOT_FOUND"


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ({"org_id": "org_\x00"}, 400, "INVALID_CHARACTERS"),
        ({"org_id": "not-an-org"}, 404, "ORGANIZATION_NOT_FOUND"),
        ({"org_id": "org_0123456789abcdef"}, 404, "ORGANIZATION_NOT_FOUND"),
        ({"page": "0"}, 400, "INVALID"),
        ({"per_page": "201"}, 400, "INVALID"),
        ({"page": "abc"}, 400, "INVALID"),
    ],
)
def test_bad_parameters(club, query, status, code):
    response = bearer_client(club["coach"]).get(URL, query)
    assert response.status_code == status, response.content
    assert response.json()["details"]["code"] == code


def test_a_nul_in_the_flag_id_is_refused_and_changes_nothing(club):
    response = bearer_client(club["coach"]).post(f"{URL}/flg_%00/seen")
    assert response.status_code == 400
    assert response.json()["details"]["code"] == "INVALID_CHARACTERS"
    assert not AttentionFlagSeen.objects.exists()


# --- query count -----------------------------------------------------------------------------------


def test_query_count_is_the_same_for_1_and_200_athletes_in_12_time_zones(clock):
    """Every athlete without a run has NO_RECENT_RUN ("No run logged yet"); the coach has set
    half of them aside, so the EXISTS filter has rows to read."""
    org, coach = OrganizationFactory(), CoachFactory()
    MembershipFactory(user=coach, organization=org, role="coach")
    client = bearer_client(coach)

    def add_athletes(n: int, offset: int) -> None:
        users = User.objects.bulk_create(
            [
                User(username=f"flagged{offset + i}", email=f"f{offset + i}@x.test", timezone=TWELVE_ZONES[i % 12])
                for i in range(n)
            ]
        )
        Membership.objects.bulk_create([Membership(user=user, organization=org) for user in users])

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL, {"per_page": 200})
        return len(ctx.captured_queries), len(items(response))

    add_athletes(1, 0)
    client.get(URL)  # builds the snapshot and warms the token's last_used_at
    one = count()
    add_athletes(199, 1)
    client.get(URL)  # builds the 199 new snapshots (and their flags)
    for flag in AttentionFlag.objects.all()[:100]:
        AttentionFlagSeen.objects.create(flag=flag, coach=coach, severity_rank=1, seen_at=NOW)
    many = count()
    assert one == (one[0], 1)
    assert many == (one[0], 100)


def test_a_read_rebuilds_at_most_its_limit_of_stale_snapshots_those_whose_data_changed_first(club, monkeypatch):
    from analytics.models import MetricsSnapshot
    from analytics.selectors import attention_queue

    ada, ben = club["ada"], club["ben"]
    # Both snapshots are of yesterday (another local day); Ben's data also changed since his. Ada
    # comes first by id: only the changed-data rule puts Ben first.
    athlete_snapshots_refresh(users=[User.objects.get(pk=ada.pk)], now=NOW - timedelta(days=1))
    data_changed(ben)
    assert ada.pk < ben.pk
    monkeypatch.setattr(attention_queue, "READ_REBUILD_LIMIT", 1)

    def state(athlete):
        snapshot = MetricsSnapshot.objects.get(user=athlete)
        return snapshot.data["as_of"], snapshot.data_version == User.objects.get(pk=athlete.pk).data_version

    assert (state(ada), state(ben)) == (("2026-03-09", True), ("2026-03-09", False))
    items(bearer_client(club["coach"]).get(URL))
    assert state(ben) == ("2026-03-10", True)  # rebuilt: its data changed
    assert state(ada) == ("2026-03-09", True)  # left to the hourly refresh (or the next read)
    items(bearer_client(club["coach"]).get(URL))
    assert state(ada) == ("2026-03-10", True)
