"""Outgoing mail: queued after commit, sent by a Celery task that retries.

A request that sends mail never waits for, or fails with, the mail server: the message is
handed to `mail_send` once the transaction commits, and the task retries with backoff while
the server is unreachable. Links in mails are absolute, built from settings.PUBLIC_URL.
"""

import logging
import smtplib
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMessage

from astral.celery import app, enqueue_on_commit

logger = logging.getLogger("astral.mail")

MAIL_RETRIES = 8  # with exponential backoff (capped at 10 minutes): about an hour of outage


@app.task(
    name="astral.mail.send",
    autoretry_for=(OSError, smtplib.SMTPException),
    retry_backoff=5,
    retry_backoff_max=600,
    max_retries=MAIL_RETRIES,
    acks_late=True,
)
def mail_send(to: str, subject: str, body: str) -> None:
    EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]).send()
    logger.info("Sent mail %r", subject)


def mail_send_on_commit(*, to: str, subject: str, body: str) -> None:
    """Send a plain-text mail once the current transaction commits (never inside it)."""
    enqueue_on_commit(mail_send, to=to, subject=subject, body=body)


def public_link(path: str, **query: str) -> str:
    """An absolute link to `path` on this installation, e.g. public_link("/x/", token=secret)."""
    suffix = f"?{urlencode(query)}" if query else ""
    return f"{settings.PUBLIC_URL}{path}{suffix}"
