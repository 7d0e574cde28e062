"""URL patterns of the conversation pages: an activity's page with its comment thread, and the
caller's notifications."""

from django.urls import path

from analytics.web import activity_page, notifications

urlpatterns = [
    path(
        "athletes/<str:user_id>/activities/<str:activity_id>/",
        activity_page.activity_page,
        name="activity-page",
    ),
    path("notifications/", notifications.notifications_page, name="notifications-page"),
    path("notifications/read/", notifications.notifications_read_page, name="notifications-read-page"),
    path("notifications/settings/", notifications.notification_settings_page, name="notification-settings-page"),
]
