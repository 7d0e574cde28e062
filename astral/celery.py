"""Celery application. Broker and eager mode come from settings (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "astral.settings")

app = Celery("astral")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="astral.ping")
def ping() -> str:
    """A no-op round trip used by health checks and the worker test."""
    return "pong"
