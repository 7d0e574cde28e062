"""Real faults for tests: addresses where nothing listens (never a mock of the service)."""

from contextlib import contextmanager

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def point_celery_at(broker_url: str) -> None:
    """Use another broker from now on: Celery builds its connection pools lazily from the URL."""
    from astral.celery import app

    app.conf.broker_url = app.conf.broker_write_url = broker_url  # Celery copies it for writes
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_down():
    """Celery in broker mode (not eager), pointed at a real address where no broker listens."""
    from astral.celery import app

    saved = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    point_celery_at(DEAD_BROKER)
    try:
        yield
    finally:
        app.conf.task_always_eager = saved[0]
        point_celery_at(saved[1])
