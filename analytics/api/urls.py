"""URL patterns of analytics' API: the activity, wellness, profile, export and calculator endpoints here,
then each area's own module (stats, charts, dashboard, roster, calendar,
attention queue, comments and notifications). astral/urls.py includes only this one."""

from django.urls import include, path

from analytics.api import (
    activity_views,
    calculator_views,
    export_views,
    import_views,
    profile_views,
    strava_views,
    wellness_views,
)
from astral.api.routing import endpoint

urlpatterns = [
    endpoint("activities", activity_views.ActivitiesView.as_view(), "activities"),
    endpoint("activities/import", import_views.ActivityImportView.as_view(), "activity-import"),
    endpoint("imports/<import_id>", import_views.ImportJobView.as_view(), "import-job"),
    endpoint("activities/<activity_id>", activity_views.ActivityView.as_view(), "activity"),
    endpoint("wellness", wellness_views.WellnessListView.as_view(), "wellness"),
    endpoint("wellness/<day>", wellness_views.WellnessDayView.as_view(), "wellness-day"),
    endpoint("analytics/athlete_profile", profile_views.AthleteProfileView.as_view(), "athlete-profile"),
    endpoint("users/me/export", export_views.UserExportView.as_view(), "users-me-export"),
    endpoint("integrations/strava/connect", strava_views.StravaConnectView.as_view(), "strava-connect"),
    endpoint("integrations/strava/callback", strava_views.StravaCallbackView.as_view(), "strava-callback"),
    endpoint("integrations/strava/webhook", strava_views.StravaWebhookView.as_view(), "strava-webhook"),
    endpoint("analytics/race_calculator", calculator_views.RaceCalculatorView.as_view(), "race-calculator"),
    path("", include("analytics.api.stats_urls")),
    path("", include("analytics.api.charts_urls")),
    path("", include("analytics.api.dashboard_urls")),
    path("", include("analytics.api.roster_urls")),
    path("", include("analytics.api.calendar_urls")),
    path("", include("analytics.api.attention_urls")),
    path("", include("analytics.api.conversation_urls")),
]
