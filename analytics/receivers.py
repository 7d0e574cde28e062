"""How analytics takes part in an account deletion (connected in AnalyticsConfig.ready())."""

from django.dispatch import receiver

from accounts.deletion import user_deleting
from analytics.models import Insight, InsightKind


@receiver(user_deleting, dispatch_uid="analytics-group-insights-on-user-delete")
def forget_group_insights_of_deleted_user(sender, user, **kwargs):
    """Stored group insights may name the user (the week's top runner): drop those of their
    groups; the dashboard writes a fresh text without them on the next read."""
    Insight.objects.filter(kind=InsightKind.GROUP, group__group_memberships__user=user).delete()
