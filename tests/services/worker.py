"""Start and stop a real Celery worker process for the services tests."""

import os
import signal
import subprocess
import sys
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
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def kill_worker(worker: subprocess.Popen) -> str:
    """SIGKILL the worker and its pool children at once — no warm shutdown, no acknowledgement;
    what it printed."""
    os.killpg(worker.pid, signal.SIGKILL)
    return worker.communicate(timeout=20)[0]


def stop_worker(worker: subprocess.Popen) -> str:
    """Terminate the worker and return everything it printed."""
    worker.terminate()
    try:
        return worker.communicate(timeout=20)[0]
    except subprocess.TimeoutExpired:
        worker.kill()
        return worker.communicate()[0]
