"""URL patterns of the stats endpoints."""

urlpatterns = []
