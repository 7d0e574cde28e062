"""URL patterns of the conversation pages."""

urlpatterns: list = []
