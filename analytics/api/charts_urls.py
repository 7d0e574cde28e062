"""URL patterns of the charts endpoints: running streaks, metrics charts and summary tiles."""

from analytics.api import charts_views
from astral.api.routing import endpoint

urlpatterns = [
    endpoint("analytics/running_streaks", charts_views.RunningStreaksView.as_view(), "running-streaks"),
    endpoint("analytics/user_metrics_charts", charts_views.MetricsChartsView.as_view(), "user-metrics-charts"),
    endpoint("analytics/user_metrics_summary", charts_views.MetricsSummaryView.as_view(), "user-metrics-summary"),
]
