"""Throwaway services for outage drills: a PostgreSQL cluster (`initdb` into a temporary folder,
on a free port) and a gunicorn serving Astral against it. Stopping them disturbs nothing else —
the machine's own PostgreSQL is never touched."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: when we are root, run its tools as `postgres`."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class ThrowawayPostgres:
    def __init__(self, standby_of: "ThrowawayPostgres | None" = None):
        """A new cluster (`initdb`), or with `standby_of` a hot standby of that running primary:
        `pg_basebackup -R` (streaming replication, recovery settings written for it)."""
        # Its own folder under /tmp (pytest's tmp_path is private to root; `postgres` could not enter it).
        self.folder, self.port = Path(tempfile.mkdtemp(prefix="astral-pg-")), free_port()
        self.data = self.folder / "data"
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        if standby_of is None:
            command = ["initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
        else:
            command = ["pg_basebackup", "-h", "127.0.0.1", "-p", str(standby_of.port), "-U", "postgres"]
            command += ["-D", str(self.data), "-R", "-X", "stream"]
        subprocess.run(_as_postgres(command), check=True, capture_output=True)

    def sql(self, query: str):
        """One statement on this cluster, autocommit; its first row (or None)."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True, connect_timeout=5) as connection:
            cursor = connection.execute(query)
            return cursor.fetchone() if cursor.description else None

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off"
        log = self.folder / "log"
        started = subprocess.run(
            _as_postgres(["pg_ctl", "-D", str(self.data), "-o", options, "-l", str(log), "-w", "start"]),
            capture_output=True,
            text=True,
        )
        if started.returncode:
            tail = log.read_text()[-2000:] if log.exists() else "(no log)"
            raise RuntimeError(f"pg_ctl start failed: {started.stdout}{started.stderr}\n{tail}")

    def stop(self) -> None:
        subprocess.run(_as_postgres(["pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop"]), capture_output=True)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


class Gunicorn:
    """Astral under gunicorn (several workers), with the given environment."""

    def __init__(self, env: dict[str, str], workers: int = 2):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        # Output goes to a file, never to a pipe: nobody reads a pipe until stop(), and once its
        # buffer is full (an outage logs a traceback per failed cache call) every worker blocks
        # in its log handler — which looks exactly like the application hanging.
        self.log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - lives as long as the server; closed by stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "astral.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{self.port}"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if request(self.base + "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not come up")

    def stop(self) -> str:
        """Stop the server; its whole output."""
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.seek(0)
        output = self.log.read()
        self.log.close()
        return output


def request(url: str, method: str = "GET", body: dict | None = None, headers: dict | None = None):
    """(status, headers, body) of one HTTP request; error statuses are answers, not exceptions."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def astral_env(database_url: str, redis_url: str = "") -> dict[str, str]:
    """The production settings module on the given database (and cache), eager tasks."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"}
    }
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="astral.settings",
        DJANGO_SECRET_KEY="drill-only-" + "x" * 50,
        DJANGO_DEBUG="0",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input"], cwd=ROOT, env=env, check=True, capture_output=True
    )


class ThrowawayRedis:
    """A redis-server of our own on a free port, killed and restarted at will. With `persistent`
    it keeps an append-only file (fsync on every write), so after a SIGKILL it comes back holding
    what it held before — the harder case for stale answers than an empty restart."""

    def __init__(self, persistent: bool = False):
        self.port = free_port()
        self.process = None
        self.folder = Path(tempfile.mkdtemp(prefix="astral-redis-")) if persistent else None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        persistence = ["--appendonly", "no"]
        if self.folder is not None:
            persistence = ["--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.folder)]
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", *persistence],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not come up")

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()  # SIGKILL: an outage, not a shutdown
            self.process.wait(timeout=10)
            self.process = None

    def remove(self) -> None:
        self.kill()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
