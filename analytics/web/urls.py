from django.urls import path

from analytics.web import calendar, dashboard, export, profile, roster, strava

urlpatterns = [
    path("athletes/", roster.athletes_list, name="athletes"),
    path("athletes/<str:user_id>/", profile.athlete_profile, name="athlete-profile"),
    path("athletes/<str:user_id>/calendar/", calendar.athlete_calendar_page, name="athlete-calendar"),
    path("account/export/", export.export_my_data, name="account-export"),
    path("integrations/strava/connect/", strava.strava_connect, name="strava-connect-page"),
    path("integrations/strava/disconnect/", strava.strava_disconnect_page, name="strava-disconnect-page"),
    path("analytics/", dashboard.dashboard, name="dashboard"),
    path("analytics/groups/<str:group_id>/", dashboard.group_page, name="group-page"),
]
