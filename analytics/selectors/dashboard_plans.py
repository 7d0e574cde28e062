"""The Group Dashboard's Plans tab: the active plan instances of an organization's athletes,
with progress and compliance per plan, per group and per athlete.

Dates are each athlete's own: an instance is active by the athlete's local date (profile time
zone, else UTC), and an activity completes a planned workout on the athlete's local day of its
start. Compliance follows `analytics.metrics.compliance`, the calendar's rule (same local day and
type family; rest days excluded): completed = workouts done on or before the athlete's today,
partial ones included; due = those and the missed ones (today's undone workout is upcoming).

Five queries for any number of athletes, plans and groups: the athletes, their plan instances,
the planned workouts of those plans, the group members, and one GROUP BY (athlete, local day,
sport) whose local day is computed per row in the athlete's own zone (one CASE over the zones
present, not one query per zone). A sixth reads the activities of the days where an athlete's
plans overlap, when some do: there the calendar's best-match pairing decides which plan's workout
an activity completes, and the Plans tab pairs those days the same way.
"""

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Case, Count, DateField, When
from django.db.models.functions import TruncDate

from analytics.metrics.compliance import (
    DoneItem,
    PlannedItem,
    compliance_ratio_of,
    overlap_slots,
    plan_counts,
    plan_slots,
    planned_date,
    sport_family,
)
from analytics.models import Activity
from analytics.selectors.dashboard import GroupRow, groups_member_pks, organization_athletes
from astral.local_time import today_in, zone_or_utc
from organizations.models import Organization
from plans.models import MAX_PLAN_WEEKS, PlanInstance, PlannedWorkout, PlanStatus


def _mean(values: list[float], digits: int) -> float | None:
    return round(sum(values) / len(values), digits) if values else None


def _local_day(zone_names: set[str]):
    """The local day of `start_time` in each row's athlete's zone: one CASE over the zones present."""
    whens = [
        When(user__timezone=name, then=TruncDate("start_time", tzinfo=zone_or_utc(name)))
        for name in sorted(zone_names)
        if name
    ]
    utc_day = TruncDate("start_time", tzinfo=UTC)
    return Case(*whens, default=utc_day, output_field=DateField()) if whens else utc_day


def _as_date(day) -> date:
    return day.date() if isinstance(day, datetime) else day


def _utc_margin(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def athlete_day_counts(user_pks, zone_names: set[str], since: date) -> dict[int, Counter]:
    """{user pk: Counter {(local day, family): activities}} from the local day `since` (roughly: a
    day of margin covers every zone), from one GROUP BY (athlete, day, sport)."""
    rows = (
        Activity.objects.filter(user_id__in=user_pks, start_time__gte=_utc_margin(since - timedelta(days=1)))
        .annotate(day=_local_day(zone_names))
        .values("user_id", "day", "sport")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts: dict[int, Counter] = defaultdict(Counter)
    for row in rows:
        counts[row["user_id"]][(_as_date(row["day"]), sport_family(row["sport"]))] += row["count"]
    return counts


def _overlap_activities(slots: dict[int, set], zone_names: set[str]) -> dict[int, list[DoneItem]]:
    """{user pk: [DoneItem]} of the activities in each athlete's overlapping-plan slots, as the
    calendar reads them. One query, made only when some athlete's plans overlap."""
    days = [day for user_slots in slots.values() for day, _ in user_slots]
    rows = (
        Activity.objects.filter(
            user_id__in=list(slots),
            start_time__gte=_utc_margin(min(days) - timedelta(days=1)),
            start_time__lt=_utc_margin(max(days) + timedelta(days=2)),
        )
        .annotate(day=_local_day(zone_names))
        .order_by("start_time", "pk")
        .values_list("user_id", "public_id", "day", "sport", "distance", "duration", "start_time")
    )
    found: dict[int, list[DoneItem]] = defaultdict(list)
    for user_pk, public_id, day, sport, distance, duration, started in rows:
        item = DoneItem(public_id, _as_date(day), sport, distance, duration, (started, public_id))
        if (item.day, sport_family(sport)) in slots[user_pk]:
            found[user_pk].append(item)
    return found


def _planned_items(candidates: list[PlanInstance], windows: dict[int, tuple[date, date]]) -> dict[int, list]:
    """{athlete pk: the PlannedItems of their instances dated within their window (first, last)},
    in the calendar's plan order."""
    workouts = defaultdict(list)
    for row in PlannedWorkout.objects.filter(plan_id__in={instance.plan_id for instance in candidates}).values_list(
        "plan_id", "pk", "week", "day", "type", "distance", "duration"
    ):
        workouts[row[0]].append(row[1:])
    items = defaultdict(list)
    for instance in candidates:
        first, last = windows[instance.athlete_id]
        mine = items[instance.athlete_id]
        for pk, week, day, kind, distance, duration in workouts[instance.plan_id]:
            when = planned_date(instance.start_date, week, day)
            if first <= when <= last:
                order = (instance.start_date, instance.pk, week, day, pk)
                mine.append(PlannedItem((instance.pk, pk), when, kind, distance, duration, order))
    return items


def _athlete_rows(organization: Organization, now: datetime) -> list[dict]:
    """One row per active plan instance of the organization's athletes, by athlete then plan."""
    athletes, athlete_pks = organization_athletes(organization)
    by_pk = {athlete.pk: athlete for athlete in athletes}
    today = {athlete.pk: today_in(zone_or_utc(athlete.timezone), now) for athlete in athletes}
    if not today:
        return []
    # In SQL, only instances that can be active on some athlete's today (a plan lasts at most
    # MAX_PLAN_WEEKS); the exact test is per athlete, on their own date. The others stay beside
    # them: their workouts can fall on the same days (overlapping plans).
    started_by, started_after = max(today.values()), min(today.values()) - timedelta(weeks=MAX_PLAN_WEEKS)
    candidates = list(
        PlanInstance.objects.filter(
            athlete_id__in=athlete_pks, cancelled=False, start_date__lte=started_by, start_date__gt=started_after
        ).select_related("plan")
    )
    instances = [
        instance for instance in candidates if instance.status(today[instance.athlete_id]) == PlanStatus.ACTIVE
    ]
    if not instances:
        return []
    on_plan = {instance.athlete_id for instance in instances}  # athletes on a plan: nobody else's runs
    zone_names = {by_pk[pk].timezone for pk in on_plan}
    # What can count: each athlete's workouts from their earliest active plan's start to their today.
    windows = {pk: (date.max, today[pk]) for pk in on_plan}
    for instance in instances:
        windows[instance.athlete_id] = (
            min(windows[instance.athlete_id][0], instance.start_date),
            today[instance.athlete_id],
        )
    planned = _planned_items([instance for instance in candidates if instance.athlete_id in on_plan], windows)
    counts = athlete_day_counts(on_plan, zone_names, min(instance.start_date for instance in instances))
    slots = {pk: plan_slots(planned[pk], today[pk]) for pk in on_plan}
    overlaps = {pk: shared for pk in on_plan if (shared := overlap_slots(slots[pk]))}
    exact = _overlap_activities(overlaps, zone_names) if overlaps else {}
    done_due = {}
    for pk in on_plan:
        done_due.update(plan_counts(slots[pk], counts.get(pk, Counter()), exact.get(pk, []), today[pk]))
    rows = []
    for instance in instances:
        athlete, athlete_today = by_pk[instance.athlete_id], today[instance.athlete_id]
        completed, due = done_due.get(instance.pk, (0, 0))
        current_week = instance.current_week(athlete_today)
        rows.append(
            {
                "user_id": athlete.user_id,
                "display_name": athlete.display_name,
                "plan_instance_id": instance.public_id,
                "plan_id": instance.plan.public_id,
                "plan_name": instance.plan.name,
                "start_date": instance.start_date.isoformat(),
                "current_week": current_week,
                "total_weeks": instance.plan.total_weeks,
                "progress": round(current_week / instance.plan.total_weeks, 3),
                "completed": completed,
                "planned": due,
                "compliance": compliance_ratio_of(completed, due),
                # internal, dropped from the answer: exact values for the averages
                "_pk": athlete.pk,
                "_ratio": completed / due if due else None,
                "_progress": current_week / instance.plan.total_weeks,
            }
        )
    rows.sort(key=lambda row: (row["display_name"].lower(), row["user_id"], row["plan_name"], row["plan_instance_id"]))
    return rows


def group_dashboard_plans(*, organization: Organization, groups: list[GroupRow], now: datetime | None = None) -> dict:
    """Active plans across the organization's athletes.

    - `plans`: [{plan_id, name, total_weeks, athletes (instances), avg_current_week (1 decimal),
      avg_compliance}] by name;
    - `groups`: [{group_id, name, athletes_on_plans, avg_progress, avg_compliance}] for every group,
      by name (members' instances; None averages without any);
    - `athletes`: one row per active instance [{user_id, display_name, plan_instance_id, plan_id,
      plan_name, start_date, current_week, total_weeks, progress, completed, planned, compliance}].
    `progress` = current_week ÷ total_weeks; `compliance` = completed ÷ due workouts (the
    calendar's completed + partial ÷ completed + partial + missed; None while none was due).
    Averages are means of the exact per-instance values (3 decimals), over instances with
    something due for compliance.
    """
    rows = _athlete_rows(organization, now or datetime.now(UTC))
    by_plan = defaultdict(list)
    by_athlete = defaultdict(list)
    for row in rows:
        by_plan[row["plan_id"]].append(row)
        by_athlete[row["_pk"]].append(row)
    plans = [
        {
            "plan_id": plan_id,
            "name": mine[0]["plan_name"],
            "total_weeks": mine[0]["total_weeks"],
            "athletes": len(mine),
            "avg_current_week": _mean([row["current_week"] for row in mine], 1),
            "avg_compliance": _mean([row["_ratio"] for row in mine if row["_ratio"] is not None], 3),
        }
        for plan_id, mine in by_plan.items()
    ]
    plans.sort(key=lambda plan: (plan["name"].lower(), plan["plan_id"]))
    members_by_group, _ = groups_member_pks(organization) if groups else ({}, None)
    group_rows = []
    for group in groups:
        mine = [row for pk in members_by_group.get(group.pk, []) for row in by_athlete.get(pk, [])]
        group_rows.append(
            {
                "group_id": group.group_id,
                "name": group.name,
                "athletes_on_plans": len({row["_pk"] for row in mine}),
                "avg_progress": _mean([row["_progress"] for row in mine], 3),
                "avg_compliance": _mean([row["_ratio"] for row in mine if row["_ratio"] is not None], 3),
            }
        )
    return {
        "org_id": organization.public_id,
        "plans": plans,
        "groups": group_rows,
        "athletes": [{key: value for key, value in row.items() if not key.startswith("_")} for row in rows],
    }
