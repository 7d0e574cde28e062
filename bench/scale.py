"""Scale benchmark (issue 12): organizations of 200, 2,000 and 20,000 athletes in one run.

    .venv/bin/python bench/scale.py [--athletes 20000] [--requests 10] [--database astral_scale]
                                    [--reseed] [--no-record]

Builds (once) the database `astral_scale`: `seed_demo --athletes 20000 --days 365` (25 time zones,
105 groups, plans), then two organizations drawn from the same athletes: 2,000 (ten groups of
200) and 200 (one group of all 200). In-process through Django's test client on PostgreSQL with
Redis (db 12), per organization: roster (200 per page, cold and warm), Group Dashboard overview
(the organization and one 200-member group), groups tab (7 and 30 days), plans tab, and one
athlete_profile; each cold median beside the EXPLAIN ANALYZE execution time of the request's own
SELECTs added up, and its number of queries. Then `refresh_all_metrics` on the 20,000: a full
rebuild (athletes/s), a run with nothing stale, and one after 200 athletes wrote. Appends a dated
section to bench/RESULTS.md.
"""

import argparse
import os
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
parser = argparse.ArgumentParser()
parser.add_argument("--athletes", type=int, default=20000)
parser.add_argument("--requests", type=int, default=10)
parser.add_argument("--database", default="astral_scale", help="PostgreSQL database to build or reuse")
parser.add_argument("--reseed", action="store_true")
parser.add_argument("--no-record", action="store_true")
ARGS = parser.parse_args()
DB_NAME = ARGS.database
os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/12")
os.environ.pop("CELERY_BROKER_URL", None)  # tasks inline: the benchmark measures the work itself
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "astral.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-any-deployment-3f81c0d7a9b2")
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

from bench.bench_db import ensure_database  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, F  # noqa: E402
from tqdm import tqdm  # noqa: E402

from accounts.models import User  # noqa: E402
from analytics.selectors.stale_snapshots import stale_snapshot_athletes  # noqa: E402
from analytics.tasks import refresh_all_metrics  # noqa: E402
from bench.harness import client_for, fmt, request_sql, sql_ms, timed  # noqa: E402
from organizations.models import Group, GroupMembership, Membership, Organization  # noqa: E402

DEMO_ORG = "Astral Demo Running Club"
API = "/api/v1/analytics/"


def drawn_organization(name: str, size: int, coach: User, group_size: int = 200) -> Organization:
    """An organization of `size` athletes of the demo club (every 10th for 2,000, …), in groups
    of `group_size`, with the demo's coach as its admin. Made once."""
    org = Organization.objects.filter(name=name).first()
    if org:
        return org
    org = Organization.objects.create(name=name)
    Membership.objects.create(user=coach, organization=org, role="admin")
    demo = Organization.objects.get(name=DEMO_ORG)
    pool = list(
        Membership.objects.filter(organization=demo, role="athlete", active=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    chosen = pool[:: max(1, len(pool) // size)][:size]
    Membership.objects.bulk_create([Membership(user_id=pk, organization=org) for pk in chosen], batch_size=2000)
    for start in range(0, len(chosen), group_size):
        group = Group.objects.create(organization=org, name=f"{name} group {start // group_size + 1}")
        members = chosen[start : start + group_size]
        GroupMembership.objects.bulk_create([GroupMembership(group=group, user_id=pk) for pk in members])
    return org


def group_near_200(org: Organization) -> Group:
    return min(Group.objects.filter(organization=org).annotate(n=Count("members")), key=lambda g: abs(g.n - 200))


def refresh_runs() -> list[tuple[str, float, int]]:
    """refresh_all_metrics over the whole database: everything stale, nothing stale, 200 wrote."""
    runs = []
    for label in ("every athlete stale (full rebuild)", "nothing stale", "200 athletes wrote"):
        if label.startswith("every"):  # a rerun finds them built: make every one stale again
            User.objects.filter(role="athlete").update(data_version=F("data_version") + 1)
        if label.startswith("200"):
            sample = list(User.objects.filter(role="athlete").order_by("pk").values_list("pk", flat=True)[::100][:200])
            User.objects.filter(pk__in=sample).update(data_version=F("data_version") + 1)
        stale = stale_snapshot_athletes(datetime.now(UTC)).count()
        started = time.perf_counter()
        refresh_all_metrics()
        runs.append((label, time.perf_counter() - started, stale))
        print(f"refresh_all_metrics, {label}: {runs[-1][1]:.1f} s", file=sys.stderr)
    return runs


def measure(org: Organization, coach_client, requests: int) -> list[tuple]:
    group = group_near_200(org)
    athlete = Membership.objects.filter(organization=org, role="athlete").order_by("user_id").first().user
    by_org = {"org_id": org.public_id}
    cases = [
        ("roster, page of 200", "coach_athletes_metrics", {**by_org, "per_page": 200}, "no_cache"),
        ("overview, organization", "group_dashboard/overview", by_org, "refresh"),
        (
            f"overview, one group ({group.members.count()})",
            "group_dashboard/overview",
            {**by_org, "group_id": group.public_id},
            "refresh",
        ),  # fmt: skip
        ("groups tab, 7 days", "group_dashboard/groups", {**by_org, "period": 7}, "refresh"),
        ("groups tab, 30 days", "group_dashboard/groups", {**by_org, "period": 30}, "refresh"),
        ("plans tab", "group_dashboard/plans", by_org, "refresh"),
        ("athlete_profile", "athlete_profile", {"user_id": athlete.public_id}, "refresh"),
    ]
    rows = []
    for label, path, params, bypass in tqdm(cases, desc=org.name, file=sys.stderr, leave=False):
        url, cold_params = API + path, {**params, bypass: "true" if bypass == "refresh" else "1"}
        coach_client.get(url, params)  # snapshots built once, the cache filled
        cold = timed(coach_client, url, cold_params, requests, f"{label} cold")
        warm = timed(coach_client, url, params, requests, f"{label} warm")
        _, queries = request_sql(coach_client, url, cold_params)
        rows.append((label, cold, warm, sql_ms(coach_client, url, cold_params), queries))
    return rows


def main(args: argparse.Namespace) -> None:
    seed_seconds = ensure_database(DB_NAME, athletes=args.athletes, reseed=args.reseed)
    cache.clear()
    coach = User.objects.get(username="coach")
    orgs = [
        drawn_organization("Scale 200", 200, coach),
        drawn_organization("Scale 2000", 2000, coach),
        Organization.objects.get(name=DEMO_ORG),
    ]
    with connection.cursor() as cursor:  # a freshly loaded table has no visibility map: index-only scans need it
        cursor.execute("VACUUM ANALYZE")
    refreshes = refresh_runs()
    coach_client = client_for(coach)
    coach_client.get("/api/v1/auth/me")  # the token's first use writes last_used_at
    trivial = timed(coach_client, "/api/v1/auth/me", {}, max(args.requests, 20), "auth/me")[0]
    results = {}
    for org in orgs:
        results[org.memberships.filter(role="athlete").count()] = measure(org, coach_client, args.requests)
    write_results(results, refreshes, trivial, seed_seconds, args)


def write_results(results: dict, refreshes: list, trivial: float, seed_seconds, args) -> None:
    sizes = sorted(results)
    head = " | ".join(f"{n:,} cold / warm / SQL / queries" for n in sizes)
    lines = [
        f"\n## Scale: 200, 2,000 and 20,000 athletes — {date.today().isoformat()} ({args.requests} requests each)\n",
        f"Database: `seed_demo --athletes {args.athletes} --days 365`"
        + (f" (seeded in {seed_seconds / 60:.0f} min)" if seed_seconds else "")
        + f". Trivial request (auth/me) {trivial:.1f} ms. Medians in ms; SQL = EXPLAIN ANALYZE execution time"
        " of the cold request's SELECTs added up; budget = cold ÷ (2·SQL + trivial).\n",
        f"| answer | {head} | budget at {sizes[-1]:,} | {sizes[-1]:,} ÷ {sizes[0]:,} |",
        "|---|" + "---|" * (len(sizes) + 2),
    ]
    for index, (label, *_rest) in enumerate(results[sizes[-1]]):
        cells = []
        for n in sizes:
            _, cold, warm, sql, queries = results[n][index]
            cells.append(f"{fmt(cold[0])} / {fmt(warm[0])} / {fmt(sql)} / {queries}")
        _, cold, _, sql, _ = results[sizes[-1]][index]
        growth = cold[0] / results[sizes[0]][index][1][0]
        name = label.split(" (")[0]
        lines.append(f"| {name} | {' | '.join(cells)} | {cold[0] / (2 * sql + trivial):.2f} | {growth:.2f} |")
    lines.append("\n`refresh_all_metrics` over the whole database (tasks inline):\n")
    lines.append("| run | seconds | athletes/s |")
    lines.append("|---|---|---|")
    for label, seconds, stale in refreshes:
        lines.append(f"| {label} ({stale:,} stale) | {seconds:.1f} | {stale / seconds:.0f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_record:
        with open(ROOT / "bench" / "RESULTS.md", "a") as handle:
            handle.write(text)


if __name__ == "__main__":
    main(ARGS)
