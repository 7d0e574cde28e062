"""URL patterns of the attention pages."""

urlpatterns: list = []
