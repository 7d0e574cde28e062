"""Building and serving metrics snapshots (and the athlete insights made with them).

Freshness: a snapshot records the athlete's `data_version` and the local date it was built for.
It is served only while both still hold; otherwise it is rebuilt before the read returns. Every
write to an athlete's data bumps the version (accounts.services.user_data_changed) and queues a
background rebuild, so reads are usually already fresh.
"""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.db import transaction

from accounts.models import User
from analytics.insight_backends import insights_backend
from analytics.metrics.snapshot import AthleteInputs, snapshot_data, weekly_facts
from analytics.models import Insight, InsightKind, MetricsSnapshot
from analytics.selectors.snapshot_inputs import recent_activities, snapshot_inputs
from analytics.services.attention_flags import attention_flags_sync
from astral.local_time import user_zone

ACTIVITY_INSIGHTS = 5
INSIGHT_CONTEXT_DAYS = 30
ATHLETE_INSIGHT_KINDS = (InsightKind.ACTIVITY, InsightKind.WEEKLY_SUMMARY)


def _insight_rows(user: User, inputs: AthleteInputs, recent, training: dict, now: datetime) -> list[Insight]:
    backend = insights_backend()
    rows = []
    for pk, facts in recent[:ACTIVITY_INSIGHTS]:
        context = [
            other
            for _, other in recent
            if other is not facts
            and facts.local_date - timedelta(days=INSIGHT_CONTEXT_DAYS) <= other.local_date <= facts.local_date
        ]
        rows.append(
            Insight(
                user=user,
                kind=InsightKind.ACTIVITY,
                activity_id=pk,
                text=backend.activity_summary(facts, context),
                generated_at=now,
            )
        )
    week = weekly_facts(inputs.days, inputs.today, training, [facts for _, facts in recent])
    rows.append(
        Insight(user=user, kind=InsightKind.WEEKLY_SUMMARY, text=backend.weekly_summary(**week), generated_at=now)
    )
    return rows


@transaction.atomic
def athlete_snapshots_refresh(*, users: Iterable[User], now: datetime | None = None) -> dict[int, MetricsSnapshot]:
    """Rebuild the snapshots and athlete insights of `users` (loaded User rows) in a bounded
    number of queries, whatever their number, and keep their attention flags' rows (the triage
    queue's memory) in step with the flags raised. Idempotent."""
    users = list(users)
    if not users:
        return {}
    now = now or datetime.now(UTC)
    inputs = snapshot_inputs(users, now)
    recent = recent_activities(users, now)
    snapshots, insights = [], []
    for user in users:
        data = snapshot_data(inputs[user.pk], now)
        snapshots.append(MetricsSnapshot(user=user, data=data, data_version=user.data_version))
        insights += _insight_rows(user, inputs[user.pk], recent.get(user.pk, []), data["training"], now)
    MetricsSnapshot.objects.bulk_create(
        snapshots, update_conflicts=True, unique_fields=["user"], update_fields=["data", "data_version", "computed_at"]
    )
    Insight.objects.filter(user__in=users, kind__in=ATHLETE_INSIGHT_KINDS).delete()
    Insight.objects.bulk_create(insights)
    attention_flags_sync(flags_by_user={s.user_id: s.data["attention_signals"]["flags"] for s in snapshots}, now=now)
    return {snapshot.user_id: snapshot for snapshot in snapshots}


def _is_fresh(snapshot: MetricsSnapshot | None, user: User, now: datetime) -> bool:
    return (
        snapshot is not None
        and snapshot.data_version >= user.data_version
        and snapshot.data.get("as_of") == now.astimezone(user_zone(user)).date().isoformat()
    )


def athlete_snapshots_fresh(
    users: Iterable[User], *, now: datetime | None = None, force: bool = False
) -> dict[int, MetricsSnapshot]:
    """{user pk: snapshot} for `users`, rebuilding (in one batch) those that are missing or stale.
    `force` rebuilds all of them (refresh=true)."""
    users = list(users)
    now = now or datetime.now(UTC)
    stored = {} if force else {s.user_id: s for s in MetricsSnapshot.objects.filter(user__in=users)}
    stale = [user for user in users if not _is_fresh(stored.get(user.pk), user, now)]
    if stale:
        stored.update(athlete_snapshots_refresh(users=stale, now=now))
    return stored


def athlete_snapshot_fresh(user: User, *, now: datetime | None = None, force: bool = False) -> MetricsSnapshot:
    return athlete_snapshots_fresh([user], now=now, force=force)[user.pk]
