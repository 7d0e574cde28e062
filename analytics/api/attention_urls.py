"""URL patterns of the attention endpoints."""

urlpatterns: list = []
