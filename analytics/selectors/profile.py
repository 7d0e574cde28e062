"""Everything the athlete profile shows, loaded in a fixed handful of queries: the snapshot
(rebuilt when stale), current plans, upcoming goals, integrations, insights and recent activities
(analytics.presentation.athlete_profile_payload turns them into the answer)."""

from dataclasses import dataclass
from datetime import date

from accounts.selectors import user_integrations
from analytics.models import Insight, InsightKind
from analytics.selectors.records import activities_of
from analytics.services.snapshots import athlete_snapshot_fresh
from plans.selectors import current_plan_instances, upcoming_race_goals

RECENT_ACTIVITIES = 5


@dataclass(frozen=True)
class ProfileRows:
    athlete: object
    snapshot: dict
    today: date  # the athlete's local date the snapshot's numbers are for
    plan_instances: list
    race_goals: list
    integrations: dict  # {provider: {connected, status, connected_at}}
    insights: list
    recent_activities: list


def athlete_insights(user) -> list[Insight]:
    """The weekly summary first, then activity insights, newest activity first."""
    rows = Insight.objects.filter(
        user=user, kind__in=(InsightKind.WEEKLY_SUMMARY, InsightKind.ACTIVITY)
    ).select_related("activity")
    return sorted(
        rows,
        key=lambda i: (i.kind != InsightKind.WEEKLY_SUMMARY, -(i.activity.start_time.timestamp() if i.activity else 0)),
    )


def athlete_profile_rows(athlete, *, force: bool = False) -> ProfileRows:
    snapshot = athlete_snapshot_fresh(athlete, force=force).data
    today = date.fromisoformat(snapshot["as_of"])
    return ProfileRows(
        athlete=athlete,
        snapshot=snapshot,
        today=today,
        plan_instances=current_plan_instances([athlete.pk]).get(athlete.pk, []),
        race_goals=upcoming_race_goals([athlete.pk], today).get(athlete.pk, []),
        integrations=user_integrations(athlete),
        insights=athlete_insights(athlete),
        recent_activities=list(activities_of(athlete)[:RECENT_ACTIVITIES]),
    )
