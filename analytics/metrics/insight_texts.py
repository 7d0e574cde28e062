"""Deterministic, offline insight texts built from real numbers (the default insights backend).

Every text names numbers and a comparison; none is filler. Distances are given in km with one
decimal, paces as M:SS/km (vdot.format_pace), percentages and training loads as whole numbers
(rounded half up). The same input always gives the same text: comparisons do not depend on the
order of `recent`.
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta

from analytics.metrics.sports import RUN_SPORTS
from analytics.metrics.vdot import format_pace

COMPARISON_DAYS = 30
FAST_PACE_MIN_DISTANCE_M = 5000.0
GAP_MENTION_DAYS = 7  # "first run in n days" once a week or more has passed

SPORT_NAMES = {
    "run": ("run", "runs"),
    "trail_run": ("trail run", "trail runs"),
    "treadmill": ("treadmill run", "treadmill runs"),
    "walk": ("walk", "walks"),
    "ride": ("ride", "rides"),
    "swim": ("swim", "swims"),
    "other": ("other activity", "other activities"),
}
PACED_SPORTS = RUN_SPORTS | {"walk"}  # a pace per km reads naturally; rides get km/h


@dataclass(frozen=True)
class RunFacts:
    """One activity as the insight texts see it."""

    activity_id: str
    sport: str
    local_date: date
    distance_m: float
    duration_s: float
    avg_heart_rate: int | None
    training_load: float


def _whole(value: float) -> int:
    """Half-up rounding of a non-negative number (Python's round() is half-to-even)."""
    return int(math.floor(value + 0.5))


def _count(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def _sport_name(sport: str) -> tuple[str, str]:
    label = sport.replace("_", " ")
    return SPORT_NAMES.get(sport, (f"{label} session", f"{label} sessions"))


def _duration(seconds: float) -> str:
    """H:MM:SS from one hour, else M:SS."""
    total = _whole(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _pace(activity: RunFacts) -> float | None:
    """Seconds per km, None without distance or time."""
    if activity.distance_m <= 0 or activity.duration_s <= 0:
        return None
    return activity.duration_s / (activity.distance_m / 1000.0)


def _relative(value: float, reference: float, more: str, less: str, same: str) -> str:
    """'12 % above' / '12 % below' / `same` (when the whole percentage is 0) of value vs reference > 0."""
    pct = (value - reference) / reference * 100.0
    whole = _whole(abs(pct))
    if whole == 0:
        return same
    return f"{whole} % {more if pct > 0 else less}"


def _headline(activity: RunFacts) -> str:
    name = _sport_name(activity.sport)[0]
    parts = []
    distance, duration = activity.distance_m, activity.duration_s
    if distance > 0 and duration > 0:
        text = f"{distance / 1000.0:.1f} km in {_duration(duration)}"
        if activity.sport in PACED_SPORTS:
            text += f" at {format_pace(_pace(activity))}/km"
        elif activity.sport == "ride":
            text += f" at {distance / 1000.0 / (duration / 3600.0):.1f} km/h"
        parts.append(text)
    elif distance > 0:
        parts.append(f"{distance / 1000.0:.1f} km")
    elif duration > 0:
        parts.append(_duration(duration))
    if activity.avg_heart_rate:
        parts.append(f"avg HR {activity.avg_heart_rate} bpm")
    if activity.training_load > 0:
        parts.append(f"training load {_whole(activity.training_load)}")
    details = ", ".join(parts) if parts else "no distance or time recorded"
    return f"{name[0].upper()}{name[1:]}: {details}."


def _comparable(activity: RunFacts, recent: list[RunFacts]) -> list[RunFacts]:
    """The other activities of the same kind (any run for a run, else the same sport) of the
    30 days up to the activity's date, oldest first."""
    first = activity.local_date - timedelta(days=COMPARISON_DAYS)
    is_run = activity.sport in RUN_SPORTS
    chosen = [
        other
        for other in recent
        if other.activity_id != activity.activity_id
        and first <= other.local_date <= activity.local_date
        and (other.sport in RUN_SPORTS if is_run else other.sport == activity.sport)
    ]
    return sorted(chosen, key=lambda other: (other.local_date, other.activity_id))


def _fastest_long_run(activity: RunFacts, others: list[RunFacts]) -> str | None:
    pace = _pace(activity)
    if pace is None or activity.distance_m < FAST_PACE_MIN_DISTANCE_M:
        return None
    long_paces = [_pace(o) for o in others if o.distance_m >= FAST_PACE_MIN_DISTANCE_M and _pace(o) is not None]
    if long_paces and pace < min(long_paces):
        return f"Fastest pace of any run of 5 km or more in {COMPARISON_DAYS} days."
    return None


def _versus_average(activity: RunFacts, others: list[RunFacts], singular: str, plural: str) -> str | None:
    """Distance (or, without distance, duration) against the mean of the comparable ones."""
    if activity.distance_m > 0:
        with_distance = [o.distance_m for o in others if o.distance_m > 0]
        if not with_distance:
            return None
        average = sum(with_distance) / len(with_distance)
        value, shown, count = activity.distance_m, f"{average / 1000.0:.1f} km", len(with_distance)
    elif activity.duration_s > 0:
        with_duration = [o.duration_s for o in others if o.duration_s > 0]
        if not with_duration:
            return None
        average = sum(with_duration) / len(with_duration)
        value, shown, count = activity.duration_s, f"{_whole(average / 60.0)} min", len(with_duration)
    else:
        return None
    relation = _relative(value, average, "longer than", "shorter than", "About as long as")
    sentence = f"{relation} your {COMPARISON_DAYS}-day average of {shown} ({_count(count, singular, plural)})."
    return sentence[0].upper() + sentence[1:]


def _versus_average_pace(activity: RunFacts, others: list[RunFacts]) -> str | None:
    """Pace against total time ÷ total km of the comparable runs, in the seconds as shown."""
    pace = _pace(activity)
    paced = [o for o in others if _pace(o) is not None]
    if pace is None or not paced:
        return None
    average = sum(o.duration_s for o in paced) / (sum(o.distance_m for o in paced) / 1000.0)
    difference = int(round(pace)) - int(round(average))  # the same rounding as format_pace
    reference = f"your {COMPARISON_DAYS}-day average of {format_pace(average)}/km"
    if difference == 0:
        return f"Pace level with {reference}."
    return f"Pace {abs(difference)} s/km {'slower' if difference > 0 else 'faster'} than {reference}."


def activity_text(activity: RunFacts, recent: list[RunFacts]) -> str:
    """A summary of one activity compared with `recent` (the athlete's other activities of the
    30 days before it, any order). States distance, time/pace, HR and load when known, and at
    least one comparison that is true: e.g. "longest run in 30 days", "fastest pace over ≥ 5 km in
    30 days", "x % longer/shorter than your average run (y km)", or "first run in n days".
    Non-running sports get distance/time/load and a comparison with the same sport if any.

    Runs (run, trail_run, treadmill) are compared with every run of `recent`, other sports with
    the same sport only. `recent` entries with the activity's own id, after its date or more than
    30 days before it are ignored. The sentences, in this order, each only when true:
    "First run in 30 days." (nothing comparable; then no other comparison), "First run in n days."
    (n ≥ 7 since the latest comparable one), "Longest run in 30 days." (strictly longer; by
    duration when the activity has no distance), "Fastest pace of any run of 5 km or more in 30
    days." (runs ≥ 5 km, at least one other such run), "x % longer/shorter than your 30-day
    average of y km (n runs)." (or "About as long as …"), and for runs "Pace s s/km faster/slower
    than your 30-day average of M:SS/km." (total time ÷ total km; or "Pace level with …").
    """
    singular, plural = ("run", "runs") if activity.sport in RUN_SPORTS else _sport_name(activity.sport)
    others = _comparable(activity, recent)
    sentences = [_headline(activity)]
    if not others:
        sentences.append(f"First {singular} in {COMPARISON_DAYS} days.")
        return " ".join(sentences)

    gap = (activity.local_date - others[-1].local_date).days
    if gap >= GAP_MENTION_DAYS:
        sentences.append(f"First {singular} in {gap} days.")
    by_distance = activity.distance_m > 0
    measure = activity.distance_m if by_distance else activity.duration_s
    if measure > 0 and measure > max(o.distance_m if by_distance else o.duration_s for o in others):
        sentences.append(f"Longest {singular} in {COMPARISON_DAYS} days.")
    comparisons = [_versus_average(activity, others, singular, plural)]
    if activity.sport in RUN_SPORTS:
        comparisons = [_fastest_long_run(activity, others), *comparisons, _versus_average_pace(activity, others)]
    sentences.extend(sentence for sentence in comparisons if sentence)
    return " ".join(sentences)


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _week_span(days_into_week: int) -> str:
    """The days of the week so far: "Monday", "Monday–Tuesday", … ("" for the whole week)."""
    if days_into_week >= 7:
        return ""
    return WEEKDAYS[0] if days_into_week <= 1 else f"{WEEKDAYS[0]}–{WEEKDAYS[days_into_week - 1]}"


def weekly_text(
    *,
    week_start: date,
    days_into_week: int,
    week_distance_km: float,
    week_runs: int,
    week_load: float,
    same_days_avg_distance_km: float,
    same_days_avg_load: float,
    longest_run_km: float | None,
) -> str:
    """E.g. "62.4 km over 5 runs this week, 12 % above your 4-week average of 55.7 km; load 420 vs
    395 on average. Longest run 21.1 km." — handling zero weeks ("No runs yet this week; your
    4-week average is 41.0 km.") and no history ("… with no runs in the previous 4 weeks").

    Like with like: `days_into_week` is the number of days of the week so far (1 on Monday … 7 on
    Sunday) and the averages are over those same days of each of the previous 4 weeks, so before
    Sunday the text names them: "… 10 % above your 4-week average for Monday–Tuesday of 10.9 km".
    `week_start` (the Monday) identifies the week but is not printed. "in line with" replaces
    "x % above/below" when x rounds to 0; the load part is left out while there is no load, "vs …
    on average" while the average load is 0; "Longest run" only with 2 runs or more. A week
    without runs but with load (other sports) adds "Training load so far L (4-week average A)."
    """
    span = _week_span(days_into_week)
    average = f"4-week average for {span}" if span else "4-week average"
    previous = f"on {span} in the previous 4 weeks" if span else "in the previous 4 weeks"
    average_km = f"{same_days_avg_distance_km:.1f} km"
    if week_runs <= 0:
        if same_days_avg_distance_km > 0:
            text = f"No runs yet this week; your {average} is {average_km}."
        else:
            text = f"No runs yet this week, and none {previous}."
        if week_load > 0:
            text += f" Training load so far {_whole(week_load)}"
            text += f" ({average} {_whole(same_days_avg_load)})." if same_days_avg_load > 0 else "."
        return text

    text = f"{week_distance_km:.1f} km over {_count(week_runs, 'run', 'runs')} this week"
    if same_days_avg_distance_km > 0:
        relation = _relative(week_distance_km, same_days_avg_distance_km, "above", "below", "in line with")
        text += f", {relation} your {average} of {average_km}"
    else:
        text += f", with no runs {previous}"
    if same_days_avg_load > 0:
        text += f"; load {_whole(week_load)} vs {_whole(same_days_avg_load)} on average"
    elif week_load > 0:
        text += f"; load {_whole(week_load)}"
    text += "."
    if longest_run_km and week_runs > 1:
        text += f" Longest run {longest_run_km:.1f} km."
    return text


def group_text(
    *,
    group_name: str,
    week_distance_km: float,
    previous_week_distance_km: float,
    active_members: int,
    members: int,
    top_member_name: str | None,
    top_member_km: float | None,
    days_into_week: int,
) -> str:
    """E.g. "Marathon Block A ran 412.3 km this week, 8 % more than last week; 14 of 18 members were
    active (78 %). Top: Alex, 62.4 km." — with sensible wording for 0 members / 0 km / no last week:
    "Marathon Block A has no members yet.", "Marathon Block A logged no distance this week
    (412.3 km last week); 0 of 18 members were active (0 %).", "… ran 12.0 km this week, up from
    0 km last week; …", "… the same as last week …" when the change rounds to 0 %. The "Top:"
    sentence only with a top member who has distance.

    Like with like: `previous_week_distance_km` covers the same `days_into_week` days of last week
    (1 on Monday … 7 for a whole week), and before Sunday the text names them: "… 8 % more than
    Monday–Tuesday last week"."""
    span = _week_span(days_into_week)
    last_week = f"{span} last week" if span else "last week"
    if members <= 0:
        return f"{group_name} has no members yet."
    active_share = _whole(active_members / members * 100.0)
    verb = "was" if active_members == 1 else "were"
    activity = f"{active_members} of {_count(members, 'member', 'members')} {verb} active ({active_share} %)"
    if week_distance_km <= 0:
        if previous_week_distance_km > 0:
            before = f"{previous_week_distance_km:.1f} km {'on ' if span else ''}{last_week}"
        else:
            before = f"none {'on ' if span else ''}{last_week} either"
        return f"{group_name} logged no distance this week ({before}); {activity}."

    if previous_week_distance_km > 0:
        change = _relative(
            week_distance_km,
            previous_week_distance_km,
            f"more than {last_week}",
            f"less than {last_week}",
            f"the same as {last_week}",
        )
    else:
        change = f"up from 0 km {'on ' if span else ''}{last_week}"
    text = f"{group_name} ran {week_distance_km:.1f} km this week, {change}; {activity}."
    if top_member_name and top_member_km:
        text += f" Top: {top_member_name}, {top_member_km:.1f} km."
    return text
