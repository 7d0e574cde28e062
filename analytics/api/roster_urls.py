"""URL patterns of the roster endpoint."""

from analytics.api.roster_views import CoachAthletesMetricsView
from astral.api.routing import endpoint

urlpatterns = [
    endpoint("analytics/coach_athletes_metrics", CoachAthletesMetricsView.as_view(), "coach-athletes-metrics"),
]
