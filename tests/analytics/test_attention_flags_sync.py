"""The triage queue's memory: AttentionFlag rows follow the flags each snapshot rebuild raises
(analytics.services.attention_flags), in a bounded number of queries."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics.models import AttentionFlag
from analytics.services.attention_flags import attention_flags_sync
from analytics.services.snapshots import athlete_snapshots_refresh
from tests.factories import ActivityFactory, DailyWellnessFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def hrv(severity: str, message: str = "HRV 7-day average 63 ms, down 10.0 % from 70 ms", value=63.0) -> dict:
    return {"code": "HRV_DROP", "severity": severity, "message": message, "value": value, "previous": 70.0}


def no_run(days: int) -> dict:
    message = f"No run in the last {days} days (last run 2026-03-01)"
    return {"code": "NO_RECENT_RUN", "severity": "warning", "message": message, "value": days, "previous": None}


def row(user, code="HRV_DROP") -> AttentionFlag:
    return AttentionFlag.objects.get(user=user, code=code)


def test_a_raised_flag_opens_a_row():
    user = UserFactory()
    attention_flags_sync(flags_by_user={user.pk: [hrv("warning")]}, now=NOW)
    flag = row(user)
    assert (flag.severity, flag.severity_rank, flag.message) == (
        "warning",
        1,
        "HRV 7-day average 63 ms, down 10.0 % from 70 ms",
    )
    assert (flag.value, flag.previous, flag.since, flag.worsened_at, flag.closed_at) == (63.0, 70.0, NOW, None, None)
    assert flag.public_id.startswith("flg_")


def test_an_open_flag_follows_its_values_and_worsens_only_when_its_severity_rises():
    user = UserFactory()
    attention_flags_sync(flags_by_user={user.pk: [hrv("warning")]}, now=NOW)
    day2, day3, day4 = (NOW + timedelta(days=n) for n in (1, 2, 3))
    attention_flags_sync(flags_by_user={user.pk: [hrv("warning", "HRV … down 12.0 %", 61.6)]}, now=day2)
    flag = row(user)
    assert (flag.since, flag.worsened_at, flag.value, flag.message) == (NOW, None, 61.6, "HRV … down 12.0 %")

    attention_flags_sync(flags_by_user={user.pk: [hrv("critical", "HRV … down 21.4 %", 55.0)]}, now=day3)
    flag = row(user)
    assert (flag.severity, flag.severity_rank, flag.since, flag.worsened_at) == ("critical", 2, NOW, day3)

    attention_flags_sync(flags_by_user={user.pk: [hrv("warning")]}, now=day4)  # better: not a worsening
    flag = row(user)
    assert (flag.severity, flag.severity_rank, flag.since, flag.worsened_at) == ("warning", 1, NOW, day3)


def test_a_flag_no_longer_raised_closes_and_a_recurrence_is_a_new_episode():
    user = UserFactory()
    attention_flags_sync(flags_by_user={user.pk: [hrv("warning"), no_run(9)]}, now=NOW)
    attention_flags_sync(flags_by_user={user.pk: [hrv("critical"), no_run(10)]}, now=NOW + timedelta(days=1))
    later = NOW + timedelta(days=2)
    attention_flags_sync(flags_by_user={user.pk: [no_run(11)]}, now=later)
    assert row(user).closed_at == later
    assert row(user, "NO_RECENT_RUN").closed_at is None
    assert row(user, "NO_RECENT_RUN").value == 11

    again = NOW + timedelta(days=12)
    attention_flags_sync(flags_by_user={user.pk: [hrv("warning")]}, now=again)
    flag = row(user)
    assert (flag.since, flag.closed_at, flag.worsened_at, flag.severity_rank) == (again, None, None, 1)
    assert row(user, "NO_RECENT_RUN").closed_at == again
    assert AttentionFlag.objects.filter(user=user).count() == 2  # one row per (athlete, code)


def test_other_athletes_rows_are_left_alone():
    user, other = UserFactory(), UserFactory()
    attention_flags_sync(flags_by_user={user.pk: [hrv("warning")], other.pk: [hrv("warning")]}, now=NOW)
    attention_flags_sync(flags_by_user={user.pk: []}, now=NOW + timedelta(hours=1))
    assert row(user).closed_at == NOW + timedelta(hours=1)
    assert row(other).closed_at is None


def test_at_most_four_queries_whatever_the_number_of_athletes():
    def queries(users, flags) -> int:
        with CaptureQueriesContext(connection) as ctx:
            attention_flags_sync(flags_by_user={u.pk: flags(u) for u in users}, now=NOW + timedelta(hours=len(users)))
        return len(ctx.captured_queries)

    one, many = [UserFactory()], UserFactory.create_batch(60)
    small, big = queries(one, lambda u: [hrv("warning")]), queries(many, lambda u: [hrv("warning"), no_run(9)])
    assert small == big == 2  # select + create
    spike = {"code": "LOAD_SPIKE", "severity": "warning", "message": "…", "value": 1.72, "previous": None}
    assert queries(many, lambda u: [hrv("critical"), spike]) == 4  # select, create, update, close
    assert queries(many, lambda u: [hrv("critical"), spike]) == 1  # nothing changed: the select only
    assert AttentionFlag.objects.filter(closed_at__isnull=True).count() == 1 + 60 * 2


def test_a_snapshot_rebuild_persists_the_flags_it_raised():
    """An athlete whose last run was 9 days ago and whose HRV fell from 70 ms to 55 ms: down
    (55 − 70) / 70 = −21.4 %, critical (≥ 20 %)."""
    athlete = UserFactory(timezone="UTC")
    ActivityFactory(user=athlete, start_time=NOW - timedelta(days=9))
    DailyWellnessFactory(user=athlete, date=NOW.date() - timedelta(days=8), hrv=70.0)
    DailyWellnessFactory(user=athlete, date=NOW.date(), hrv=55.0)

    athlete_snapshots_refresh(users=[athlete], now=NOW)

    flags = {f.code: f for f in AttentionFlag.objects.filter(user=athlete)}
    assert set(flags) == {"HRV_DROP", "NO_RECENT_RUN"}
    no_run_flag = flags["NO_RECENT_RUN"]
    assert (no_run_flag.severity, no_run_flag.value, no_run_flag.since) == ("warning", 9.0, NOW)
    assert no_run_flag.message == "No run in the last 9 days (last run 2026-03-01)"
    drop = flags["HRV_DROP"]
    assert (drop.severity, drop.severity_rank, drop.value, drop.previous) == ("critical", 2, 55.0, 70.0)
    assert drop.message == "HRV 7-day average 55 ms, down 21.4 % from 70 ms"

    ActivityFactory(user=athlete, start_time=NOW + timedelta(hours=1))  # a run: no longer "no recent run"
    athlete_snapshots_refresh(users=[athlete], now=NOW + timedelta(hours=2))
    assert AttentionFlag.objects.get(user=athlete, code="NO_RECENT_RUN").closed_at == NOW + timedelta(hours=2)
    assert AttentionFlag.objects.get(user=athlete, code="HRV_DROP").closed_at is None
