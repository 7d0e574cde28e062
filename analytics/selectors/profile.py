"""The athlete profile as one plain dict: snapshot metrics, current plans and goals, integrations,
insights and recent activities (the analytics/athlete_profile answer and the profile page)."""

from datetime import date

from accounts.selectors import user_integrations
from analytics.models import Insight, InsightKind
from analytics.presentation import activity_payload, insight_payload
from analytics.selectors.records import activities_of
from analytics.services.snapshots import athlete_snapshot_fresh
from plans.presentation import current_plans_payload, race_goal_payload
from plans.selectors import current_plan_instances, upcoming_race_goals

RECENT_ACTIVITIES = 5
METRICS_KEYS = ("running_analytics", "fitness", "training", "attention_signals", "last_updated")


def athlete_insights(user) -> list[dict]:
    rows = Insight.objects.filter(
        user=user, kind__in=(InsightKind.WEEKLY_SUMMARY, InsightKind.ACTIVITY)
    ).select_related("activity")
    ordered = sorted(
        rows,
        key=lambda i: (i.kind != InsightKind.WEEKLY_SUMMARY, -(i.activity.start_time.timestamp() if i.activity else 0)),
    )
    return [insight_payload(row) for row in ordered]


def athlete_profile_payload(athlete, *, force: bool = False) -> dict:
    snapshot = athlete_snapshot_fresh(athlete, force=force).data
    today = date.fromisoformat(snapshot["as_of"])  # the athlete's local date the numbers are for
    instances = current_plan_instances([athlete.pk]).get(athlete.pk, [])
    goals = upcoming_race_goals([athlete.pk], today).get(athlete.pk, [])
    recent = activities_of(athlete)[:RECENT_ACTIVITIES]
    return {
        "user_id": athlete.public_id,
        "display_name": athlete.name,
        "profile_image_url": athlete.profile_image_url,
        "metrics": {key: snapshot[key] for key in METRICS_KEYS},
        "current_goals": {"races": [race_goal_payload(goal, athlete.public_id, today) for goal in goals]},
        "current_plans": current_plans_payload(instances, athlete.public_id, today),
        "integrations": user_integrations(athlete),
        "insights": athlete_insights(athlete),
        "attention_signals": snapshot["attention_signals"],
        "data_quality": snapshot["data_quality"],
        "last_activity": snapshot["last_activity"],
        "recent_activities": [
            activity_payload(activity, athlete.public_id, athlete.timezone, activity.has_samples) for activity in recent
        ],
    }
