"""Which athletes' snapshots the hourly refresh must rebuild — so its cost follows activity (and
the turn of local days), not head count.

A snapshot is stale when it is missing, older than the athlete's data (`data_version`), or of
another local day than the athlete's today (`data.as_of`: the day's rollover changes "this week",
"days since the last run"…) — the rule of `analytics.services.snapshots._is_fresh`, in SQL.
Local days are per athlete: one branch per distinct stored zone name (a few hundred at most),
never per athlete; two queries whatever the number of athletes or zones.
"""

from datetime import datetime

from django.db.models import F, Q, QuerySet

from accounts.models import Role, User
from astral.local_time import today_in, zone_or_utc


def active_athletes() -> QuerySet:
    return User.objects.filter(is_active=True, role=Role.ATHLETE)


def stale_snapshot_athletes(now: datetime, athletes: QuerySet | None = None) -> QuerySet:
    """The athletes (of `athletes`, default every active athlete) whose snapshot needs a rebuild at `now`."""
    athletes = athletes if athletes is not None else active_athletes()
    other_day = Q()
    for name in athletes.order_by().values_list("timezone", flat=True).distinct():
        today = today_in(zone_or_utc(name), now).isoformat()
        other_day |= Q(timezone=name) & ~Q(metrics_snapshot__data__as_of=today)
    return athletes.filter(
        Q(metrics_snapshot__isnull=True) | Q(metrics_snapshot__data_version__lt=F("data_version")) | other_day
    )
