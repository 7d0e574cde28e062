"""URL patterns of the dashboard endpoints."""

from analytics.api import dashboard_views as views
from astral.api.routing import endpoint

urlpatterns = [
    endpoint(
        "analytics/group_dashboard/overview", views.GroupDashboardOverviewView.as_view(), "group-dashboard-overview"
    ),
    endpoint("analytics/group_dashboard/groups", views.GroupDashboardGroupsView.as_view(), "group-dashboard-groups"),
    endpoint(
        "analytics/group_dashboard/groups/<group_id>",
        views.GroupDashboardGroupView.as_view(),
        "group-dashboard-group",
    ),
    endpoint("analytics/group_dashboard/plans", views.GroupDashboardPlansView.as_view(), "group-dashboard-plans"),
]
