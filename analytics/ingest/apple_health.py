"""Apple Health's export (`export.zip` from the Health app, or its `export.xml`), read streaming.

A real export is hundreds of MB to several GB, almost all of it `<Record>` rows: it is read with
`iterparse`, each top-level element handled at its end and then dropped, so memory stays flat
whatever the size. The file carries an internal DTD (element declarations only); defusedxml
refuses entity declarations and external references, so a crafted upload cannot expand.

What is read (Apple's `HealthData` DTD, as written at the top of every export.xml):
- `<Workout workoutActivityType duration durationUnit totalDistance totalDistanceUnit
  totalEnergyBurned totalEnergyBurnedUnit sourceName startDate endDate>`: running workouts only
  (`HKWorkoutActivityTypeRunning`; `treadmill` when `<MetadataEntry key="HKIndoorWorkout"
  value="1">`). Newer exports (iOS 16+) give distance, energy and heart rate only as
  `<WorkoutStatistics type sum average maximum unit>` children; both forms are read.
- `<Record type unit value startDate>` of three types: resting heart rate
  (`HKQuantityTypeIdentifierRestingHeartRate`, bpm), VO2max (`HKQuantityTypeIdentifierVO2Max`,
  mL/(kg·min)) and heart-rate variability (`HKQuantityTypeIdentifierHeartRateVariabilitySDNN`).
  Apple's HRV is **SDNN**, not the rMSSD Astral's `hrv` holds: it is kept apart, never mixed.
Dates are written `2024-03-09 07:15:02 +0100`; every instant is returned in UTC.
"""

import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import BinaryIO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from analytics.ingest.types import InvalidActivityFile

RUNNING = "HKWorkoutActivityTypeRunning"
RECORD_KINDS = {
    "HKQuantityTypeIdentifierRestingHeartRate": "resting_heart_rate",
    "HKQuantityTypeIdentifierVO2Max": "vo2_max",
    "HKQuantityTypeIdentifierHeartRateVariabilitySDNN": "hrv_sdnn",
}
DISTANCE_STATISTICS = ("HKQuantityTypeIdentifierDistanceWalkingRunning",)
METRES_PER = {"m": 1.0, "km": 1000.0, "mi": 1609.344, "ft": 0.3048, "yd": 0.9144}
SECONDS_PER = {"s": 1.0, "sec": 1.0, "min": 60.0, "hr": 3600.0, "h": 3600.0}
KCAL_PER = {"kcal": 1.0, "Cal": 1.0, "cal": 0.001, "kJ": 1 / 4.184}
UNREADABLE = "This Apple Health export could not be read: it is damaged or is not the Health app's export.xml."


@dataclass(frozen=True, slots=True)
class HealthWorkout:
    start_time: datetime  # UTC
    duration_s: float
    elapsed_s: float
    distance_m: float | None
    energy_kcal: float | None
    avg_heart_rate: int | None
    max_heart_rate: int | None
    indoor: bool
    source: str


@dataclass(frozen=True, slots=True)
class HealthSample:
    kind: str  # "resting_heart_rate" | "vo2_max" | "hrv_sdnn"
    start_time: datetime  # UTC
    value: float


def apple_datetime(text: str) -> datetime:
    """`2024-03-09 07:15:02 +0100` → the instant in UTC."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S %z").astimezone(UTC)


def _number(text: str | None) -> float | None:
    try:
        value = float(text) if text not in (None, "") else None
    except ValueError:
        return None
    return value if value is not None and value == value and abs(value) != float("inf") else None


def _scaled(value: float | None, unit: str | None, table: dict[str, float]) -> float | None:
    factor = table.get(unit or "")
    return value * factor if value is not None and factor is not None else None


def _workout(element) -> HealthWorkout | None:
    attrs = element.attrib
    if attrs.get("workoutActivityType") != RUNNING:
        return None
    start, end = apple_datetime(attrs["startDate"]), apple_datetime(attrs["endDate"])
    duration = _scaled(_number(attrs.get("duration")), attrs.get("durationUnit", "min"), SECONDS_PER)
    distance = _scaled(_number(attrs.get("totalDistance")), attrs.get("totalDistanceUnit"), METRES_PER)
    energy = _scaled(_number(attrs.get("totalEnergyBurned")), attrs.get("totalEnergyBurnedUnit"), KCAL_PER)
    average = maximum = None
    indoor = False
    for child in element:
        kind = child.get("type")
        if child.tag == "MetadataEntry" and child.get("key") == "HKIndoorWorkout":
            indoor = child.get("value") == "1"
        elif child.tag != "WorkoutStatistics":
            continue
        elif kind in DISTANCE_STATISTICS and distance is None:
            distance = _scaled(_number(child.get("sum")), child.get("unit"), METRES_PER)
        elif kind == "HKQuantityTypeIdentifierActiveEnergyBurned" and energy is None:
            energy = _scaled(_number(child.get("sum")), child.get("unit"), KCAL_PER)
        elif kind == "HKQuantityTypeIdentifierHeartRate":
            average, maximum = _number(child.get("average")), _number(child.get("maximum"))
    elapsed = (end - start).total_seconds()
    return HealthWorkout(
        start_time=start,
        duration_s=duration if duration is not None else elapsed,
        elapsed_s=elapsed,
        distance_m=distance,
        energy_kcal=energy,
        avg_heart_rate=round(average) if average else None,
        max_heart_rate=round(maximum) if maximum else None,
        indoor=indoor,
        source=attrs.get("sourceName", ""),
    )


def _sample(element) -> HealthSample | None:
    kind = RECORD_KINDS.get(element.get("type"))
    value = _number(element.get("value"))
    if kind is None or value is None:
        return None
    return HealthSample(kind=kind, start_time=apple_datetime(element.get("startDate")), value=value)


def read_export_xml(stream: BinaryIO) -> Iterator[HealthWorkout | HealthSample]:
    """Running workouts and the three daily measures of an export.xml stream, in file order."""
    depth, root = 0, None
    try:
        for event, element in iterparse(stream, events=("start", "end")):
            if event == "start":
                depth += 1
                root = element if root is None else root
                continue
            depth -= 1
            if depth != 1:
                continue  # a Workout's children are read with it, at its end
            item = (
                _workout(element) if element.tag == "Workout" else _sample(element) if element.tag == "Record" else None
            )
            root.clear()  # drop what was read: memory stays flat
            if item is not None:
                yield item
        if root is None or root.tag != "HealthData":
            raise InvalidActivityFile(UNREADABLE, code="NOT_AN_APPLE_HEALTH_EXPORT")
    except (SyntaxError, DefusedXmlException, ValueError, KeyError) as error:  # ParseError is a SyntaxError
        raise InvalidActivityFile(UNREADABLE, code="CORRUPT_FILE") from error


def read_export(source: BinaryIO) -> Iterator[HealthWorkout | HealthSample]:
    """The same from `export.zip` (its `apple_health_export/export.xml`) or a bare export.xml."""
    if not zipfile.is_zipfile(source):
        source.seek(0)
        yield from read_export_xml(source)
        return
    source.seek(0)
    with zipfile.ZipFile(source) as archive:
        names = [name for name in archive.namelist() if name.rsplit("/", 1)[-1] == "export.xml"]
        if not names:
            raise InvalidActivityFile("This zip holds no export.xml from the Health app.", code="NO_ACTIVITY_DATA")
        with archive.open(min(names, key=len)) as member:
            yield from read_export_xml(member)


def daily_measures(samples: Iterable[HealthSample], zone: tzinfo) -> dict[date, dict[str, float]]:
    """Per local day in `zone`: the mean resting heart rate (bpm, whole), the last VO2max of the
    day (1 decimal) and the mean SDNN (ms, 1 decimal) — each only on days that have one."""
    values: dict[date, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for sample in sorted(samples, key=lambda s: s.start_time):
        values[sample.start_time.astimezone(zone).date()][sample.kind].append(sample.value)
    days = {}
    for day, kinds in values.items():
        measures = {}
        if kinds.get("resting_heart_rate"):
            measures["resting_heart_rate"] = round(sum(kinds["resting_heart_rate"]) / len(kinds["resting_heart_rate"]))
        if kinds.get("vo2_max"):
            measures["vo2_max"] = round(kinds["vo2_max"][-1], 1)
        if kinds.get("hrv_sdnn"):
            measures["hrv_sdnn"] = round(sum(kinds["hrv_sdnn"]) / len(kinds["hrv_sdnn"]), 1)
        days[day] = measures
    return days
