"""Plain-dict shapes of analytics rows, from rows already loaded (no queries here)."""

from datetime import date

from analytics.metrics.vdot import format_pace
from analytics.services.wellness import WELLNESS_FIELDS
from astral.local_time import utc_text, zone_or_utc
from plans.presentation import current_plans_payload, race_goal_payload


def activity_payload(activity, user_public_id: str, user_timezone: str = "", has_samples: bool = False) -> dict:
    local = activity.start_time.astimezone(zone_or_utc(activity.timezone or user_timezone))
    pace = activity.duration / (activity.distance / 1000.0) if activity.distance > 0 else None
    return {
        "activity_id": activity.public_id,
        "user_id": user_public_id,
        "sport": activity.sport,
        "start_time": utc_text(activity.start_time),
        "start_time_local": local.isoformat(),
        "local_date": local.date().isoformat(),
        "timezone": activity.timezone or user_timezone or "UTC",
        "distance": activity.distance,
        "duration": activity.duration,
        "elapsed_time": activity.elapsed_time,
        "avg_pace": format_pace(pace),
        "avg_heart_rate": activity.avg_heart_rate,
        "max_heart_rate": activity.max_heart_rate,
        "calories": activity.calories,
        "elevation_gain": activity.elevation_gain,
        "training_load": activity.training_load,
        "pace_z1_time": activity.pace_z1_time,
        "pace_z2_time": activity.pace_z2_time,
        "pace_z3_time": activity.pace_z3_time,
        "pace_z4_time": activity.pace_z4_time,
        "pace_z5_time": activity.pace_z5_time,
        "source": activity.source,
        "external_id": activity.external_id,
        "has_samples": has_samples,
        "created_at": activity.created_at.isoformat(),
        "updated_at": activity.updated_at.isoformat(),
    }


def insight_payload(insight) -> dict:
    return {
        "kind": insight.kind,
        "text": insight.text,
        "generated_at": utc_text(insight.generated_at),
        "activity_id": insight.activity.public_id if insight.activity else None,
    }


PROFILE_METRIC_KEYS = ("running_analytics", "fitness", "training", "attention_signals", "last_updated")


def athlete_profile_payload(rows) -> dict:
    """The analytics/athlete_profile answer (and the profile page's) from `athlete_profile_rows`."""
    athlete, snapshot, today = rows.athlete, rows.snapshot, rows.today
    return {
        "user_id": athlete.public_id,
        "display_name": athlete.name,
        "profile_image_url": athlete.profile_image_url,
        "metrics": {key: snapshot[key] for key in PROFILE_METRIC_KEYS},
        "current_goals": {"races": [race_goal_payload(goal, athlete.public_id, today) for goal in rows.race_goals]},
        "current_plans": current_plans_payload(rows.plan_instances, athlete.public_id, today),
        "integrations": rows.integrations,
        "insights": [insight_payload(insight) for insight in rows.insights],
        "attention_signals": snapshot["attention_signals"],
        "data_quality": snapshot["data_quality"],
        "last_activity": snapshot["last_activity"],
        "recent_activities": [
            activity_payload(activity, athlete.public_id, athlete.timezone, activity.has_samples)
            for activity in rows.recent_activities
        ],
    }


ROSTER_METRIC_KEYS = ("running_analytics", "training", "attention_signals", "last_updated")


def athlete_row_payload(row) -> dict:
    user, snapshot = row.membership.user, row.snapshot
    today = date.fromisoformat(snapshot["as_of"])
    return {
        "user_id": user.public_id,
        "username": user.username,
        "display_name": user.name,
        "profile_image": user.profile_image_url,
        "email": user.email,
        "assigned_coach_id": row.membership.assigned_coach_public_id,
        "groups": row.groups,
        "labels": sorted(label.name for label in row.membership.labels.all()),
        "current_plans": current_plans_payload(row.plans, user.public_id, today),
        "current_goals": {
            "races": [
                {"race_name": goal.race_name, "race_date": goal.race_date.isoformat()}
                for goal in row.goals
                if goal.race_date >= today
            ]
        },
        "has_push_token": bool(user.push_token),
        "last_activity": snapshot["last_activity"],
        "integrations": row.integrations,
        "metrics": {
            **{key: snapshot[key] for key in ROSTER_METRIC_KEYS},
            "fitness": {"current": snapshot["fitness"]["current"]},
        },
    }


def import_job_payload(job) -> dict:
    """An import job as `POST activities/import` (202) and `GET imports/{import_id}` answer it."""
    return {
        "import_id": job.public_id,
        "kind": job.kind,
        "status": job.status,
        "file_name": job.file_name,
        "progress": job.progress,
        "total": job.total,
        "counts": {name: job.counts.get(name, 0) for name in ("imported", "duplicate", "invalid", "wellness_days")},
        "errors": job.errors,
        "message": job.message,
        "created_at": job.created_at.isoformat(),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


def wellness_payload(row) -> dict:
    """A wellness day as `GET wellness` and `PUT wellness/{date}` answer it."""
    return {"date": row.date.isoformat(), **{name: getattr(row, name) for name in WELLNESS_FIELDS}}
