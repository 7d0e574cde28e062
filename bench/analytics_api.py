"""Analytics API benchmark on PostgreSQL (issue 5): cold vs warm latency and SQL time.

    .venv/bin/python bench/analytics_api.py [--requests 50] [--athletes 2000] [--reseed]

Builds (once) a bench database `astral_bench`: the demo club with 2,000 athletes × 365 days, a
200-athlete organization drawn from it, and one athlete with 5,000 activities over 400 days.
Then, in-process through Django's test client (no HTTP server, so the numbers are the
application's own cost), for each endpoint: median and p95 over N requests cold (cache bypass)
and warm (cache hit), and the EXPLAIN ANALYZE execution time of the endpoint's own aggregate
query. Appends a dated table to bench/RESULTS.md.
"""

import argparse
import os
import random
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "astral_bench"
os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/12")
os.environ.pop("CELERY_BROKER_URL", None)  # tasks inline: the benchmark measures reads
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "astral.settings")
# Production-like (DEBUG off, no query log) needs a key; this one only signs the bench's own sessions.
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-any-deployment-3f81c0d7a9b2")
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

from bench.bench_db import ensure_database  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db.models import F  # noqa: E402
from tqdm import tqdm  # noqa: E402

from accounts.models import User  # noqa: E402
from analytics.metrics.load import activity_training_load  # noqa: E402
from analytics.models import Activity  # noqa: E402
from bench.harness import client_for, fmt, sql_ms, timed  # noqa: E402
from organizations.models import Membership, Organization  # noqa: E402

POWER_USERNAME = "bench.power"
SMALL_ORG = "Bench 200"


def power_athlete() -> User:
    user = User.objects.filter(username=POWER_USERNAME).first()
    if user:
        return user
    user = User.objects.create_user(
        POWER_USERNAME,
        f"{POWER_USERNAME}@astral-demo.example",
        "astral-demo",
        timezone="Europe/Berlin",
        vdot=52,
        resting_heart_rate=48,
        max_heart_rate=188,
        sex="female",
    )
    rng, now = random.Random(5), datetime.now(UTC)
    rows = []
    for i in range(5000):  # ~12.5 a day over 400 days
        start = now - timedelta(days=400) + timedelta(seconds=i * 400 * 86400 // 5000 + rng.randrange(3600))
        distance, duration = rng.uniform(3000, 25000), 0.0
        duration = distance / 1000 * rng.uniform(270, 360)
        hr = rng.randint(120, 170)
        load = activity_training_load(
            duration_s=duration, distance_m=distance, avg_hr=hr, resting_hr=48, max_hr=188, vdot=52, sex="female"
        )
        sport = rng.choice(("run", "run", "run", "trail_run", "treadmill", "ride", "walk"))
        rows.append(
            Activity(
                user=user,
                sport=sport,
                start_time=start,
                timezone="Europe/Berlin",
                distance=distance,
                duration=duration,
                avg_heart_rate=hr,
                training_load=load,
                calories=int(distance / 15),
                pace_z1_time=duration,
                source="garmin",
            )
        )
    Activity.objects.bulk_create(rows, batch_size=2000)
    return user


def small_org(coach: User) -> Organization:
    org = Organization.objects.filter(name=SMALL_ORG).first()
    if org:
        return org
    org = Organization.objects.create(name=SMALL_ORG)
    Membership.objects.create(user=coach, organization=org, role="admin")
    athletes = (
        User.objects.filter(role="athlete", memberships__active=True)
        .exclude(username=POWER_USERNAME)
        .order_by("pk")[:200]
    )
    Membership.objects.bulk_create([Membership(user=a, organization=org) for a in athletes])
    return org


def aggregate_sql_ms(client, path, params) -> float | None:
    """EXPLAIN ANALYZE execution time of the request's GROUP BY query (its own aggregate)."""
    return sql_ms(client, path, {**params, "refresh": "true", "no_cache": "1"}, largest_group_by_only=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--athletes", type=int, default=2000)
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()
    ensure_database(DB_NAME, athletes=args.athletes, reseed=args.reseed)
    cache.clear()
    power = power_athlete()
    coach = User.objects.get(username="coach")
    big = Organization.objects.get(name="Astral Demo Running Club")
    small = small_org(coach)
    User.objects.filter(pk=power.pk).update(data_version=F("data_version") + 1)

    athlete_client, coach_client = client_for(power), client_for(coach)
    today = datetime.now(UTC).date()
    frm, to = int((datetime.now(UTC) - timedelta(days=364)).timestamp()), int(datetime.now(UTC).timestamp())
    year = {"from": (today - timedelta(days=364)).isoformat(), "to": today.isoformat(), "timezone": "Europe/Berlin"}
    cases = [
        ("activity_stats day", "/api/v1/analytics/activity_stats", {**year, "granularity": "day"}, "refresh"),
        ("activity_stats month", "/api/v1/analytics/activity_stats", {**year, "granularity": "month"}, "refresh"),
        *[
            (
                f"running_stats {rt}",
                "/api/v1/analytics/running_stats",
                {
                    "from_timestamp": frm if rt != "weekly" else to - 6 * 86400,
                    "to_timestamp": to,
                    "range_type": rt,
                    "timezone": "Europe/Berlin",
                },
                None,
            )
            for rt in ("daily", "weekly", "monthly", "yearly")
        ],
        ("health_metrics week", "/api/v1/analytics/health_metrics", {**year, "granularity": "week"}, "refresh"),
        ("athlete_profile", "/api/v1/analytics/athlete_profile", {"user_id": power.public_id}, "refresh"),
    ]
    trivial = timed(athlete_client, "/api/v1/auth/me", {}, args.requests, "auth/me")[0]
    results = []
    for label, path, params, bypass in tqdm(cases, desc="endpoints", file=sys.stderr):
        cold = timed(
            athlete_client, path, {**params, **({bypass: "true"} if bypass else {})}, args.requests, f"{label} cold"
        )
        warm = timed(athlete_client, path, params, args.requests, f"{label} warm") if bypass else (None, None)
        results.append((label, cold, warm, aggregate_sql_ms(athlete_client, path, params)))
    for org in (small, big):
        label = f"coach_athletes_metrics ({org.memberships.count() - 1} athletes, 200/page)"
        params = {"org_id": org.public_id, "per_page": 200}
        coach_client.get("/api/v1/analytics/coach_athletes_metrics", params)  # build snapshots once
        cold = timed(
            coach_client,
            "/api/v1/analytics/coach_athletes_metrics",
            {**params, "no_cache": "1"},
            args.requests,
            f"{label} cold",
        )
        warm = timed(coach_client, "/api/v1/analytics/coach_athletes_metrics", params, args.requests, f"{label} warm")
        results.append((label, cold, warm, None))
    write_results(results, trivial, args.requests)


def write_results(results, trivial_ms, n) -> None:
    lines = [
        f"\n## Analytics API on PostgreSQL — {date.today().isoformat()} ({n} requests each)\n",
        f"Trivial endpoint (auth/me) median: {trivial_ms:.1f} ms. Times in ms; SQL = EXPLAIN ANALYZE of the "
        "endpoint's aggregate query; target cold ≤ 2 × SQL + trivial; warm ≤ cold / 10.\n",
        "| endpoint | cold p50 | cold p95 | warm p50 | warm p95 | SQL | cold ÷ (2·SQL + trivial) | warm ÷ cold |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label, cold, warm, sql in results:
        budget = f"{cold[0] / (2 * sql + trivial_ms):.2f}" if sql is not None else "—"
        ratio = f"{warm[0] / cold[0]:.3f}" if warm[0] is not None else "—"
        cells = [label, fmt(cold[0]), fmt(cold[1]), fmt(warm[0]), fmt(warm[1]), fmt(sql), budget, ratio]
        lines.append("| " + " | ".join(cells) + " |")
    text = "\n".join(lines) + "\n"
    print(text)
    with open(ROOT / "bench" / "RESULTS.md", "a") as handle:
        handle.write(text)


if __name__ == "__main__":
    main()
