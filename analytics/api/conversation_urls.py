"""URL patterns of the conversation endpoints: an activity's comments and the caller's notifications."""

from analytics.api.conversation_views import (
    ActivityCommentsView,
    NotificationSettingsView,
    NotificationsReadView,
    NotificationsView,
)
from astral.api.routing import endpoint

urlpatterns = [
    endpoint("activities/<activity_id>/comments", ActivityCommentsView.as_view(), "activity-comments"),
    endpoint("notifications", NotificationsView.as_view(), "notifications"),
    endpoint("notifications/read", NotificationsReadView.as_view(), "notifications-read"),
    endpoint("notifications/settings", NotificationSettingsView.as_view(), "notification-settings"),
]
