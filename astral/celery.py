"""Celery application. Broker and eager mode come from settings (CELERY_* names)."""

import logging
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "astral.settings")

logger = logging.getLogger("astral.tasks")

app = Celery("astral")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="astral.ping")
def ping() -> str:
    """A no-op round trip used by health checks and the worker test."""
    return "pong"


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue `task` once the current transaction commits. A broker outage is logged and never
    fails the write that queued the task: the read path and the hourly beat catch up."""
    from django.db import transaction

    def send():
        try:
            task.apply_async(args=args, kwargs=kwargs)
        except Exception:  # noqa: BLE001 - any broker failure must not break the request
            logger.exception("Could not queue %s%s; it will be caught up later", task.name, args)

    transaction.on_commit(send)
