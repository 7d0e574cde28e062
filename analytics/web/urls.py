from django.urls import path

from analytics.web import dashboard, export, profile, roster

urlpatterns = [
    path("athletes/", roster.athletes_list, name="athletes"),
    path("athletes/<str:user_id>/", profile.athlete_profile, name="athlete-profile"),
    path("account/export/", export.export_my_data, name="account-export"),
    path("analytics/", dashboard.dashboard, name="dashboard"),
    path("analytics/groups/<str:group_id>/", dashboard.group_page, name="group-page"),
]
