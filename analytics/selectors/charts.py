"""Reads for running_streaks, user_metrics_charts and user_metrics_summary.

Activities are aggregated in the database with one GROUP BY on the local day of the request's
time zone (analytics.buckets.local_bucket); callers zero-fill and roll days up into ISO weeks by
walking the day buckets, never the activities. Wellness is already one row per local date.
"""

from datetime import date, timedelta, tzinfo

from django.db.models import Avg, Count, Q, Sum

from analytics.buckets import aggregate_buckets, local_bucket
from analytics.models import RUN_SPORTS, Activity, DailyWellness
from astral.local_time import local_day_start, local_days_range

RUNS = Q(sport__in=RUN_SPORTS)
RESTING_HR_MEAN_DAYS = 30


def daily_run_totals(user, zone: tzinfo, first: date, last: date) -> dict[date, dict]:
    """{local date: {runs, distance (m)}} of the athlete's runs (run, trail run, treadmill) on the
    local days first … last in `zone`; days without a run are absent. One GROUP BY."""
    start, end = local_days_range(first, last, zone)
    runs = Activity.objects.filter(RUNS, user=user, start_time__gte=start, start_time__lt=end)
    return aggregate_buckets(runs, local_bucket("start_time", "day", zone), runs=Count("pk"), distance=Sum("distance"))


def run_days_before(user, zone: tzinfo, first: date) -> set[date]:
    """Every local date in `zone` before `first` with a run: how far a current streak that
    spans a whole window reaches back. One GROUP BY (distinct local days)."""
    runs = Activity.objects.filter(RUNS, user=user, start_time__lt=local_day_start(first, zone))
    return set(aggregate_buckets(runs, local_bucket("start_time", "day", zone), runs=Count("pk")))


def daily_activity_totals(user, zone: tzinfo, first: date, last: date) -> dict[date, dict]:
    """{local date: {runs, run_distance (m, runs only), load (training load of every sport)}} on the
    local days first … last in `zone`; days without an activity are absent. One GROUP BY."""
    start, end = local_days_range(first, last, zone)
    activities = Activity.objects.filter(user=user, start_time__gte=start, start_time__lt=end)
    rows = aggregate_buckets(
        activities,
        local_bucket("start_time", "day", zone),
        runs=Count("pk", filter=RUNS),
        run_distance=Sum("distance", filter=RUNS),
        load=Sum("training_load"),
    )
    return {
        day: {"runs": row["runs"], "run_distance": row["run_distance"] or 0.0, "load": row["load"] or 0.0}
        for day, row in rows.items()
    }


def heart_wellness(user, first: date, last: date) -> dict[date, dict]:
    """{date: {resting_heart_rate (bpm), hrv (rMSSD ms)}} of the wellness days first … last that
    have either (the other None). One query for both chart series."""
    rows = DailyWellness.objects.filter(
        Q(resting_heart_rate__isnull=False) | Q(hrv__isnull=False), user=user, date__gte=first, date__lte=last
    ).values("date", "resting_heart_rate", "hrv")
    return {row.pop("date"): row for row in rows}


def resting_heart_rate_summary(user, today: date) -> dict:
    """{resting_heart_rate, resting_heart_rate_date, resting_heart_rate_30d_avg}: the latest value
    on or before `today` (no age limit, like the snapshot's VO2max) with its date, and the mean of
    the days of today−29 … today that have one (1 decimal); None where there is none. Two queries."""
    recorded = DailyWellness.objects.filter(user=user, date__lte=today, resting_heart_rate__isnull=False)
    latest = recorded.order_by("-date").values_list("date", "resting_heart_rate").first()
    first = today - timedelta(days=RESTING_HR_MEAN_DAYS - 1)
    mean = recorded.filter(date__gte=first).aggregate(mean=Avg("resting_heart_rate"))["mean"]
    return {
        "resting_heart_rate": latest[1] if latest else None,
        "resting_heart_rate_date": latest[0] if latest else None,
        "resting_heart_rate_30d_avg": round(float(mean), 1) if mean is not None else None,
    }
