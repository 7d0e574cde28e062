"""URL patterns of the attention pages."""

from django.urls import path

from analytics.web import attention

urlpatterns = [
    path("attention/", attention.attention_page, name="attention"),
    path("attention/<str:flag_id>/seen/", attention.attention_seen_page, name="attention-seen-page"),
]
