"""An Apple Health export imported as a job (`analytics.services.import_jobs` runs it).

Running workouts become activities (`source: apple_health`; `treadmill` when Apple marks them
indoor) through `activity_create`, each in its own transaction; one already stored (same start and
sport, e.g. from the watch's FIT file) is counted `duplicate`. The day's resting heart rate, VO2max
and SDNN go to daily wellness on the athlete's local days (their profile zone, else the job's),
in one bulk upsert at the end — SDNN into `hrv_sdnn`, never into the rMSSD `hrv`.
"""

from analytics.ingest.apple_health import HealthSample, HealthWorkout, daily_measures, read_export
from analytics.models import ImportJob, Source, Sport
from analytics.services.activities import activity_create
from analytics.services.imports import device_heart_rate
from analytics.services.wellness import wellness_bulk_upsert
from astral.exceptions import Conflict, InvalidInput
from astral.local_time import zone_or_utc


def _fields(workout: HealthWorkout, timezone_name: str) -> dict:
    avg_hr, max_hr = device_heart_rate(workout.avg_heart_rate), device_heart_rate(workout.max_heart_rate)
    return {
        "sport": Sport.TREADMILL if workout.indoor else Sport.RUN,
        "start_time": workout.start_time,
        "timezone": timezone_name,
        "distance": round(workout.distance_m or 0.0, 2),
        "duration": round(workout.duration_s, 3),
        "elapsed_time": round(max(workout.elapsed_s, workout.duration_s), 3),
        "avg_heart_rate": avg_hr,
        "max_heart_rate": max_hr if max_hr and (not avg_hr or max_hr >= avg_hr) else None,
        "calories": round(workout.energy_kcal) if workout.energy_kcal and workout.energy_kcal > 0 else None,
    }


def _store(job: ImportJob, workout: HealthWorkout, name: str) -> tuple[str, dict | None]:
    if workout.duration_s <= 0:
        return "invalid", {"file": name, "code": "NO_DURATION", "message": "The workout has no duration."}
    try:
        activity_create(user=job.user, fields=_fields(workout, job.timezone), source=Source.APPLE_HEALTH)
    except Conflict as conflict:
        return "duplicate", {"file": name, "code": conflict.code, "message": conflict.message}
    except InvalidInput as invalid:
        return "invalid", {"file": name, "code": invalid.code, "message": invalid.message}
    return "imported", None


def health_export_run(job: ImportJob, save) -> None:
    """Import the job's export; `save(job)` records progress (resumable by `job.processed`, the
    workouts done). Raises InvalidActivityFile when the export cannot be read."""
    zone = zone_or_utc(job.user.timezone or job.timezone)
    samples: list[HealthSample] = []
    size, index = max(job.upload.size, 1), 0
    with job.upload.open("rb") as source:
        for item in read_export(source):
            if isinstance(item, HealthSample):
                samples.append(item)
                continue
            index += 1
            if index <= job.processed:
                continue  # done by an earlier run
            outcome, error = _store(job, item, f"workout {item.start_time:%Y-%m-%d %H:%M}Z")
            job.counts[outcome] = job.counts.get(outcome, 0) + 1
            if error:
                job.errors.append(error)
            job.processed = job.total = index
            job.progress = min(0.99, round(source.tell() / size, 4))  # by bytes read
            save(job)
    job.counts["wellness_days"] = wellness_bulk_upsert(user=job.user, days=daily_measures(samples, zone))
    job.total = index
    save(job)
