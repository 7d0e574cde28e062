"""URL patterns of the roster endpoints."""

urlpatterns = []
