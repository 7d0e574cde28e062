"""Benchmark: parse_activity_file on a 3-hour ride (sample-activity.fit, 3,098 records).

    .venv/bin/python bench/import_fit.py [--runs N] [--no-record]

Prints a progress bar (stderr), the median and 95th-percentile wall time of one parse, and
appends a dated line to bench/RESULTS.md.
"""

import argparse
import math
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from tqdm import tqdm

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from analytics.ingest import parse_activity_file  # noqa: E402 - needs the repo on sys.path

SAMPLE_FILE = REPO / "tests" / "data" / "activities" / "sample-activity.fit"
RESULTS = REPO / "bench" / "RESULTS.md"
RESULTS_HEADER = "# Benchmark results\n"
SECTION = "## Import: sample-activity.fit (3-hour ride, 3,098 records)"


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def record(line: str) -> None:
    """Append `line` at the end of SECTION in RESULTS.md, creating the file or section if missing."""
    text = RESULTS.read_text() if RESULTS.exists() else RESULTS_HEADER
    lines = text.rstrip("\n").split("\n")
    if SECTION not in lines:
        lines += ["", SECTION, ""]
    start = lines.index(SECTION)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    while end > start + 2 and not lines[end - 1].strip():
        end -= 1  # insert after the section's last line, before any blank lines
    lines.insert(end, line)
    RESULTS.write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="number of parses (default 30)")
    parser.add_argument("--no-record", action="store_true", help="do not append to bench/RESULTS.md")
    args = parser.parse_args()
    if not SAMPLE_FILE.is_file():
        sys.exit(f"missing {SAMPLE_FILE}")
    data = SAMPLE_FILE.read_bytes()
    samples = len(parse_activity_file(data).samples)  # warm-up, and a check the file still parses

    timings = []
    for _ in tqdm(range(args.runs), desc="parse sample-activity.fit", unit="parse", file=sys.stderr):
        started = time.perf_counter()
        parse_activity_file(data)
        timings.append(time.perf_counter() - started)

    median, p95 = statistics.median(timings), percentile(timings, 0.95)
    print(f"{args.runs} parses of {SAMPLE_FILE.name} ({samples} samples): median {median:.3f} s, p95 {p95:.3f} s")
    if not args.no_record:
        record(
            f"- {datetime.now(UTC):%Y-%m-%d}: median {median:.3f} s, p95 {p95:.3f} s over {args.runs} runs "
            f"(Python {platform.python_version()}, {platform.machine()})"
        )
        print(f"recorded in {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
