"""Parameters of the Group Dashboard endpoints (also used by the coach pages): the organization,
the group, the ISO week and the window of local days. Each bad value → 400 naming it."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from analytics.selectors.dashboard import GroupRow
from analytics.selectors.dashboard_groups import period_window
from analytics.selectors.dashboard_overview import week_monday
from astral.exceptions import ApplicationError, NotFound, invalid
from astral.local_time import parse_date, today_in
from organizations.models import Organization

PERIODS = (7, 14, 30)
DEFAULT_PERIOD = 7
MAX_WINDOW_DAYS = 400


@dataclass(frozen=True)
class Window:
    first: date
    last: date
    period: int | None  # None for an explicit from/to


def no_groups_error(organization: Organization) -> ApplicationError:
    return NotFound(
        f"{organization.name} has no groups yet: create one (POST organizations/{organization.public_id}/groups) "
        "to use the Group Dashboard.",
        "NO_GROUPS",
    )


def dashboard_group(groups: list[GroupRow], group_id: str | None, field: str = "group_id") -> GroupRow | None:
    """The group named by `group_id` among the organization's groups; 404 when it is not one."""
    if not group_id:
        return None
    for group in groups:
        if group.group_id == group_id:
            return group
    raise NotFound(f"Group '{group_id}' not found in this organization.", "GROUP_NOT_FOUND", field=field)


def dashboard_week(params, zone: tzinfo, now: datetime | None = None) -> date:
    """The Monday of the ISO week containing `week` (YYYY-MM-DD), default: today in `zone`."""
    raw = params.get("week")
    day = parse_date(raw, "week") if raw not in (None, "") else today_in(zone, now)
    return week_monday(day)


def dashboard_window(params, zone: tzinfo, now: datetime | None = None) -> Window:
    """`period` (7, 14 or 30; default 7) = the last N local days including today, or `from`/`to`
    (inclusive local dates, at most 400 days); a period together with from/to is a 400."""
    raw_period = (params.get("period") or "").strip()
    raw_from, raw_to = params.get("from"), params.get("to")
    if raw_period and (raw_from or raw_to):
        raise invalid("period", "Give either period or from/to, not both.", "CONFLICT")
    if raw_from or raw_to:
        first = parse_date(raw_from, "from")
        last = parse_date(raw_to, "to")
        if last < first:
            raise invalid("to", "to must not be before from.")
        if (last - first).days + 1 > MAX_WINDOW_DAYS:
            raise invalid("to", f"The range may span at most {MAX_WINDOW_DAYS} days.", "RANGE_TOO_LONG")
        return Window(first, last, None)
    period = DEFAULT_PERIOD
    if raw_period:
        period = int(raw_period) if raw_period.isdigit() else 0
        if period not in PERIODS:
            raise invalid("period", "period must be 7, 14 or 30.", "INVALID_CHOICE")
    first, last = period_window(today_in(zone, now), period)
    return Window(first, last, period)


def groups_fingerprint(groups: list[GroupRow]) -> list:
    """Part of every dashboard cache key: creating a group changes no athlete's data (so no data
    generation moves), yet it changes the answers."""
    return [(group.group_id, group.name) for group in groups]


def hour_slot(now: datetime) -> str:
    """Part of the plans cache key: each athlete's local date (which decides plan status and the
    workouts due) turns over on a UTC hour for whole-hour zones."""
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H")
