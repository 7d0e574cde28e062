"""Start and stop a real Celery worker process for the services tests."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def start_worker(name: str, **env_overrides) -> subprocess.Popen:
    env = {**os.environ, **env_overrides}
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "astral",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "--without-gossip",
        "--without-mingle",
        "--loglevel=INFO",
        "-n",
        f"{name}-{uuid.uuid4().hex[:8]}@%h",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def stop_worker(worker: subprocess.Popen) -> str:
    """Terminate the worker and return everything it printed."""
    worker.terminate()
    try:
        return worker.communicate(timeout=20)[0]
    except subprocess.TimeoutExpired:
        worker.kill()
        return worker.communicate()[0]
