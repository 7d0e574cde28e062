"""URL patterns of the charts endpoints."""

urlpatterns = []
