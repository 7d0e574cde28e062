"""How analytics takes part in what accounts announces (signals of accounts.deletion and
accounts.signals, connected in AnalyticsConfig.ready()): account deletion, athletes' data and
profile changes."""

from django.core.files.storage import default_storage
from django.db import transaction
from django.dispatch import receiver

from accounts.deletion import user_deleting
from accounts.signals import athlete_data_changed, athlete_profile_changed
from analytics.models import ImportJob, Insight, InsightKind
from analytics.strava.disconnect import strava_grant_revoke_after_commit
from analytics.tasks import queue_athlete_refresh, recompute_activity_metrics
from astral.celery import enqueue_on_commit

# Profile fields the stored training load and zone times of every activity depend on.
LOAD_PROFILE_FIELDS = {"vdot", "pace_zones", "max_heart_rate", "resting_heart_rate", "sex"}


@receiver(user_deleting, dispatch_uid="analytics-group-insights-on-user-delete")
def forget_group_insights_of_deleted_user(sender, user, **kwargs):
    """Stored group insights may name the user (the week's top runner): drop those of their
    groups; the dashboard writes a fresh text without them on the next read."""
    Insight.objects.filter(kind=InsightKind.GROUP, group__group_memberships__user=user).delete()


@receiver(user_deleting, dispatch_uid="analytics-import-uploads-on-user-delete")
def delete_waiting_uploads_of_deleted_user(sender, user, **kwargs):
    """An import job's upload waits in storage until the job ends: a deleted account's go now
    (the rows go with the user), once the deletion commits."""
    names = [name for name in ImportJob.objects.filter(user=user).values_list("upload", flat=True) if name]
    if names:
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])


@receiver(user_deleting, dispatch_uid="analytics-strava-grant-on-user-delete")
def revoke_strava_grant_of_deleted_user(sender, user, **kwargs):
    strava_grant_revoke_after_commit(user=user)


@receiver(athlete_data_changed, dispatch_uid="analytics-refresh-on-athlete-data-changed")
def queue_refresh_of_changed_athletes(sender, user_ids, queue_refresh=True, **kwargs):
    """Queue a background rebuild of each athlete's snapshot (de-duplicated while one is pending),
    unless the writer asked not to (see accounts.services.user_data_changed)."""
    if not queue_refresh:
        return
    for user_id in user_ids:
        queue_athlete_refresh(user_id)


@receiver(athlete_profile_changed, dispatch_uid="analytics-recompute-on-load-profile-change")
def recompute_load_on_profile_change(sender, user, fields, **kwargs):
    """A change to a field the stored training load depends on recomputes every activity's load
    and zone times, after the transaction commits."""
    if fields & LOAD_PROFILE_FIELDS:
        enqueue_on_commit(recompute_activity_metrics, user.pk)
