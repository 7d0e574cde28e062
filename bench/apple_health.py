"""Apple Health export benchmark (issue 13 §2): a generated export.xml of ~300 MB parsed streaming.

    .venv/bin/python bench/apple_health.py [--megabytes 300] [--no-record]

Writes a realistic export.xml (the Health app's DTD header; heart-rate, step and energy records
dominate, as in real exports, with the three daily measures and a run every day among them) to a
temporary file, then parses it in a fresh process with `analytics.ingest.apple_health.read_export`
and reports the wall time and that process's peak memory (ru_maxrss). Target: ≤ 200 MB peak.
"""

import argparse
import random
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
HEADER = (ROOT / "tests" / "data" / "apple_health" / "export.xml").read_text().split("<HealthData", 1)[0]
STAMP = "%Y-%m-%d %H:%M:%S +0100"
NOISE = (
    ("HKQuantityTypeIdentifierHeartRate", "count/min", 55, 175),
    ("HKQuantityTypeIdentifierStepCount", "count", 10, 900),
    ("HKQuantityTypeIdentifierActiveEnergyBurned", "Cal", 1, 40),
    ("HKQuantityTypeIdentifierDistanceWalkingRunning", "km", 0, 2),
)


def record(kind: str, unit: str, value, at: datetime) -> str:
    stamp = at.strftime(STAMP)
    return (
        f' <Record type="{kind}" sourceName="Bench Apple Watch" sourceVersion="11.1" '
        f'device="&lt;&lt;HKDevice: 0x283e4c0a0&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch&gt;" '
        f'unit="{unit}" creationDate="{stamp}" startDate="{stamp}" endDate="{stamp}" value="{value}"/>\n'
    )


def workout(at: datetime, rng: random.Random) -> str:
    minutes = rng.uniform(25, 80)
    start, end = at.strftime(STAMP), (at + timedelta(minutes=minutes + 1)).strftime(STAMP)
    return (
        f' <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="{minutes:.2f}" durationUnit="min" '
        f'sourceName="Bench Apple Watch" creationDate="{end}" startDate="{start}" endDate="{end}">\n'
        '  <MetadataEntry key="HKIndoorWorkout" value="0"/>\n'
        f'  <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" startDate="{start}" '
        f'endDate="{end}" sum="{minutes / 5.5:.3f}" unit="km"/>\n'
        f'  <WorkoutStatistics type="HKQuantityTypeIdentifierHeartRate" startDate="{start}" endDate="{end}" '
        f'average="{rng.uniform(135, 160):.1f}" minimum="95" maximum="{rng.randint(165, 190)}" unit="count/min"/>\n'
        " </Workout>\n"
    )


def generate(path: Path, megabytes: int) -> tuple[int, int]:
    """(runs, days) written; about `megabytes` MB."""
    rng, target = random.Random(7), megabytes * 1_000_000
    day, runs, days, written = datetime(2020, 1, 1, tzinfo=UTC), 0, 0, 0
    with path.open("w", encoding="utf-8") as out, tqdm(total=target, unit="B", unit_scale=True, desc="writing") as bar:
        chunk = HEADER + '<HealthData locale="en_GB">\n <ExportDate value="2026-11-30 21:04:11 +0100"/>\n'
        while written < target:
            days += 1
            lines = [record("HKQuantityTypeIdentifierRestingHeartRate", "count/min", rng.randint(44, 60), day)]
            lines.append(
                record("HKQuantityTypeIdentifierHeartRateVariabilitySDNN", "ms", round(rng.uniform(30, 90), 1), day)
            )
            if days % 7 == 0:
                lines.append(record("HKQuantityTypeIdentifierVO2Max", "mL/min·kg", round(rng.uniform(42, 52), 2), day))
            for minute in range(0, 24 * 60, 2):  # a reading every 2 minutes, as a watch writes
                kind, unit, low, high = NOISE[minute % len(NOISE)]
                lines.append(record(kind, unit, rng.randint(low, high), day + timedelta(minutes=minute)))
            lines.append(workout(day + timedelta(hours=7), rng))
            runs += 1
            text = chunk + "".join(lines)
            chunk = ""
            out.write(text)
            written += len(text.encode())
            bar.update(len(text.encode()))
            day += timedelta(days=1)
        out.write("</HealthData>\n")
    return runs, days


PARSE = """
import resource, sys, time
sys.path.insert(0, {root!r})
from analytics.ingest.apple_health import HealthWorkout, daily_measures, read_export
from datetime import UTC
started = time.perf_counter()
runs, samples = 0, []
with open({path!r}, "rb") as stream:
    for item in read_export(stream):
        if isinstance(item, HealthWorkout):
            runs += 1
        else:
            samples.append(item)
days = daily_measures(samples, UTC)
print(runs, len(days), time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=300)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.xml"
        runs, days = generate(path, args.megabytes)
        size_mb = path.stat().st_size / 1_000_000
        print(f"- parsing {size_mb:.0f} MB ({runs} runs over {days} days) in a fresh process", flush=True)
        out = subprocess.run(
            [sys.executable, "-c", PARSE.format(root=str(ROOT), path=str(path))],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    found_runs, found_days, seconds, peak_kb = int(out[0]), int(out[1]), float(out[2]), int(out[3])
    assert (found_runs, found_days) == (runs, days), (found_runs, found_days, runs, days)
    peak_mb = peak_kb / 1024
    verdict = "met" if peak_mb <= 200 else "MISSED"
    text = (
        f"## Apple Health export, streaming parse — {datetime.now(UTC):%Y-%m-%d}\n\n"
        f"A generated export.xml of {size_mb:.0f} MB ({runs} runs, {days} days of watch records) parsed in "
        f"{seconds:.1f} s ({size_mb / seconds:.1f} MB/s); peak memory of the parsing process (ru_maxrss: Python, "
        f"the parser and the samples kept for the daily measures) **{peak_mb:.0f} MB** — target ≤ 200 MB {verdict}.\n"
    )
    print("\n" + text)
    if not args.no_record:
        with open(ROOT / "bench" / "RESULTS.md", "a") as results:
            results.write("\n" + text)


if __name__ == "__main__":
    main()
