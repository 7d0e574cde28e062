"""Keeping the AttentionFlag rows (the triage queue's memory) in step with the flags a snapshot
rebuild raised (analytics.metrics.attention).

One row per (athlete, code): raised with no row → created (`since` now); raised over a closed row
→ reopened as a new episode (`since` now, `worsened_at` cleared); raised over an open row → its
severity, message and values follow, and `worsened_at` is now when the severity rank rose; an
open row no longer raised → closed. Four queries at most, whatever the number of athletes: one
select of their rows, one bulk_create, one bulk_update, one update that closes.
"""

from datetime import datetime

from analytics.models.attention import SEVERITY_RANK, AttentionFlag

UPDATED_FIELDS = ["severity", "severity_rank", "message", "value", "previous", "since", "worsened_at", "closed_at"]


def _apply(row: AttentionFlag, flag: dict, now: datetime) -> None:
    rank = SEVERITY_RANK[flag["severity"]]
    if row.closed_at is not None:  # raised again: a new episode
        row.since, row.closed_at, row.worsened_at = now, None, None
    elif rank > row.severity_rank:
        row.worsened_at = now
    row.severity, row.severity_rank = flag["severity"], rank
    row.message, row.value, row.previous = flag["message"], flag["value"], flag["previous"]


def _changed(row: AttentionFlag, before: tuple) -> bool:
    return before != tuple(getattr(row, name) for name in UPDATED_FIELDS)


def attention_flags_sync(*, flags_by_user: dict[int, list[dict]], now: datetime) -> None:
    """Make the AttentionFlag rows of the users in `flags_by_user` ({user pk: the flags their
    rebuilt snapshot raised}) match those flags at `now` (an aware instant). Idempotent."""
    if not flags_by_user:
        return
    rows = {(row.user_id, row.code): row for row in AttentionFlag.objects.filter(user_id__in=list(flags_by_user))}
    created, updated, raised_keys = [], [], set()
    for user_id, flags in flags_by_user.items():
        for flag in flags:
            key = (user_id, flag["code"])
            raised_keys.add(key)
            row = rows.get(key)
            if row is None:
                row = AttentionFlag(user_id=user_id, code=flag["code"], since=now, closed_at=None)
                row.severity_rank = SEVERITY_RANK[flag["severity"]]  # a new flag has not worsened
                _apply(row, flag, now)
                created.append(row)
                continue
            before = tuple(getattr(row, name) for name in UPDATED_FIELDS)
            _apply(row, flag, now)
            if _changed(row, before):
                row.updated_at = now  # bulk_update does not fill auto_now
                updated.append(row)
    to_close = [row.pk for key, row in rows.items() if key not in raised_keys and row.closed_at is None]
    if created:
        AttentionFlag.objects.bulk_create(created)
    if updated:
        AttentionFlag.objects.bulk_update(updated, UPDATED_FIELDS + ["updated_at"])
    if to_close:
        AttentionFlag.objects.filter(pk__in=to_close).update(closed_at=now, updated_at=now)
