"""URL patterns of the attention endpoints."""

from analytics.api.attention_views import AttentionQueueView, AttentionSeenView
from astral.api.routing import endpoint

urlpatterns = [
    endpoint("analytics/attention_queue", AttentionQueueView.as_view(), "attention-queue"),
    endpoint("analytics/attention_queue/<flag_id>/seen", AttentionSeenView.as_view(), "attention-seen"),
]
