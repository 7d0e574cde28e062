"""Queued Celery tasks, run for real in either pass.

The embedded pass has no broker: settings make tasks run inline (`CELERY_TASK_ALWAYS_EAGER`
follows from an unset `CELERY_BROKER_URL`), so there is nothing to start. The services pass never
turns eager mode on: `TaskWorker` starts a real Celery worker (a thread of the test process, solo
pool) that consumes the real broker, so every task makes the broker round trip. Tests that need a
task's effect call `settle()`, which waits until the queue is empty and the worker idle.

A worker thread shares the process's settings (a test's `settings.MAILERS` reaches it) but has its
own database connection: a test whose tasks read rows it wrote uses `transaction=True`."""

import threading
import time
from contextlib import contextmanager

from astral.celery import app

SETTLE_TIMEOUT = 30.0


class TaskWorker:
    def __init__(self, worker=None):
        self.worker = worker

    def settle(self, timeout: float = SETTLE_TIMEOUT) -> None:
        """Return once every queued task has run (immediately in the embedded pass)."""
        if self.worker is None:
            return
        from celery.worker import state

        deadline, idle_checks = time.monotonic() + timeout, 0
        while idle_checks < 3:  # idle three times running: nothing was in the hand-over
            if time.monotonic() > deadline:
                raise AssertionError(f"queued tasks still running after {timeout} s")
            idle = not state.active_requests and not state.reserved_requests and _queued() == 0
            idle_checks = idle_checks + 1 if idle else 0
            time.sleep(0.1)


def _queued() -> int:
    """Messages waiting in every queue the app routes to."""
    total = 0
    with app.connection_for_write() as connection:
        for queue in app.conf.task_queues:
            try:
                with connection.channel() as channel:  # a failed passive declare may close its channel
                    total += channel.queue_declare(queue.name, passive=True).message_count
            except connection.channel_errors:  # never declared: nothing was ever queued there
                pass
    return total


@contextmanager
def task_worker():
    if app.conf.task_always_eager:
        yield TaskWorker()
        return
    app.control.purge()  # tasks other tests left behind are not this test's
    hijack = app.conf.worker_hijack_root_logger
    app.conf.worker_hijack_root_logger = False  # keep pytest's log capture on the root logger
    try:
        with _worker_thread() as worker:
            yield TaskWorker(worker)
    finally:
        app.conf.worker_hijack_root_logger = hijack
        _forget_leftovers()


@contextmanager
def _worker_thread():
    """Celery's own `contrib.testing` worker, but built inside its thread: building it sends
    `worker_init`/`worker_process_init`, on which Celery's Django fixup closes the database
    connections of the thread it runs in — it must not be the test's (its transaction lives there)."""
    from celery.contrib.testing.worker import TestWorkController, setup_app_for_worker
    from celery.result import _set_task_join_will_block
    from celery.worker import state

    setup_app_for_worker(app, "INFO", None)
    built, holder = threading.Event(), {}

    def run():
        try:
            holder["worker"] = TestWorkController(
                app=app,
                concurrency=1,
                pool="solo",
                loglevel="INFO",
                hostname=f"tests-{threading.get_ident()}@localhost",
                ready_callback=None,
                without_heartbeat=True,
                without_mingle=True,
                without_gossip=True,
            )
        finally:
            built.set()
        holder["worker"].start()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    built.wait(30)
    worker = holder["worker"]
    worker.ensure_started()
    _set_task_join_will_block(False)  # a worker marks the process as one where .get() would block
    try:
        yield worker
    finally:
        state.should_terminate = 0
        thread.join(30)
        state.should_terminate = None
        assert not thread.is_alive(), "the test worker did not stop within 30 s"


def _forget_leftovers() -> None:
    """Drop what this test left queued — including a retry waiting for its countdown, which the
    stopped worker hands back unacknowledged (on Redis it would reappear in a later test)."""
    app.control.purge()
    with app.connection_for_write() as connection:
        if connection.transport.driver_type == "redis":
            connection.default_channel.client.delete("unacked", "unacked_index")
