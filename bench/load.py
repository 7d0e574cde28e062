"""Load benchmark (issue 11 §4): gunicorn on PostgreSQL + Redis + a real Celery worker, driven
by simulated athletes and coaches over HTTP.

    .venv/bin/python bench/load.py [--clients 32] [--seconds 120] [--workers 4] [--no-record]

Builds a fresh database `astral_load` on the machine's PostgreSQL (the demo club: 60 athletes ×
90 days), Redis db 11 as the cache and db 6 as the broker, then starts gunicorn (`--workers`) and
one Celery worker. Three in four clients are athletes: each logs a run, sets a wellness day and
reads its own stats, then — as its coach — reads its own athlete profile, which must show the run
just acknowledged (a *stale read* otherwise). The other clients are coaches reading the roster,
the Group Dashboard (overview, groups tab) and random athletes' profiles.

Reports requests/s, p50/p95/p99 per endpoint, errors (any answer but the expected 2xx — must be
0), lost writes (an acknowledged run or wellness value missing from the database afterwards —
must be 0) and stale reads (must be 0). Appends a dated table to bench/RESULTS.md."""

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "astral_load"
ENV = {
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
    "REDIS_URL": "redis://127.0.0.1:6379/11",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/6",
    "DJANGO_SETTINGS_MODULE": "astral.settings",
    "DJANGO_SECRET_KEY": "load-bench-only-secret-key-not-for-any-deployment-8c2e41f0",
    "DJANGO_DEBUG": "false",
}
os.environ.update(ENV)
os.environ.pop("CELERY_RESULT_BACKEND", None)
sys.path.insert(0, str(ROOT))

from tests.services.throwaway import Gunicorn, request  # noqa: E402
from tests.services.worker import start_worker, stop_worker  # noqa: E402


def psql(sql: str) -> str:
    command = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", sql]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()


def fresh_database(athletes: int, days: int) -> None:
    print(f"- fresh database {DB_NAME}: migrate, seed {athletes} athletes × {days} days", flush=True)
    subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", DB_NAME], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB_NAME], check=True)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], check=True, cwd=ROOT)
    subprocess.run([*manage, "seed_demo", "--athletes", str(athletes), "--days", str(days)], check=True, cwd=ROOT)
    subprocess.run(["redis-cli", "-n", "11", "flushdb"], check=True, capture_output=True)
    subprocess.run(["redis-cli", "-n", "6", "flushdb"], check=True, capture_output=True)


def identities() -> tuple[str, list[dict], str]:
    """(org_id, athletes [{user_id, athlete token, coach token}], a coach token), issued in-process."""
    import django

    django.setup()
    from accounts.models import Role, User
    from accounts.services import access_token_issue
    from demo.constants import COACH_USERNAME, DEMO_ORG_NAME
    from organizations.models import MemberRole, Membership, Organization

    org = Organization.objects.get(name=DEMO_ORG_NAME)
    coach = User.objects.get(username=COACH_USERNAME)
    members = Membership.objects.filter(organization=org, role=MemberRole.ATHLETE, active=True, user__role=Role.ATHLETE)
    athletes = []
    for membership in members.select_related("user", "assigned_coach").order_by("user__username"):
        watcher = membership.assigned_coach or coach
        athletes.append(
            {
                "user_id": membership.user.public_id,
                "token": access_token_issue(user=membership.user)[0],
                "coach_token": access_token_issue(user=watcher)[0],
            }
        )
    return org.public_id, athletes, access_token_issue(user=coach)[0]


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.stale: list[str] = []
        self.runs: dict[str, set[str]] = defaultdict(set)  # user_id → acknowledged activity ids
        self.wellness: dict[tuple[str, str], int] = {}  # (user_id, day) → last acknowledged resting HR

    def call(self, name: str, base: str, path: str, token: str, method="GET", body=None, expect=(200,)):
        started = time.perf_counter()
        try:
            status, _, text = request(base + path, method, body, {"Authorization": f"Bearer {token}"})
        except OSError as error:
            status, text = 0, repr(error)
        elapsed = time.perf_counter() - started
        with self.lock:
            self.latencies[name].append(elapsed)
            if status not in expect:
                self.errors.append(f"{name} {status} {text[:200]}")
                return None
        return json.loads(text)

    def total(self) -> int:
        with self.lock:
            return sum(len(values) for values in self.latencies.values())


def athlete_loop(rec: Recorder, base: str, athlete: dict, stop: threading.Event, first_start: datetime):
    n = 0
    user_id = athlete["user_id"]
    while not stop.is_set():
        n += 1
        when = (first_start + timedelta(seconds=10 * n)).isoformat().replace("+00:00", "Z")
        run = {"start_time": when, "sport": "run", "distance": 5000 + n, "duration": 1500 + n}
        created = rec.call("POST activities", base, "/api/v1/activities", athlete["token"], "POST", run, (201,))
        if created is None:
            continue
        activity_id = created["data"]["activity_id"]
        with rec.lock:
            rec.runs[user_id].add(activity_id)
        day = (date.today() - timedelta(days=n % 20)).isoformat()
        resting = 40 + n % 30
        put = rec.call(
            "PUT wellness/{date}", base, f"/api/v1/wellness/{day}", athlete["token"], "PUT",
            {"resting_heart_rate": resting}, (200, 201),
        )  # fmt: skip
        if put is not None:
            with rec.lock:
                rec.wellness[(user_id, day)] = resting
        today = date.today()
        rec.call(
            "GET analytics/activity_stats", base,
            f"/api/v1/analytics/activity_stats?from={today - timedelta(days=27)}&to={today}&granularity=day",
            athlete["token"],
        )  # fmt: skip
        # The coach's read right after the athlete's acknowledged write must include it.
        profile = rec.call(
            "GET analytics/athlete_profile", base, f"/api/v1/analytics/athlete_profile?user_id={user_id}",
            athlete["coach_token"],
        )  # fmt: skip
        if profile is not None:
            recent = {a["activity_id"] for a in profile["data"]["recent_activities"]}
            if activity_id not in recent:
                with rec.lock:
                    rec.stale.append(f"{user_id} {activity_id}")


def coach_loop(rec: Recorder, base: str, org_id: str, token: str, athletes: list[dict], stop: threading.Event):
    rng = random.Random(threading.get_ident())
    reads = (
        (
            "GET analytics/coach_athletes_metrics",
            f"/api/v1/analytics/coach_athletes_metrics?org_id={org_id}&per_page=50",
        ),
        ("GET analytics/group_dashboard/overview", f"/api/v1/analytics/group_dashboard/overview?org_id={org_id}"),
        ("GET analytics/group_dashboard/groups", f"/api/v1/analytics/group_dashboard/groups?org_id={org_id}&period=7"),
    )
    while not stop.is_set():
        for name, path in reads:
            rec.call(name, base, path, token)
        athlete = rng.choice(athletes)
        rec.call(
            "GET analytics/athlete_profile", base,
            f"/api/v1/analytics/athlete_profile?user_id={athlete['user_id']}", athlete["coach_token"],
        )  # fmt: skip


def lost_writes(rec: Recorder) -> list[str]:
    """Acknowledged runs and wellness values that the database does not hold."""
    from accounts.models import User
    from analytics.models import Activity, DailyWellness

    users = {u.public_id: u.pk for u in User.objects.filter(public_id__in=list(rec.runs))}
    lost = []
    for user_id, ids in rec.runs.items():
        stored = set(
            Activity.objects.filter(user_id=users[user_id], public_id__in=ids).values_list("public_id", flat=True)
        )
        lost += [f"run {i}" for i in ids - stored]
    stored_hr = {
        (row.user.public_id, row.date.isoformat()): row.resting_heart_rate
        for row in DailyWellness.objects.filter(user_id__in=users.values()).select_related("user")
    }
    lost += [f"wellness {key} {value}" for key, value in rec.wellness.items() if stored_hr.get(key) != value]
    return lost


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def report(rec: Recorder, seconds: float, args, lost: list[str], snapshots_fresh: str) -> str:
    total = rec.total()
    lines = [
        f"## Load — {datetime.now(UTC):%Y-%m-%d} ({args.clients} clients, {seconds:.0f} s, gunicorn × {args.workers})",
        "",
        f"Machine: {platform.node()}, {os.cpu_count()} cores, {platform.python_implementation()} "
        f"{platform.python_version()}; PostgreSQL {psql('SHOW server_version')}; load generator on the same machine.",
        "",
        f"**{total / seconds:.1f} requests/s** ({total} requests); errors **{len(rec.errors)}**, "
        f"lost writes **{len(lost)}**, stale reads **{len(rec.stale)}**; {snapshots_fresh}.",
        "",
        "| endpoint | requests | p50 ms | p95 ms | p99 ms |",
        "|---|---|---|---|---|",
    ]
    for name in sorted(rec.latencies):
        values = rec.latencies[name]
        lines.append(
            f"| {name} | {len(values)} | {statistics.median(values) * 1000:.1f} | "
            f"{percentile(values, 0.95):.1f} | {percentile(values, 0.99):.1f} |"
        )
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--athletes", type=int, default=60)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()

    fresh_database(args.athletes, 90)
    org_id, athletes, coach_token = identities()
    env = {**os.environ, **ENV}
    print(f"- gunicorn × {args.workers} and a Celery worker", flush=True)
    server = Gunicorn(env, workers=args.workers)
    worker = start_worker("load", pool="prefork", **ENV)
    rec, stop = Recorder(), threading.Event()
    first_start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    athlete_clients = max(1, args.clients * 3 // 4)
    threads = [
        threading.Thread(target=athlete_loop, args=(rec, server.base, athletes[i % len(athletes)], stop, first_start))
        for i in range(athlete_clients)
    ]
    if athlete_clients > len(athletes):
        raise SystemExit("more athlete clients than athletes: two clients would share an athlete's timeline")
    threads += [
        threading.Thread(target=coach_loop, args=(rec, server.base, org_id, coach_token, athletes, stop))
        for _ in range(args.clients - athlete_clients)
    ]
    try:
        started = time.monotonic()
        for thread in threads:
            thread.start()
        while time.monotonic() - started < args.seconds:
            time.sleep(5)
            elapsed, done = time.monotonic() - started, rec.total()
            print(
                f"  {elapsed:5.0f}/{args.seconds} s  {done} requests  {done / elapsed:6.1f}/s  "
                f"errors {len(rec.errors)}  stale {len(rec.stale)}",
                flush=True,
            )
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        seconds = time.monotonic() - started
        time.sleep(10)  # let the worker drain the refreshes the writes queued
    finally:
        log = server.stop()
        stop_worker(worker)
    lost = lost_writes(rec)
    from accounts.models import User
    from analytics.models import MetricsSnapshot

    fresh = sum(
        1
        for user_id in rec.runs
        if MetricsSnapshot.objects.filter(
            user__public_id=user_id, data_version=User.objects.get(public_id=user_id).data_version
        ).exists()
    )
    snapshots = f"snapshots rebuilt by the worker to the athlete's last write: {fresh} of {len(rec.runs)}"
    text = report(rec, seconds, args, lost, snapshots)
    print("\n" + text)
    for line in rec.errors[:10] + rec.stale[:10] + lost[:10]:
        print("  !", line)
    if rec.errors and "Traceback" in log:
        print(log[-3000:])
    if not args.no_record:
        with open(ROOT / "bench" / "RESULTS.md", "a") as results:
            results.write("\n" + text)
    sys.exit(1 if rec.errors or lost or rec.stale else 0)


if __name__ == "__main__":
    main()
