"""Everything the metrics snapshots of a batch of athletes need, in a bounded number of queries.

Daily totals are aggregated in SQL on the athlete's local day. On PostgreSQL that is one GROUP
BY for the whole batch, whatever its time zones: each row is converted with its athlete's zone
(`timezone(zone, start_time)::date`, the zone picked by a CASE over the batch's zones). SQLite
cannot convert per row, so the embedded default runs one GROUP BY per distinct zone (`TruncDate`
with that zone) — the same days, tested on both. Never a query per athlete. The rest is a fixed
number of queries: the latest activity and run per athlete, connected integrations, wellness,
and the recent activities the insight texts compare against.
"""

import zoneinfo
from collections import defaultdict
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Case as SqlCase
from django.db.models import (
    CharField,
    Count,
    DateField,
    DateTimeField,
    F,
    Func,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, TruncDate

from accounts.models import Integration, User
from analytics.metrics.fitness import WellnessDay
from analytics.metrics.insight_texts import RunFacts
from analytics.metrics.snapshot import (
    LOAD_HISTORY_DAYS,
    WELLNESS_HISTORY_DAYS,
    AthleteInputs,
    DayTotals,
    ProfileFacts,
)
from analytics.models import RUN_SPORTS, Activity, DailyWellness
from astral.local_time import user_zone, utc_text

RECENT_ACTIVITY_DAYS = 60  # the last 5 activities of this window get insight texts


def _run_filter(prefix: str = "") -> Q:
    return Q(**{f"{prefix}sport__in": RUN_SPORTS})


def _local_day_queries(users: list[User]) -> list[tuple[list[int], object]]:
    """(athlete ids, expression of the activity's local day) — one pair on PostgreSQL or when the
    batch has one zone, one per zone on SQLite."""
    by_zone = defaultdict(list)
    for user in users:
        by_zone[user_zone(user).key].append(user.pk)
    if len(by_zone) == 1 or connection.vendor != "postgresql":
        return [(ids, TruncDate("start_time", tzinfo=zoneinfo.ZoneInfo(name))) for name, ids in by_zone.items()]
    zone = SqlCase(
        *(When(user_id__in=ids, then=Value(name)) for name, ids in by_zone.items()), output_field=CharField()
    )
    local = Func(zone, F("start_time"), function="timezone", output_field=DateTimeField())
    return [([user.pk for user in users], Cast(local, DateField()))]


def _daily_totals(users: list[User], since: datetime) -> dict[int, dict]:
    totals: dict[int, dict] = defaultdict(dict)
    for ids, local_day in _local_day_queries(users):
        rows = (
            Activity.objects.filter(user_id__in=ids, start_time__gte=since)
            .annotate(day=local_day)
            .values("user_id", "day")
            .annotate(
                load=Sum("training_load"),
                run_distance=Sum("distance", filter=_run_filter()),
                run_duration=Sum("duration", filter=_run_filter()),
                runs=Count("pk", filter=_run_filter()),
            )
            .order_by()
        )
        for row in rows:
            totals[row["user_id"]][row["day"]] = DayTotals(
                load=row["load"] or 0.0,
                run_distance=row["run_distance"] or 0.0,
                run_duration=row["run_duration"] or 0.0,
                runs=row["runs"],
            )
    return totals


def _latest(field: str, run_only: bool = False, ascending: bool = False):
    activities = Activity.objects.filter(user=OuterRef("pk"))
    if run_only:
        activities = activities.filter(_run_filter())
    return Subquery(activities.order_by("start_time" if ascending else "-start_time").values(field)[:1])


def _edges(users: list[User]) -> dict[int, dict]:
    """First activity, last run and last activity of each athlete (index-backed subqueries)."""
    rows = (
        User.objects.filter(pk__in=[u.pk for u in users])
        .annotate(
            first_start=_latest("start_time", ascending=True),
            last_run_start=_latest("start_time", run_only=True),
            last_activity_pk=_latest("pk"),
        )
        .values("pk", "first_start", "last_run_start", "last_activity_pk")
    )
    edges = {row["pk"]: row for row in rows}
    last_ids = [row["last_activity_pk"] for row in edges.values() if row["last_activity_pk"]]
    last = {
        a.pk: a
        for a in Activity.objects.filter(pk__in=last_ids).only("public_id", "start_time", "distance", "duration")
    }
    for row in edges.values():
        activity = last.get(row["last_activity_pk"])
        row["last_activity"] = (
            {
                "activity_id": activity.public_id,
                "start_time": utc_text(activity.start_time),
                "distance": activity.distance,
                "duration": activity.duration,
            }
            if activity
            else None
        )
    return edges


def _wellness(users: list[User], first_day) -> dict[int, list[WellnessDay]]:
    rows = DailyWellness.objects.filter(user_id__in=[u.pk for u in users], date__gte=first_day).values(
        "user_id", "date", "resting_heart_rate", "hrv", "vo2_max", "recovery_score"
    )
    days = defaultdict(list)
    for row in rows:
        user_id = row.pop("user_id")
        days[user_id].append(WellnessDay(**row))
    return days


def recent_activities(users: list[User], now: datetime) -> dict[int, list[tuple[int, RunFacts]]]:
    """Each athlete's activities of the last RECENT_ACTIVITY_DAYS, newest first: (pk, RunFacts)."""
    zones = {user.pk: user_zone(user) for user in users}
    rows = (
        Activity.objects.filter(user_id__in=list(zones), start_time__gte=now - timedelta(days=RECENT_ACTIVITY_DAYS))
        .order_by("user_id", "-start_time")
        .values_list(
            "pk",
            "user_id",
            "public_id",
            "sport",
            "start_time",
            "distance",
            "duration",
            "avg_heart_rate",
            "training_load",
        )
    )
    recent = defaultdict(list)
    for pk, user_id, public_id, sport, start, distance, duration, avg_hr, load in rows:
        local_date = start.astimezone(zones[user_id]).date()
        recent[user_id].append((pk, RunFacts(public_id, sport, local_date, distance, duration, avg_hr, load)))
    return recent


def snapshot_inputs(users: list[User], now: datetime) -> dict[int, AthleteInputs]:
    """AthleteInputs for each user (already loaded with their profile fields)."""
    if not users:
        return {}
    todays = {user.pk: now.astimezone(user_zone(user)).date() for user in users}
    daily = _daily_totals(users, now - timedelta(days=LOAD_HISTORY_DAYS + 1))
    edges = _edges(users)
    connected = set(
        Integration.objects.filter(user_id__in=list(todays), connected=True).values_list("user_id", flat=True)
    )
    wellness = _wellness(users, min(todays.values()) - timedelta(days=WELLNESS_HISTORY_DAYS))
    inputs = {}
    for user in users:
        zone = user_zone(user)
        edge = edges.get(user.pk, {})
        first, last_run = edge.get("first_start"), edge.get("last_run_start")
        inputs[user.pk] = AthleteInputs(
            today=todays[user.pk],
            profile=ProfileFacts(
                has_pace_zones=bool(user.pace_zones),
                has_hr_zones=bool(user.hr_zones),
                has_vdot=bool(user.vdot),
                has_integration=user.pk in connected,
                has_timezone=bool(user.timezone),
                has_unit_system=bool(user.unit_system),
            ),
            days=daily.get(user.pk, {}),
            first_activity_date=first.astimezone(zone).date() if first else None,
            last_run_date=last_run.astimezone(zone).date() if last_run else None,
            wellness=wellness.get(user.pk, []),
            last_activity=edge.get("last_activity"),
        )
    return inputs
