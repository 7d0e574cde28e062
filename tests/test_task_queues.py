"""Celery queues by kind of work: every task lands in the queue its workers are scaled for, and a
worker started without -Q consumes them all."""

import pytest

from astral.celery import app

ROUTES = {
    "analytics.tasks.refresh_athlete_metrics": "metrics",
    "analytics.tasks.refresh_metrics_batch": "metrics",
    "analytics.tasks.refresh_all_metrics": "metrics",
    "analytics.tasks.refresh_group_insights": "metrics",
    "analytics.tasks.recompute_activity_metrics": "metrics",
    "analytics.tasks.resume_import_jobs": "metrics",
    "analytics.tasks.run_import": "imports",
    "analytics.tasks.strava_backfill": "strava",
    "analytics.tasks.strava_event": "strava",
    "analytics.tasks.strava_catch_up": "strava",
    "analytics.digest_tasks.send_attention_digests": "celery",
    "astral.mail.send": "mail",
    "astral.ping": "celery",
}


@pytest.mark.parametrize(("task", "queue"), ROUTES.items())
def test_each_task_is_routed_to_its_queue(task, queue):
    assert task in app.tasks
    assert app.amqp.router.route({}, task)["queue"].name == queue


def test_every_registered_task_is_routed_and_workers_consume_every_queue():
    ours = {name for name in app.tasks if not name.startswith("celery.")}
    assert ours == set(ROUTES)  # a new task gets a row above (and so a queue on purpose)
    assert {queue.name for queue in app.conf.task_queues} == {"celery", "metrics", "imports", "mail", "strava"}
