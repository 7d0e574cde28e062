"""Web routes of the CSV downloads (analytics/web/downloads.py), before analytics' athletes/<user_id>/."""

from django.urls import path

from analytics.web import downloads

urlpatterns = [
    path("athletes/export.csv", downloads.athletes_csv, name="athletes-csv"),
    path("athletes/<str:user_id>/activities.csv", downloads.athlete_activities_csv, name="athlete-activities-csv"),
    path("athletes/<str:user_id>/wellness.csv", downloads.athlete_wellness_csv, name="athlete-wellness-csv"),
]
