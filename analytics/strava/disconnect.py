"""Disconnecting Strava: by the athlete (`DELETE users/me/integrations/strava`), or because they
revoked Astral on Strava (the deauthorization event, analytics.strava.sync).

The Strava API Agreement (www.strava.com/api-agreement, its data-deletion clause): unless the
law or an agreement with the user requires keeping it, when a user revokes the authorization they
gave an application, all Personal Data pertaining to that user must be deleted from the
application and its systems. A disconnect in Astral revokes the grant at Strava too, so both
paths delete the same: the tokens, Strava's athlete id and every activity that came from Strava
(with its samples and the insights about it); the derived numbers are rebuilt without them. What
the athlete uploaded themselves (files, Apple Health, entries by hand) is not Strava's data and
stays.
"""

import logging

from django.db import transaction

from accounts.models import Integration, Provider, User
from accounts.services import user_data_changed
from analytics.models import Activity, Source
from analytics.strava import client
from analytics.strava.tokens import StravaAccessRevoked, strava_access_token

logger = logging.getLogger("astral.strava")


def _deauthorize_at_strava(integration: Integration) -> None:
    """Best effort: Strava forgets the grant. Any failure is logged and never blocks the local
    disconnect (the athlete can always revoke Astral in their Strava settings)."""
    try:
        client.deauthorize(strava_access_token(integration=integration))
    except (client.StravaError, StravaAccessRevoked) as failure:
        logger.warning("Strava deauthorization of user %s failed: %s", integration.user_id, failure)


def strava_grant_revoke_after_commit(*, user: User) -> None:
    """Account deletion: the Strava grant is revoked too, once the deletion commits (the tokens
    go with the user's rows, so the access token is taken, refreshed if due, beforehand). Best
    effort, like every revocation here: a failure is logged and never blocks the deletion."""
    integration = Integration.objects.filter(user=user, provider=Provider.STRAVA, connected=True).first()
    if integration is None or not integration.access_token:
        return
    try:
        token = strava_access_token(integration=integration)
    except (client.StravaError, StravaAccessRevoked) as failure:
        logger.warning("Strava deauthorization of deleted user %s skipped: %s", user.pk, failure)
        return

    def revoke():
        try:
            client.deauthorize(token)
        except client.StravaError as failure:
            logger.warning("Strava deauthorization of deleted user %s failed: %s", user.pk, failure)

    transaction.on_commit(revoke)


def strava_disconnect(*, user: User, revoke: bool = True) -> Integration | None:
    """Disconnect the athlete's Strava: revoke the grant at Strava (`revoke`, best effort), then
    delete the tokens and every activity that came from Strava (Strava API Agreement: Strava data
    of a user who revoked authorization must be deleted); activities from files, Apple Health or
    entered by hand stay. Status `disconnected`. None when Strava was never connected."""
    integration = Integration.objects.filter(user=user, provider=Provider.STRAVA).first()
    if integration is None:
        return None
    if revoke and integration.connected and integration.access_token:
        _deauthorize_at_strava(integration)
    with transaction.atomic():
        integration = Integration.objects.select_for_update().get(pk=integration.pk)
        deleted, _ = Activity.objects.filter(user=user, source=Source.STRAVA).delete()
        integration.connected, integration.status, integration.error = False, "disconnected", ""
        integration.access_token = integration.refresh_token = integration.external_id = integration.scope = ""
        integration.token_expires_at = integration.connected_at = integration.last_sync_at = None
        integration.save()
        if deleted:
            user_data_changed(user_ids=[user.pk])
    return integration
