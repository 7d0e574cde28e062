"""The metrics snapshot of one athlete, composed from plain inputs (pure: no Django, no clock).

The selector `analytics.selectors.snapshot_inputs` gathers `AthleteInputs` in SQL; this module
turns them into the JSON-ready dict stored on `MetricsSnapshot.data`.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from analytics.metrics.attention import attention_flags
from analytics.metrics.compliance import RUN_SPORTS
from analytics.metrics.fitness import WellnessDay, fitness_current, wellness_history
from analytics.metrics.hrv import hrv_point
from analytics.metrics.quality import data_quality
from analytics.metrics.training import AVERAGE_WEEKS, same_days_of_previous_weeks, training_summary
from analytics.metrics.vdot import format_pace

LOAD_HISTORY_DAYS = 180  # e^(−180/42) ≈ 1 %: older loads no longer move CTL
WELLNESS_HISTORY_DAYS = 90
PACE_WINDOW_DAYS = 28


@dataclass(frozen=True)
class DayTotals:
    """One local day of an athlete: load of every sport; distance/time/count of runs only."""

    load: float = 0.0
    run_distance: float = 0.0
    run_duration: float = 0.0
    runs: int = 0


@dataclass(frozen=True)
class ProfileFacts:
    has_pace_zones: bool = False
    has_hr_zones: bool = False
    has_vdot: bool = False
    has_integration: bool = False
    has_timezone: bool = False
    has_unit_system: bool = False


@dataclass(frozen=True)
class AthleteInputs:
    today: date
    profile: ProfileFacts
    days: dict[date, DayTotals] = field(default_factory=dict)
    first_activity_date: date | None = None
    last_run_date: date | None = None
    wellness: list[WellnessDay] = field(default_factory=list)
    last_activity: dict | None = None


def _iso_week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def running_analytics(days: dict[date, DayTotals], today: date) -> dict:
    """weekly_distance_km: runs of the ISO week containing `today`; avg_pace_per_km: total time ÷
    total km of the runs of the last 28 local days (None without runs)."""
    monday = _iso_week_start(today)
    week_m = sum(t.run_distance for d, t in days.items() if monday <= d <= today)
    window = [t for d, t in days.items() if today - timedelta(days=PACE_WINDOW_DAYS - 1) <= d <= today]
    distance_km = sum(t.run_distance for t in window) / 1000.0
    duration = sum(t.run_duration for t in window)
    return {
        "weekly_distance_km": round(week_m / 1000.0, 1),
        "avg_pace_per_km": format_pace(duration / distance_km) if distance_km > 0 else None,
    }


def snapshot_data(inputs: AthleteInputs, now: datetime) -> dict:
    today = inputs.today
    loads = {day: totals.load for day, totals in inputs.days.items() if totals.load}
    training = training_summary(loads, today)
    history_days = training.pop("history_days")
    if inputs.first_activity_date is not None:
        history_days = max(history_days, (today - inputs.first_activity_date).days + 1)
    current = fitness_current(inputs.wellness, today)
    flags = attention_flags(
        current=current,
        acwr=training["acwr"],
        history_days=history_days,
        last_run_date=inputs.last_run_date,
        today=today,
        # The wellness inputs reach WELLNESS_HISTORY_DAYS back: the 60-day HRV band needs no query.
        hrv=hrv_point({day.date: day.hrv for day in inputs.wellness}, today),
    )
    profile = inputs.profile
    return {
        "as_of": today.isoformat(),
        "running_analytics": running_analytics(inputs.days, today),
        "fitness": {
            "current": current,
            "vo2_max_history": wellness_history(inputs.wellness, "vo2_max", today),
            "hrv_history": wellness_history(inputs.wellness, "hrv", today),
            "recovery_history": wellness_history(inputs.wellness, "recovery_score", today),
        },
        "training": {**training, "history_days": history_days},
        "attention_signals": {"flags": flags},
        "data_quality": data_quality(
            has_pace_zones=profile.has_pace_zones,
            has_hr_zones=profile.has_hr_zones,
            has_vdot=profile.has_vdot,
            has_integration=profile.has_integration,
            has_timezone=profile.has_timezone,
            has_unit_system=profile.has_unit_system,
        ),
        "last_activity": inputs.last_activity,
        "last_updated": now.isoformat().replace("+00:00", "Z"),
    }


def weekly_facts(days: dict[date, DayTotals], today: date, training: dict, recent_runs: list) -> dict:
    """The numbers of the weekly summary text (insight_texts.weekly_text keyword arguments).

    Like with like: the week so far (Monday … `today`, local days) against the same weekdays of
    each of the 4 weeks before — on a Tuesday, Monday–Tuesday of those weeks, averaged over 4."""
    monday = _iso_week_start(today)
    days_into_week = (today - monday).days + 1
    week = [t for d, t in days.items() if monday <= d <= today]
    same_days = [t for d, t in days.items() if same_days_of_previous_weeks(d, today, AVERAGE_WEEKS)]
    this_week_runs = [r.distance_m for r in recent_runs if monday <= r.local_date <= today and r.sport in RUN_SPORTS]
    return {
        "week_start": monday,
        "days_into_week": days_into_week,
        "week_distance_km": round(sum(t.run_distance for t in week) / 1000.0, 1),
        "week_runs": sum(t.runs for t in week),
        "week_load": training["current_week_load"],
        "same_days_avg_distance_km": round(sum(t.run_distance for t in same_days) / 4000.0, 1),
        "same_days_avg_load": round(sum(t.load for t in same_days) / 4.0, 1),
        "longest_run_km": round(max(this_week_runs) / 1000.0, 1) if this_week_runs else None,
    }
