"""A coach sets an attention flag aside: "Mark seen" (POST analytics/attention_queue/{flag_id}/seen
and the /attention/ page). The memory rules are the queue's (analytics.selectors.attention_queue)."""

from datetime import datetime

from django.db import transaction

from analytics.models.attention import AttentionFlag, AttentionFlagSeen


@transaction.atomic
def attention_flag_mark_seen(*, flag: AttentionFlag, coach, now: datetime) -> AttentionFlagSeen:
    """Record that `coach` saw `flag` at its current severity, at `now` (an aware instant); a
    repeat moves the record to the new severity and instant. One upsert query."""
    seen = AttentionFlagSeen(flag=flag, coach=coach, severity_rank=flag.severity_rank, seen_at=now)
    AttentionFlagSeen.objects.bulk_create(
        [seen], update_conflicts=True, unique_fields=["flag", "coach"], update_fields=["severity_rank", "seen_at"]
    )
    return seen
