"""An athlete's planned-vs-done calendar (GET analytics/calendar and the calendar page).

Local days are the athlete's own (profile zone, else UTC), as on the Plans tab, so both read the
same days. Three queries whatever the number of days, plans or activities: the plan instances
that can overlap the window (with their plans), their planned workouts, and the window's
activities with their local day computed in SQL. Pairing, ratios and colours are
`analytics.metrics.compliance`.
"""

from collections import defaultdict
from datetime import date, datetime, timedelta

from analytics.buckets import local_bucket
from analytics.metrics.compliance import (
    UNPLANNED,
    DoneItem,
    PlannedItem,
    planned_date,
    workout_compliance,
    workout_family,
    workout_pairs,
)
from analytics.models import Activity
from astral.local_time import local_days_range, user_zone
from plans.models import MAX_PLAN_WEEKS, PlanInstance, PlannedWorkout


def _planned_items(athlete, first: date, last: date) -> list[PlannedItem]:
    """The non-rest workouts of the athlete's non-cancelled plan instances dated first…last."""
    instances = list(
        PlanInstance.objects.filter(
            athlete=athlete,
            cancelled=False,
            start_date__lte=last,
            start_date__gt=first - timedelta(weeks=MAX_PLAN_WEEKS),  # no plan lasts longer
        ).order_by("start_date", "pk")
    )
    if not instances:
        return []
    by_plan = defaultdict(list)
    for workout in PlannedWorkout.objects.filter(plan_id__in={i.plan_id for i in instances}).order_by(
        "week", "day", "pk"
    ):
        by_plan[workout.plan_id].append(workout)
    items = []
    for rank, instance in enumerate(instances):
        for workout in by_plan[instance.plan_id]:
            day = planned_date(instance.start_date, workout.week, workout.day)
            if first <= day <= last and workout_family(workout.type) is not None:
                items.append(
                    PlannedItem(
                        key=(instance.pk, workout.pk),
                        day=day,
                        type=workout.type,
                        distance=workout.distance,
                        duration=workout.duration,
                        order=(rank, workout.week, workout.day, workout.pk),
                    )
                )
    return items


def _done_items(athlete, first: date, last: date) -> list[DoneItem]:
    zone = user_zone(athlete)
    start, end = local_days_range(first, last, zone)
    rows = (
        Activity.objects.filter(user=athlete, start_time__gte=start, start_time__lt=end)
        .annotate(local_day=local_bucket("start_time", "day", zone))
        .order_by("start_time", "pk")
        .values_list("public_id", "local_day", "sport", "distance", "duration", "start_time")
    )
    return [
        DoneItem(
            key=public_id,
            day=day.date() if isinstance(day, datetime) else day,
            sport=sport,
            distance=distance,
            duration=duration,
            order=(started, public_id),
        )
        for public_id, day, sport, distance, duration, started in rows
    ]


def athlete_calendar(athlete, *, first: date, last: date, today: date) -> list[dict]:
    """One entry per local day first…last: {date, planned: [{type, distance (m), duration (s),
    activity_id, compliance}], activities: [{activity_id, sport, distance, duration,
    compliance}]}; planned in plan order, activities by start time. `today` is the athlete's
    local date (it separates missed from upcoming)."""
    planned, done = _planned_items(athlete, first, last), _done_items(athlete, first, last)
    pairs = workout_pairs(planned, done)
    activity_compliance = {}
    planned_by_day = defaultdict(list)
    for item in sorted(planned, key=lambda item: item.order):
        activity = pairs.get(item.key)
        verdict = workout_compliance(item, activity, today)
        if activity is not None:
            activity_compliance[activity.key] = verdict
        planned_by_day[item.day].append(
            {
                "type": item.type,
                "distance": item.distance,
                "duration": item.duration,
                "activity_id": activity.key if activity else None,
                "compliance": verdict,
            }
        )
    done_by_day = defaultdict(list)
    for activity in done:
        done_by_day[activity.day].append(
            {
                "activity_id": activity.key,
                "sport": activity.sport,
                "distance": round(activity.distance, 1),
                "duration": round(activity.duration, 1),
                "compliance": dict(activity_compliance.get(activity.key, UNPLANNED)),
            }
        )
    days, day = [], first
    while day <= last:
        days.append({"date": day.isoformat(), "planned": planned_by_day[day], "activities": done_by_day[day]})
        day += timedelta(days=1)
    return days
