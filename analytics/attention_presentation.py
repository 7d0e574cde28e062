"""Plain-dict shape of a triage-queue item (GET analytics/attention_queue, the /attention/ page and
the digest mail), from flag rows already loaded with their athlete (no queries here)."""

from astral.local_time import utc_text


def attention_item_payload(flag) -> dict:
    return {
        "flag_id": flag.public_id,
        "user_id": flag.user.public_id,
        "display_name": flag.user.name,
        "code": flag.code,
        "severity": flag.severity,
        "message": flag.message,
        "value": flag.value,
        "previous": flag.previous,
        "since": utc_text(flag.since),
        "worsened_at": utc_text(flag.worsened_at),
    }
