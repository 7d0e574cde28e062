"""URL pattern of the planned-vs-done calendar."""

from analytics.api.calendar_views import CalendarView
from astral.api.routing import endpoint

urlpatterns = [
    endpoint("analytics/calendar", CalendarView.as_view(), "calendar"),
]
