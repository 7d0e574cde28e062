"""URL patterns of the dashboard endpoints."""

urlpatterns = []
