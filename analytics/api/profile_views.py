"""GET analytics/athlete_profile: the athlete detail page in one request."""

from datetime import date

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.views import APIView

from accounts.selectors import user_integrations
from analytics import selectors
from analytics.api.payloads import activity_payload
from analytics.api.profile_serializers import AthleteProfileSerializer
from analytics.cache import PROFILE_TTL, athlete_key, cached, x_cache
from analytics.local_time import today_in
from analytics.models import Insight, InsightKind
from analytics.selectors.snapshot_inputs import athlete_zone
from analytics.services.snapshots import athlete_snapshot_fresh
from astral.api.envelope import ok
from astral.api.errors import ApiError
from astral.api.params import bool_param
from astral.api.schema import envelope, errors
from organizations import access
from plans.api.payloads import current_plans_payload, race_goal_payload
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
    return [
        {
            "kind": row.kind,
            "text": row.text,
            "generated_at": row.generated_at.isoformat().replace("+00:00", "Z"),
            "activity_id": row.activity.public_id if row.activity else None,
        }
        for row in ordered
    ]


def athlete_profile_payload(athlete, *, force: bool = False) -> dict:
    snapshot = athlete_snapshot_fresh(athlete, force=force).data
    today = date.fromisoformat(snapshot["as_of"])  # the athlete's local date the numbers are for
    instances = current_plan_instances([athlete.pk]).get(athlete.pk, [])
    goals = upcoming_race_goals([athlete.pk], today).get(athlete.pk, [])
    recent = selectors.activities_of(athlete)[:RECENT_ACTIVITIES]
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


class AthleteProfileView(APIView):
    @extend_schema(
        tags=["analytics"],
        parameters=[
            OpenApiParameter("user_id", str, required=True, description="The athlete's user ID"),
            OpenApiParameter("refresh", bool, description="Recompute the metrics before answering"),
        ],
        responses={200: envelope("AthleteProfile", AthleteProfileSerializer()), **errors(400, 401, 403, 404)},
    )
    def get(self, request):
        user_id = request.query_params.get("user_id")
        if not user_id:
            raise ApiError(400, "user_id is required.", "REQUIRED", field="user_id")
        athlete = access.athlete_for_request(request.user, user_id)
        force = bool(bool_param(request.query_params, "refresh"))
        # The athlete's local date is part of the key: a new day means new weekly numbers.
        key = athlete_key("athlete_profile", athlete, {"day": today_in(athlete_zone(athlete)).isoformat()})
        data, hit = cached(key, PROFILE_TTL, lambda: athlete_profile_payload(athlete, force=force), bypass=force)
        return ok(data, headers=x_cache(hit))
