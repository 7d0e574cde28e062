"""The coaches' triage digest task (beat, hourly, after the snapshot refresh): it calls
analytics.services.attention_digest, which decides whose 07:00 local digest is due. On the default
`celery` queue: it only reads and queues mails (astral.mail.send, on the `mail` queue)."""

from datetime import UTC, datetime

from celery import shared_task

from analytics.services.attention_digest import attention_digests_send


@shared_task(name="analytics.digest_tasks.send_attention_digests")
def send_attention_digests() -> int:
    """Send the digests due now; the number of mails queued. Idempotent within the hour: a digest
    sent moves its coach's digest_sent_at past the slot."""
    return attention_digests_send(now=datetime.now(UTC))
