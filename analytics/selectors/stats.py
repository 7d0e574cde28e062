"""Aggregates behind the stats endpoints (fitness_stats, running_stats, activity_stats,
health_metrics): each call is ONE aggregate query — a plain aggregate or a GROUP BY on the
time-zone-aware bucket of analytics.buckets — then the series is zero-filled by walking the
bucket labels, never the activities.

Units are SI: metres, seconds, bpm. Time windows are UTC instants; the caller resolves local
dates and zones with astral.local_time.
"""

from datetime import date, datetime, tzinfo

from django.db.models import Avg, Count, F, FloatField, Q, Sum
from django.db.models.functions import Coalesce

from analytics.buckets import aggregate_buckets, bucket_labels, date_bucket, local_bucket, zero_filled
from analytics.metrics.vdot import format_pace
from analytics.models import RUN_SPORTS, Activity, DailyWellness

PACE_ZONE_FIELDS = tuple(f"pace_z{zone}_time" for zone in range(1, 6))
WELLNESS_AVERAGES = ("resting_heart_rate", "hrv", "vo2_max")


def _rounded(value, places: int = 1) -> float:
    """A SQL sum as a JSON number: None (no rows) → 0, float noise of SUM() rounded away."""
    return round(float(value or 0), places)


def _bucket_sums(*, load_name: str, count_name: str) -> dict:
    """The sums every time-series bucket carries; `load_name`/`count_name` follow each seed."""
    return {
        "distance": Sum("distance"),
        "duration": Sum("duration"),
        load_name: Sum("training_load"),
        count_name: Count("pk"),
        "calories": Coalesce(Sum("calories"), 0),
        **{name: Sum(name) for name in PACE_ZONE_FIELDS},
    }


def _bucket_point(label: date, row: dict | None, *, load_name: str, count_name: str) -> dict:
    row = row or {}
    return {
        "date": label.isoformat(),
        "distance": _rounded(row.get("distance")),
        "duration": _rounded(row.get("duration")),
        load_name: _rounded(row.get(load_name)),
        count_name: int(row.get(count_name) or 0),
        "calories": int(row.get("calories") or 0),
        **{name: _rounded(row.get(name)) for name in PACE_ZONE_FIELDS},
    }


# --- fitness_stats ------------------------------------------------------------------------------


def fitness_totals(athlete, *, start: datetime, end: datetime) -> dict:
    """Totals of the athlete's runs with `start` ≤ start_time < `end`, in one aggregate query.

    `hr_weighted` is Σ(avg HR × duration) and `hr_duration` Σ duration over the runs that have an
    average heart rate, so their ratio is the duration-weighted mean HR."""
    with_hr = Q(avg_heart_rate__isnull=False)
    return Activity.objects.filter(
        user=athlete, sport__in=RUN_SPORTS, start_time__gte=start, start_time__lt=end
    ).aggregate(
        runs=Count("pk"),
        run_distance=Sum("distance"),
        run_duration=Sum("duration"),
        hr_weighted=Sum(F("avg_heart_rate") * F("duration"), filter=with_hr, output_field=FloatField()),
        hr_duration=Sum("duration", filter=with_hr),
    )


def fitness_stats_summary(totals: dict) -> dict:
    """The fitness_stats answer from `fitness_totals`: `avg_pace` is total duration ÷ total km as
    M:SS (None without distance); `avg_heart_rate` (whole bpm, half up) only when a run had HR."""
    distance = float(totals["run_distance"] or 0)
    duration = float(totals["run_duration"] or 0)
    summary = {
        "total_activities": totals["runs"],
        "total_distance": _rounded(distance),
        "total_duration": _rounded(duration),
        "avg_pace": format_pace(duration / (distance / 1000.0)) if distance > 0 else None,
    }
    if totals["hr_duration"]:
        summary["avg_heart_rate"] = int(totals["hr_weighted"] / totals["hr_duration"] + 0.5)
    return summary


# --- running_stats ------------------------------------------------------------------------------


def running_stats_buckets(
    athlete, *, start: datetime, end: datetime, granularity: str, zone: tzinfo, before: datetime | None = None
) -> dict[date, dict]:
    """Runs with `start` ≤ start_time ≤ `end` (both inclusive; and < `before` when given), summed
    per local bucket of `granularity` in `zone`: one GROUP BY."""
    runs = Activity.objects.filter(user=athlete, sport__in=RUN_SPORTS, start_time__gte=start, start_time__lte=end)
    if before is not None:
        runs = runs.filter(start_time__lt=before)
    return aggregate_buckets(
        runs,
        local_bucket("start_time", granularity, zone),
        **_bucket_sums(load_name="nexrex_training_load", count_name="runs"),
    )


def running_stats_series(labels: list[date], rows: dict[date, dict]) -> list[dict]:
    """One point per label: {date, distance, duration, nexrex_training_load, runs, calories,
    pace_z1_time … pace_z5_time}; empty buckets are zeros."""
    return zero_filled(
        labels, rows, lambda label, row: _bucket_point(label, row, load_name="nexrex_training_load", count_name="runs")
    )


# --- activity_stats -----------------------------------------------------------------------------


def activity_stats_series(
    athlete, *, first: date, last: date, start: datetime, end: datetime, granularity: str, zone: tzinfo
) -> list[dict]:
    """All sports, start ≤ start_time < end (the local days first…last), one point per `day` or
    `month` bucket: {date, distance, duration, training_load, calories, activities, pace_z*}."""
    activities = Activity.objects.filter(user=athlete, start_time__gte=start, start_time__lt=end)
    rows = aggregate_buckets(
        activities,
        local_bucket("start_time", granularity, zone),
        **_bucket_sums(load_name="training_load", count_name="activities"),
    )
    return zero_filled(
        bucket_labels(first, last, granularity),
        rows,
        lambda label, row: _bucket_point(label, row, load_name="training_load", count_name="activities"),
    )


# --- health_metrics -----------------------------------------------------------------------------


def health_metrics_series(athlete, *, first: date, last: date, granularity: str) -> list[dict]:
    """Mean resting HR (bpm), HRV (rMSSD ms) and VO2max (ml/kg/min) per `day`/`week`/`month` of
    the wellness days first…last (already local dates), one decimal; None where no day has it."""
    days = DailyWellness.objects.filter(user=athlete, date__gte=first, date__lte=last)
    rows = aggregate_buckets(days, date_bucket("date", granularity), **{name: Avg(name) for name in WELLNESS_AVERAGES})

    def point(label: date, row: dict | None) -> dict:
        row = row or {}
        averages = {name: row.get(name) for name in WELLNESS_AVERAGES}
        return {"date": label.isoformat(), **{k: None if v is None else round(v, 1) for k, v in averages.items()}}

    return zero_filled(bucket_labels(first, last, granularity), rows, point)
