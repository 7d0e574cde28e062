"""What the in-process API benchmarks share: an authenticated test client, timing a request N
times, and the SQL's own execution time of a request (EXPLAIN ANALYZE). Import it after
`django.setup()`."""

import statistics
import sys
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from tqdm import tqdm

from accounts.services import access_token_issue


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access_token_issue(user=user)[0]}")
    return client


def timed(client, path: str, params: dict, n: int, label: str) -> tuple[float, float]:
    """Median and p95 wall time (ms) of n GETs (POST for running_streaks); every answer must be 200."""
    samples = []
    for _ in tqdm(range(n), desc=label, unit="req", leave=False, file=sys.stderr):
        started = time.perf_counter()
        if path.endswith("running_streaks"):
            response = client.post(path, params, format="json")
        else:
            response = client.get(path, params)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code, response.content[:300])
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def _execution_ms(sql: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + sql)
        plan = [row[0] for row in cursor.fetchall()]
    return next(float(line.split(":")[1].split()[0]) for line in plan if line.startswith("Execution Time"))


def request_sql(client, path: str, params: dict) -> tuple[list[str], int]:
    """The SELECTs one request runs (as executed, parameters inlined) and its number of queries."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    statements = [query["sql"] for query in captured.captured_queries]
    return [sql for sql in statements if sql.lstrip().upper().startswith(("SELECT", "WITH"))], len(statements)


def sql_ms(client, path: str, params: dict, *, largest_group_by_only: bool = False) -> float | None:
    """EXPLAIN ANALYZE execution time (ms) of the request's SELECTs added up — or of its largest
    GROUP BY alone, the aggregate a stats endpoint exists for."""
    selects, _ = request_sql(client, path, params)
    if largest_group_by_only:
        grouped = [sql for sql in selects if "GROUP BY" in sql]
        return _execution_ms(max(grouped, key=len)) if grouped else None
    return sum(_execution_ms(sql) for sql in selects)


def fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"
