"""Strava webhook events and disconnecting, against the local Strava double over real HTTP: an
event body is checked and queued (`strava_event_accept`), the `strava_event` task re-reads Strava
and creates, updates or removes the activity; a deauthorization deletes the tokens and every
Strava activity (Strava API Agreement) and leaves the athlete's own files alone."""

from datetime import UTC, datetime, timedelta

import pytest

from accounts.models import Integration
from analytics.models import Activity, ActivitySamples
from analytics.services.imports import activity_import
from analytics.strava.sync import strava_disconnect, strava_event_accept
from astral.exceptions import InvalidInput
from astral.secret_box import unseal
from tests.analytics.strava_sync_support import RetrySpy, connect, tcx_of, two_pace_run
from tests.strava_double import event

# The worker of the services pass reads what the test wrote on its own connection.
pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime.now(UTC).replace(microsecond=0)


def send(strava, object_type: str, object_id: int, aspect_type: str, owner_id: int, updates=None) -> None:
    """What the webhook view does with Strava's POST body."""
    strava_event_accept(event(object_type, object_id, aspect_type, owner_id, strava.subscription_id, updates))


def test_activity_create_update_and_delete_events(strava, tasks):
    user, athlete, integration = connect(strava)
    streams = two_pace_run()
    created = strava.add_activity(athlete["id"], start=NOW - timedelta(hours=3), streams=streams, calories=287.0)

    send(strava, "activity", created["id"], "create", athlete["id"])
    send(strava, "activity", created["id"], "create", athlete["id"])  # Strava sends again: no double
    tasks.settle()

    run = Activity.objects.get(user=user)
    assert run.external_id == f"strava:{created['id']}"
    assert (run.sport, run.distance, run.duration) == ("run", 3750.0, 1200.0)
    assert (run.calories, run.training_load) == (287, 40.5)  # the detail has calories; TRIMP as the backfill's
    assert Integration.objects.get(pk=integration.pk).last_sync_at is not None

    # The athlete fixes the sport on Strava and crops the last 200 s.
    strava.update_activity(created["id"], sport_type="TrailRun", type="Run", distance=3000.0, moving_time=1000)
    strava.streams[created["id"]] = {key: values[:1001] for key, values in streams.items()}
    send(strava, "activity", created["id"], "update", athlete["id"], {"type": "TrailRun"})
    tasks.settle()

    run.refresh_from_db()
    assert (run.sport, run.distance, run.duration) == ("trail_run", 3000.0, 1000.0)
    # Zones from the cropped samples: 600 s in Z1, 400 s in Z4.
    assert (run.pace_z1_time, run.pace_z4_time) == (600.0, 400.0)
    assert len(ActivitySamples.objects.get(activity=run).data) == 1001

    strava.delete_activity(created["id"])
    send(strava, "activity", created["id"], "delete", athlete["id"])
    tasks.settle()

    assert not Activity.objects.filter(user=user).exists()
    assert not ActivitySamples.objects.exists()


def test_a_delete_event_for_an_activity_strava_still_has_deletes_nothing(strava, tasks):
    user, athlete, _ = connect(strava)
    kept = strava.add_activity(athlete["id"], start=NOW - timedelta(hours=3), streams=two_pace_run())
    send(strava, "activity", kept["id"], "create", athlete["id"])
    tasks.settle()

    send(strava, "activity", kept["id"], "delete", athlete["id"])  # stale or forged: events are not signed
    tasks.settle()

    assert Activity.objects.filter(user=user, external_id=f"strava:{kept['id']}").count() == 1


def test_an_event_that_meets_an_outage_is_retried_not_lost(strava, tasks, monkeypatch):
    user, athlete, _ = connect(strava)
    created = strava.add_activity(athlete["id"], start=NOW - timedelta(hours=1), streams=two_pace_run())
    spy = RetrySpy(monkeypatch)
    strava.fail_next(1, 502)

    send(strava, "activity", created["id"], "create", athlete["id"])
    tasks.settle()

    assert spy.countdowns == [30]
    assert Activity.objects.filter(user=user).count() == 1


def test_an_event_for_an_athlete_nobody_connected_is_accepted_and_ignored(strava, tasks):
    stranger = strava.add_athlete()
    activity = strava.add_activity(stranger["id"], streams=two_pace_run())

    assert send(strava, "activity", activity["id"], "create", stranger["id"]) is None
    tasks.settle()

    assert not Activity.objects.exists()
    assert not strava.requests  # nothing was asked of Strava


def test_deauthorization_deletes_the_tokens_and_strava_s_activities_but_not_the_files(strava, tasks):
    user, athlete, integration = connect(strava)
    strava.add_activity(athlete["id"], start=NOW - timedelta(days=2), streams=two_pace_run())
    send(strava, "activity", strava.add_activity(athlete["id"], streams=two_pace_run())["id"], "create", athlete["id"])
    tasks.settle()
    from_file, _ = activity_import(
        user=user, content=tcx_of(two_pace_run(), NOW - timedelta(days=5), distance=3750.0, seconds=1200, avg_hr=150)
    )
    assert Activity.objects.filter(user=user, source="strava").count() == 1

    strava.deauthorize_athlete(athlete["id"])  # the athlete revokes Astral on strava.com
    send(strava, "athlete", athlete["id"], "update", athlete["id"], {"authorized": "false"})
    tasks.settle()

    stored = Integration.objects.get(pk=integration.pk)
    assert (stored.connected, stored.status, stored.error) == (False, "disconnected", "")
    assert (stored.access_token, stored.refresh_token, stored.external_id) == ("", "", "")
    assert stored.token_expires_at is None
    assert list(Activity.objects.filter(user=user)) == [from_file]
    assert ActivitySamples.objects.filter(activity__user=user).count() == 1  # the file's
    assert not strava.requests_to("/oauth/deauthorize")  # already revoked: nothing to tell Strava


def test_a_deauthorization_event_while_the_grant_still_works_deletes_nothing(strava, tasks):
    user, athlete, integration = connect(strava)
    send(strava, "activity", strava.add_activity(athlete["id"], streams=two_pace_run())["id"], "create", athlete["id"])
    tasks.settle()

    send(strava, "athlete", athlete["id"], "update", athlete["id"], {"authorized": "false"})  # forged
    tasks.settle()

    assert Integration.objects.get(pk=integration.pk).connected
    assert Activity.objects.filter(user=user).count() == 1
    assert strava.requests_to("/api/v3/athlete")  # the grant was tested


def test_disconnecting_revokes_at_strava_and_deletes_strava_s_data(strava, tasks):
    user, athlete, integration = connect(strava)
    token = unseal(integration.access_token)
    send(strava, "activity", strava.add_activity(athlete["id"], streams=two_pace_run())["id"], "create", athlete["id"])
    tasks.settle()
    from_file, _ = activity_import(
        user=user, content=tcx_of(two_pace_run(), NOW - timedelta(days=5), distance=3750.0, seconds=1200, avg_hr=150)
    )

    disconnected = strava_disconnect(user=user)

    assert (disconnected.connected, disconnected.status, disconnected.access_token) == (False, "disconnected", "")
    revoked = strava.requests_to("/oauth/deauthorize", "POST")
    assert [r.form["access_token"] for r in revoked] == [token]
    assert not any(record["athlete_id"] == athlete["id"] for record in strava.access.values())
    assert list(Activity.objects.filter(user=user)) == [from_file]
    assert Integration.objects.get(pk=integration.pk).status == "disconnected"


def test_a_failure_at_strava_never_blocks_the_local_disconnect(strava, tasks, settings):
    user, athlete, integration = connect(strava)
    send(strava, "activity", strava.add_activity(athlete["id"], streams=two_pace_run())["id"], "create", athlete["id"])
    tasks.settle()
    settings.STRAVA_OAUTH_BASE = "http://127.0.0.1:9/oauth"  # nothing listens on the discard port

    strava_disconnect(user=user)

    stored = Integration.objects.get(pk=integration.pk)
    assert (stored.connected, stored.status, stored.refresh_token) == (False, "disconnected", "")
    assert not Activity.objects.filter(user=user).exists()
    assert strava_disconnect(user=user).status == "disconnected"  # again: nothing left to do


OWNER = {"object_type": "activity", "aspect_type": "create", "object_id": 1, "owner_id": 2}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (None, "body"),
        ([OWNER], "body"),
        ("object_type=activity", "body"),
        (OWNER | {"object_type": "route"}, "object_type"),
        (OWNER | {"object_type": "activity\x00"}, "object_type"),
        (OWNER | {"object_type": ["activity"]}, "object_type"),
        (OWNER | {"aspect_type": "CREATE"}, "aspect_type"),
        ({k: v for k, v in OWNER.items() if k != "aspect_type"}, "aspect_type"),
        (OWNER | {"object_id": 2**64}, "object_id"),
        (OWNER | {"object_id": -1}, "object_id"),
        (OWNER | {"object_id": 0}, "object_id"),
        (OWNER | {"object_id": "12345"}, "object_id"),
        (OWNER | {"object_id": 1.5}, "object_id"),
        (OWNER | {"object_id": True}, "object_id"),
        (OWNER | {"owner_id": None}, "owner_id"),
        (OWNER | {"owner_id": 10**400}, "owner_id"),
        (OWNER | {"subscription_id": "x\x00"}, "subscription_id"),
        (OWNER | {"event_time": -5}, "event_time"),
        (OWNER | {"updates": "authorized=false"}, "updates"),
        (OWNER | {"updates": {str(n): "x" for n in range(21)}}, "updates"),
        (OWNER | {"updates": {"authorized": False}}, "updates"),
        (OWNER | {"updates": {"authorized": "false\x00"}}, "updates"),
    ],
)
def test_a_body_not_shaped_like_a_strava_event_is_invalid_input(payload, field):
    with pytest.raises(InvalidInput) as refused:
        strava_event_accept(payload)
    assert refused.value.field == field


def test_a_well_formed_event_with_fields_strava_may_add_is_accepted():
    strava_event_accept(OWNER | {"updates": {"title": "Easy \x00 run", "private": "true"}, "new_field": [1, 2]})
