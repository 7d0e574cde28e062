"""The columns of the CSV answers (`format=csv` on coach_athletes_metrics, activities and wellness)
and each row built from the JSON payload of the same row — so a CSV says what the JSON says.

Pure: plain dicts in, lists out. Units are the API's (metres, seconds, bpm; the roster's
`weekly_distance_km` keeps the unit its name states), dates ISO 8601, instants UTC with `Z`. The
one change from the JSON: the roster's pace, text `M:SS` there, is a number of seconds per km here
so a spreadsheet can compute with it. A list (groups, labels, flags) is one cell joined by "; ".
Columns are documented in docs/api.md ("CSV answers").
"""

LIST_SEPARATOR = "; "

ROSTER_CSV_COLUMNS = (
    "user_id", "username", "display_name", "email", "assigned_coach_id", "groups", "labels",
    "current_plan", "current_plan_week", "next_race", "next_race_date",
    "last_activity_id", "last_activity_start_time", "last_activity_distance", "last_activity_duration",
    "weekly_distance_km", "avg_pace_s_per_km", "current_week_load", "four_week_avg_load",
    "ctl", "atl", "tsb", "acwr", "vo2_max", "hrv_avg", "recovery_score", "attention_flags", "last_updated",
)  # fmt: skip

ACTIVITY_CSV_COLUMNS = (
    "activity_id", "user_id", "sport", "start_time", "start_time_local", "local_date", "timezone",
    "distance", "duration", "elapsed_time", "avg_heart_rate", "max_heart_rate", "calories",
    "elevation_gain", "training_load", "pace_z1_time", "pace_z2_time", "pace_z3_time", "pace_z4_time",
    "pace_z5_time", "source", "external_id", "has_samples", "created_at", "updated_at",
)  # fmt: skip

WELLNESS_CSV_COLUMNS = ("date", "resting_heart_rate", "hrv", "hrv_sdnn", "vo2_max", "recovery_score", "sleep_hours")


def pace_seconds(pace: str | None) -> int | None:
    """`"4:31"` (M:SS per km, as the API writes a pace) → 271; None stays None."""
    if not pace:
        return None
    minutes, seconds = pace.split(":")
    return int(minutes) * 60 + int(seconds)


def roster_csv_row(athlete: dict) -> list:
    """One roster row from `analytics.presentation.athlete_row_payload`."""
    metrics = athlete["metrics"]
    training, current = metrics["training"], metrics["fitness"]["current"]
    plan = (athlete["current_plans"] or [None])[0]
    race = (athlete["current_goals"]["races"] or [None])[0]
    last = athlete["last_activity"] or {}
    return [
        athlete["user_id"],
        athlete["username"],
        athlete["display_name"],
        athlete["email"],
        athlete["assigned_coach_id"],
        LIST_SEPARATOR.join(athlete["groups"]),
        LIST_SEPARATOR.join(athlete["labels"]),
        plan["name"] if plan else None,
        plan["current_week"] if plan else None,
        race["race_name"] if race else None,
        race["race_date"] if race else None,
        last.get("activity_id"),
        last.get("start_time"),
        last.get("distance"),
        last.get("duration"),
        metrics["running_analytics"]["weekly_distance_km"],
        pace_seconds(metrics["running_analytics"]["avg_pace_per_km"]),
        training["current_week_load"],
        training["four_week_avg_load"],
        training["ctl"],
        training["atl"],
        training["tsb"],
        training["acwr"],
        current["vo2_max"],
        current["hrv_avg"],
        current["recovery_score"],
        LIST_SEPARATOR.join(flag["code"] for flag in metrics["attention_signals"]["flags"]),
        metrics["last_updated"],
    ]


def payload_csv_row(payload: dict, columns: tuple[str, ...]) -> list:
    """A flat payload (an activity, a wellness day) as a row of `columns`."""
    return [payload[name] for name in columns]
