from django.urls import path

from analytics.web import profile, roster

urlpatterns = [
    path("athletes/", roster.athletes_list, name="athletes"),
    path("athletes/<str:user_id>/", profile.athlete_profile, name="athlete-profile"),
]
