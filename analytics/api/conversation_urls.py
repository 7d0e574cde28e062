"""URL patterns of the conversation endpoints."""

urlpatterns: list = []
