"""URL patterns of the stats endpoints."""

from analytics.api.stats_series_views import ActivityStatsView, HealthMetricsView
from analytics.api.stats_views import FitnessStatsView, RunningStatsView
from astral.api.routing import endpoint

urlpatterns = [
    endpoint("analytics/fitness_stats", FitnessStatsView.as_view(), "fitness-stats"),
    endpoint("analytics/running_stats", RunningStatsView.as_view(), "running-stats"),
    endpoint("analytics/activity_stats", ActivityStatsView.as_view(), "activity-stats"),
    endpoint("analytics/health_metrics", HealthMetricsView.as_view(), "health-metrics"),
]
