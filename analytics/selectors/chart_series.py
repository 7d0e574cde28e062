"""Streaks with a run calendar, chart series with trend lines, and summary tiles of one athlete:
plain dicts (the answers of the streaks/charts/summary endpoints and of the profile page).

Every day is a local day of `zone`; `today` is the athlete's local date in it.
"""

from datetime import date, timedelta

from analytics.buckets import bucket_labels, bucket_start
from analytics.metrics.hrv import BASELINE_DAYS, hrv_series
from analytics.metrics.load_series import fitness_load_series
from analytics.metrics.snapshot import LOAD_HISTORY_DAYS
from analytics.metrics.streaks import current_streak, longest_streak
from analytics.metrics.training import AVERAGE_WEEKS, same_days_of_previous_weeks
from analytics.metrics.trends import trailing_mean
from analytics.selectors import charts as selectors
from analytics.services.snapshots import athlete_snapshot_fresh

ONE_DAY = timedelta(days=1)
DEFAULT_STREAK_DAYS, MAX_STREAK_DAYS = 90, 3650
DISTANCE_DAYS, DISTANCE_TREND_DAYS = 30, 7
LOAD_WEEKS, LOAD_TREND_WEEKS = 12, 4
RESTING_HR_DAYS, RESTING_HR_TREND_DAYS = 90, 30
HRV_DAYS = 90
FITNESS_LOAD_DAYS = 90
FITNESS_TILES = ("vo2_max", "vo2_max_prev", "hrv_avg", "hrv_avg_prev", "recovery_score", "recovery_score_prev")


def _current_streak(athlete, zone, active: set[date], first: date, today: date) -> int:
    """The current streak from the window's active days; when the day that ended it lies before
    the window (the streak spans it, or `days` = 1), count on over the days before the window."""
    length = current_streak(active, today)
    anchor = today if today in active else today - ONE_DAY
    if anchor - timedelta(days=length) < first:
        length = current_streak(active | selectors.run_days_before(athlete, zone, first), today)
    return length


def running_streaks_payload(athlete, zone, days: int, today: date) -> dict:
    first = today - timedelta(days=days - 1)
    rows = selectors.daily_run_totals(athlete, zone, first, today)
    longest = longest_streak(set(rows), first, today)

    def calendar_day(day: date, row: dict | None) -> dict:
        runs, distance = (row["runs"], round(row["distance"] or 0.0, 1)) if row else (0, 0.0)
        return {"date": day.isoformat(), "active": runs > 0, "runs": runs, "distance": distance}

    return {
        "current_streak": _current_streak(athlete, zone, set(rows), first, today),
        "longest_streak": {
            "length": longest["length"],
            "start": longest["start"].isoformat() if longest["start"] else None,
            "end": longest["end"].isoformat() if longest["end"] else None,
        },
        "calendar": [calendar_day(day, rows.get(day)) for day in bucket_labels(first, today, "day")],
    }


def _trend_series(labels: list[date], values: list, window: int, shown: int) -> list[dict]:
    """The last `shown` points of [{date, value, trend}]; `labels` start `window − 1` buckets
    earlier so that the first shown trend is a full trailing mean too."""
    trend = trailing_mean(values, window)
    points = [
        {"date": day.isoformat(), "value": value, "trend": mean}
        for day, value, mean in zip(labels, values, trend, strict=True)
    ]
    return points[-shown:]


def metrics_charts_payload(athlete, zone, today: date) -> dict:
    fitness_first = today - timedelta(days=FITNESS_LOAD_DAYS - 1)
    distance_first = today - timedelta(days=DISTANCE_DAYS + DISTANCE_TREND_DAYS - 2)
    week_first = bucket_start(today, "week") - timedelta(weeks=LOAD_WEEKS + LOAD_TREND_WEEKS - 2)
    # Every CTL point sees the 180 days of loads before it (the snapshot's horizon: e^(−180/42) ≈ 1.4 %).
    history_first = min(fitness_first - timedelta(days=LOAD_HISTORY_DAYS), week_first, distance_first)
    days = selectors.daily_activity_totals(athlete, zone, history_first, today)

    distance_labels = bucket_labels(distance_first, today, "day")
    distances = [round(days[d]["run_distance"], 1) if d in days else 0.0 for d in distance_labels]

    week_loads = dict.fromkeys(bucket_labels(week_first, today, "week"), 0.0)
    for day, row in days.items():  # roll local days up into ISO weeks: walks ≤ 7 buckets per week
        monday = bucket_start(day, "week")
        if monday in week_loads:
            week_loads[monday] += row["load"]

    rhr_first = today - timedelta(days=RESTING_HR_DAYS + RESTING_HR_TREND_DAYS - 2)
    rhr_labels = bucket_labels(rhr_first, today, "day")
    hrv_first = today - timedelta(days=HRV_DAYS - 1)
    # The first HRV point's band looks 59 days further back.
    wellness = selectors.heart_wellness(athlete, min(rhr_first, hrv_first - timedelta(days=BASELINE_DAYS - 1)), today)
    rates = {day: row["resting_heart_rate"] for day, row in wellness.items()}
    rmssd = {day: row["hrv"] for day, row in wellness.items()}

    loads = {day: row["load"] for day, row in days.items()}
    fitness = fitness_load_series(loads, bucket_labels(fitness_first, today, "day"))
    return {
        "daily_distance": _trend_series(distance_labels, distances, DISTANCE_TREND_DAYS, DISTANCE_DAYS),
        "weekly_training_load": _trend_series(
            list(week_loads), [round(load, 1) for load in week_loads.values()], LOAD_TREND_WEEKS, LOAD_WEEKS
        ),
        "resting_heart_rate": _trend_series(
            rhr_labels, [rates.get(day) for day in rhr_labels], RESTING_HR_TREND_DAYS, RESTING_HR_DAYS
        ),
        "fitness_load": [{**point, "date": point["date"].isoformat()} for point in fitness],
        "hrv": [
            {**point, "date": point["date"].isoformat()}
            for point in hrv_series(rmssd, bucket_labels(hrv_first, today, "day"))
        ],
    }


def _change_pct(value: float | None, previous: float | None) -> float | None:
    """Percent change from `previous`, 1 decimal; None when `previous` is 0 or missing."""
    if value is None or not previous:
        return None
    return round((value - previous) / previous * 100.0, 1)


def metrics_summary_payload(athlete, zone, today: date) -> dict:
    """Like with like: the week so far against the same weekdays of last week (distance) and of
    the 4 weeks before (load); last week's whole distance and the 4 whole weeks' mean load beside."""
    snapshot = athlete_snapshot_fresh(athlete).data
    monday = bucket_start(today, "week")
    first = monday - timedelta(weeks=AVERAGE_WEEKS)
    days = selectors.daily_activity_totals(athlete, zone, first, today)
    week_m = sum(row["run_distance"] for day, row in days.items() if day >= monday)
    last_week = {day: row for day, row in days.items() if day >= monday - timedelta(weeks=1) and day < monday}
    last_week_m = sum(row["run_distance"] for row in last_week.values())
    same_days_m = sum(
        row["run_distance"] for day, row in last_week.items() if same_days_of_previous_weeks(day, today, 1)
    )
    same_days_load = sum(
        row["load"] for day, row in days.items() if same_days_of_previous_weeks(day, today, AVERAGE_WEEKS)
    )
    same_days_avg_load = round(same_days_load / AVERAGE_WEEKS, 1)
    training, fitness = snapshot["training"], snapshot["fitness"]["current"]
    resting = selectors.resting_heart_rate_summary(athlete, today)
    return {
        "week_distance_km": round(week_m / 1000.0, 1),
        "last_week_distance_km": round(last_week_m / 1000.0, 1),
        "last_week_same_days_distance_km": round(same_days_m / 1000.0, 1),
        "week_distance_change_pct": _change_pct(week_m, same_days_m),
        "week_load": training["current_week_load"],
        "four_week_avg_load": training["four_week_avg_load"],
        "same_days_avg_load": same_days_avg_load,
        "load_vs_avg_pct": _change_pct(training["current_week_load"], same_days_avg_load),
        "resting_heart_rate": resting["resting_heart_rate"],
        "resting_heart_rate_date": (
            resting["resting_heart_rate_date"].isoformat() if resting["resting_heart_rate_date"] else None
        ),
        "resting_heart_rate_30d_avg": resting["resting_heart_rate_30d_avg"],
        **{key: fitness[key] for key in FITNESS_TILES},
        "current_streak": _current_streak(
            athlete, zone, {day for day, row in days.items() if row["runs"]}, first, today
        ),
    }
