"""Start and stop a real Celery worker process for the services tests."""

import os
import signal
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def start_worker(name: str, pool: str = "solo", **env_overrides) -> subprocess.Popen:
    """A worker in a session of its own, so `kill_worker` takes its pool children with it."""
    env = {**os.environ, **env_overrides}
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "astral",
        "worker",
        f"--pool={pool}",
        "--concurrency=1",
        "--without-gossip",
        "--without-mingle",
        "--loglevel=INFO",
        "-n",
        f"{name}-{uuid.uuid4().hex[:8]}@%h",
    ]
    # Output to a file, never an undrained pipe: a worker logging two lines per task fills a
    # pipe's 64 KB within a few hundred tasks and then blocks (tests/services/throwaway.py, Gunicorn).
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - read and closed by kill_worker/stop_worker
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    worker.log = log
    return worker


def _output(worker: subprocess.Popen) -> str:
    worker.log.seek(0)
    text = worker.log.read()
    worker.log.close()
    return text


def kill_worker(worker: subprocess.Popen) -> str:
    """SIGKILL the worker and its pool children at once — no warm shutdown, no acknowledgement;
    what it printed."""
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=20)
    return _output(worker)


def stop_worker(worker: subprocess.Popen) -> str:
    """Terminate the worker and return everything it printed."""
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
    return _output(worker)
