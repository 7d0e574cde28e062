"""Strava backfill through the file-import pipeline, against the local Strava double over real HTTP,
with the Celery tasks run for real (inline in the embedded pass, by a worker on the broker in the
services pass): the connection queues the last 90 days; nothing is stored twice, not even a run
already uploaded as a file; tokens are refreshed and stored sealed; a 429 waits for Strava's
window; a revoked grant shows as an error."""

import math
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import transaction

from accounts.models import Integration
from analytics.models import Activity, ActivitySamples
from analytics.services.imports import activity_import
from analytics.strava import sync as strava_sync
from analytics.strava.oauth import strava_authorize_url, strava_callback
from analytics.strava.sync import strava_access_token, strava_backfill, strava_backfill_queue
from astral.exceptions import Conflict
from astral.secret_box import unseal
from tests.analytics.strava_sync_support import (
    PROFILE,
    RetrySpy,
    connect,
    freeze_strava_clock,
    tcx_of,
    two_pace_run,
)
from tests.factories import UserFactory

# The worker of the services pass reads what the test wrote on its own connection.
pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime.now(UTC).replace(microsecond=0)
ZONES = ("pace_z1_time", "pace_z2_time", "pace_z3_time", "pace_z4_time", "pace_z5_time")


def queue_backfill(user_id: int) -> None:
    with transaction.atomic():
        strava_backfill_queue(user_id=user_id)


def test_connecting_queues_a_backfill_of_exactly_the_last_90_days(strava, tasks):
    athlete = UserFactory(timezone="Europe/Ljubljana", **PROFILE)
    strava_athlete = strava.add_athlete()
    for days_ago in (1, 30, 89, 91, 200):
        strava.add_activity(strava_athlete["id"], start=NOW - timedelta(days=days_ago), streams=two_pace_run())
    location = strava.approve_url(strava_authorize_url(athlete))
    answer = {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}

    called = datetime.now(UTC).replace(microsecond=0)
    integration = strava_callback(state=answer["state"], code=answer["code"], scope=answer["scope"])

    assert integration.status == "syncing"
    tasks.settle()
    starts = sorted(Activity.objects.filter(user=athlete).values_list("start_time", flat=True))
    assert starts == [NOW - timedelta(days=days) for days in (89, 30, 1)]  # not 91 or 200 days ago
    listed = strava.requests_to("/api/v3/athlete/activities")
    after = int(listed[0].query["after"])
    assert called - timedelta(days=90) <= datetime.fromtimestamp(after, UTC) <= datetime.now(UTC) - timedelta(days=90)
    stored = Integration.objects.get(pk=integration.pk)
    assert (stored.status, stored.error) == ("connected", "")
    assert stored.last_sync_at is not None and stored.last_sync_at >= NOW


def test_a_strava_run_is_measured_as_its_file_would_be(strava, tasks):
    user, athlete, _ = connect(strava)
    start = NOW - timedelta(days=3)
    streams = two_pace_run()
    on_strava = strava.add_activity(athlete["id"], start=start, streams=streams)

    queue_backfill(user.pk)
    tasks.settle()

    run = Activity.objects.get(user=user)
    assert (run.source, run.sport, run.timezone) == ("strava", "run", "Europe/Ljubljana")
    assert run.external_id == f"strava:{on_strava['id']}"
    assert run.start_time == start
    # By hand: 600 s × 2.5 m/s + 600 s × 3.75 m/s = 3,750 m in 1,200 s; Strava's mean heart rate
    # (601 × 140 + 600 × 160) / 1,201 = 149.99 → 150; max 160; 12 climbs of 1 m.
    assert (run.distance, run.duration, run.elapsed_time) == (3750.0, 1200.0, 1200.0)
    assert (run.avg_heart_rate, run.max_heart_rate, run.elevation_gain) == (150, 160, 12.0)
    # Zones from the samples: 6:40 /km is slower than 6:00 → Z1; 4:26.7 /km is between 4:30 and
    # 4:00 → Z4; 600 s each.
    assert [getattr(run, zone) for zone in ZONES] == [600.0, 0.0, 0.0, 600.0, 0.0]
    # Banister TRIMP, female: 20 min × HRr × 0.86 × e^(1.67 HRr), HRr = (150 − 50) / (190 − 50).
    hrr = (150 - 50) / (190 - 50)
    assert run.training_load == round(20 * hrr * 0.86 * math.exp(1.67 * hrr), 1) == 40.5
    samples = ActivitySamples.objects.get(activity=run).data
    assert len(samples) == 1201 and samples[600] == {
        "t": 600.0,
        "distance": 1500.0,
        "heart_rate": 140,
        "altitude": 306.0,
        "lat": None,
        "lon": None,
        "speed": None,
    }

    # The same recording uploaded as a file by another athlete with the same profile.
    twin = UserFactory(timezone="Europe/Ljubljana", **PROFILE)
    from_file, _ = activity_import(user=twin, content=tcx_of(streams, start, distance=3750.0, seconds=1200, avg_hr=150))
    compared = ("distance", "duration", "avg_heart_rate", "training_load", *ZONES)
    assert [getattr(run, name) for name in compared] == [getattr(from_file, name) for name in compared]
    assert ActivitySamples.objects.get(activity=from_file).data == samples


def test_a_second_backfill_stores_nothing_twice_and_fetches_no_streams_again(strava, monkeypatch):
    user, athlete, _ = connect(strava)
    for hours_ago in (5, 29, 53, 77, 101):
        strava.add_activity(athlete["id"], start=NOW - timedelta(hours=hours_ago), streams=two_pace_run())
    monkeypatch.setattr(strava_sync, "PER_PAGE", 2)  # five activities: pages of 2, 2 and 1

    first = strava_backfill(user_id=user.pk)
    second = strava_backfill(user_id=user.pk)

    assert first == {"imported": 5, "updated": 0, "unchanged": 0, "duplicate": 0, "invalid": 0}
    assert second == {"imported": 0, "updated": 0, "unchanged": 5, "duplicate": 0, "invalid": 0}
    assert Activity.objects.filter(user=user).count() == 5
    pages = [request.query["page"] for request in strava.requests_to("/api/v3/athlete/activities")]
    assert pages == ["1", "2", "3", "1", "2", "3"]
    streams = [r for r in strava.requests if r.path.endswith("/streams")]
    assert len(streams) == 5  # only the first backfill asked for streams


def test_a_run_already_uploaded_as_a_file_is_not_stored_again(strava):
    user, athlete, _ = connect(strava)
    start = NOW - timedelta(days=2)
    streams = two_pace_run()
    from_file, _ = activity_import(user=user, content=tcx_of(streams, start, distance=3750.0, seconds=1200, avg_hr=150))
    # Strava's copy starts 45 s later (another device's clock) and calls it a trail run; a ride
    # 30 s after the run's start is another activity; a run 61 s after it is one too.
    strava.add_activity(athlete["id"], start=start + timedelta(seconds=45), streams=streams, sport_type="TrailRun")
    ride = strava.add_activity(athlete["id"], start=start + timedelta(seconds=30), sport_type="Ride", type="Ride")
    later = strava.add_activity(athlete["id"], start=start + timedelta(seconds=61), streams=streams)

    counts = strava_backfill(user_id=user.pk)

    assert counts == {"imported": 2, "updated": 0, "unchanged": 0, "duplicate": 1, "invalid": 0}
    stored = {a.external_id: a for a in Activity.objects.filter(user=user)}
    assert set(stored) == {"", f"strava:{ride['id']}", f"strava:{later['id']}"}
    assert stored[""].pk == from_file.pk and stored[""].source == "file" and stored[""].sport == "run"
    assert stored[f"strava:{ride['id']}"].sport == "ride"


def test_the_file_of_a_run_strava_brought_is_not_stored_again(strava):
    user, athlete, _ = connect(strava)
    start = NOW - timedelta(days=2)
    streams = two_pace_run()
    on_strava = strava.add_activity(athlete["id"], start=start, streams=streams)
    strava_backfill(user_id=user.pk)
    # The watch's own file of that run, its clock 50 s off: the same run (409, nothing stored).
    with pytest.raises(Conflict) as refused:
        activity_import(
            user=user, content=tcx_of(streams, start - timedelta(seconds=50), distance=3750.0, seconds=1200, avg_hr=150)
        )
    stored = Activity.objects.get(user=user)
    assert refused.value.extra["activity_id"] == stored.public_id and stored.external_id == f"strava:{on_strava['id']}"


def test_an_expiring_token_is_refreshed_first_and_the_new_tokens_are_stored_sealed(strava):
    user, athlete, integration = connect(strava)
    old_access, old_refresh = unseal(integration.access_token), unseal(integration.refresh_token)
    strava.expire_tokens(athlete["id"])
    Integration.objects.filter(pk=integration.pk).update(token_expires_at=NOW + timedelta(minutes=4))
    strava.add_activity(athlete["id"], start=NOW - timedelta(days=1), streams=two_pace_run())

    assert strava_backfill(user_id=user.pk)["imported"] == 1

    refresh = strava.requests_to("/oauth/token", "POST")
    assert [r.form["grant_type"] for r in refresh] == ["refresh_token"]
    assert refresh[0].form["refresh_token"] == old_refresh
    stored = Integration.objects.get(pk=integration.pk)
    access, rotated = unseal(stored.access_token), unseal(stored.refresh_token)
    assert access != old_access and rotated != old_refresh  # Strava rotated both
    assert access not in stored.access_token and rotated not in stored.refresh_token  # sealed at rest
    assert strava.access[access]["athlete_id"] == athlete["id"] and rotated in strava.refresh
    assert stored.token_expires_at > NOW + timedelta(hours=5)
    # The API calls used the new token.
    assert strava.requests_to("/api/v3/athlete/activities")[0].headers["authorization"] == f"Bearer {access}"


def test_a_token_strava_expired_early_is_refreshed_on_its_401_and_a_fresh_one_is_kept(strava):
    user, athlete, integration = connect(strava)
    token = strava_access_token(integration=integration)
    assert not strava.requests_to("/oauth/token")  # six hours left: no refresh
    strava.expire_token(token)  # our expires_at still says six hours

    strava_backfill(user_id=user.pk)

    assert [r.form["grant_type"] for r in strava.requests_to("/oauth/token")] == ["refresh_token"]
    assert Integration.objects.get(pk=integration.pk).status == "connected"


def test_a_429_retries_when_strava_s_window_ends_then_succeeds(strava, tasks, monkeypatch):
    user, athlete, _ = connect(strava)
    for days_ago in (1, 2):
        strava.add_activity(athlete["id"], start=NOW - timedelta(days=days_ago), streams=two_pace_run())
    freeze_strava_clock(monkeypatch, datetime(2026, 12, 3, 10, 7, 30, tzinfo=UTC))  # 450 s to 10:15
    spy = RetrySpy(monkeypatch)
    strava.rate_limit_next(1)  # the first API request of the backfill is refused

    queue_backfill(user.pk)
    tasks.settle()

    assert spy.countdowns == [450]
    assert Activity.objects.filter(user=user).count() == 2
    api = [r.path for r in strava.requests if r.path.startswith("/api/v3/")]
    assert api[:2] == ["/api/v3/athlete/activities"] * 2 and len(api) == 4  # 429, then list + 2 streams
    assert Integration.objects.get(user=user).status == "connected"


def test_a_spent_daily_budget_is_waited_out_in_steps_shorter_than_the_broker_s_visibility(strava, tasks, monkeypatch):
    user, athlete, _ = connect(strava)
    strava.add_activity(athlete["id"], start=NOW - timedelta(days=1), streams=two_pace_run())
    spy = RetrySpy(monkeypatch)
    freeze_strava_clock(monkeypatch, datetime(2026, 12, 3, 10, 7, 30, tzinfo=UTC))  # 13 h 52 min to midnight
    strava.read_usage[1] = strava.read_limits[1]  # 1,000 reads today: the daily window is spent
    strava.rate_limit_next(1)

    queue_backfill(user.pk)
    tasks.settle()

    # Midnight UTC is 13 h 52 min away; a Redis broker redelivers a task held past its visibility
    # timeout (600 s), so the task waits 540 s and asks again.
    assert spy.countdowns == [540]
    assert Activity.objects.filter(user=user).count() == 1


def test_an_unreachable_strava_is_retried_with_growing_back_off(strava, tasks, monkeypatch):
    user, athlete, _ = connect(strava)
    strava.add_activity(athlete["id"], start=NOW - timedelta(days=1), streams=two_pace_run())
    spy = RetrySpy(monkeypatch)
    strava.fail_next(2, 503)

    queue_backfill(user.pk)
    tasks.settle()

    assert spy.countdowns == [30, 60]
    assert Activity.objects.filter(user=user).count() == 1


def test_an_outage_longer_than_the_retries_is_caught_up_by_the_hourly_backfill(strava, tasks, monkeypatch):
    user, athlete, integration = connect(strava)
    RetrySpy(monkeypatch)
    last_good = NOW - timedelta(days=3, hours=5)
    Integration.objects.filter(pk=integration.pk).update(last_sync_at=last_good)
    missed = strava.add_activity(athlete["id"], start=NOW - timedelta(days=2), streams=two_pace_run())
    strava.add_activity(athlete["id"], start=NOW - timedelta(days=6), streams=two_pace_run())
    strava.fail_next(20, 503)  # every retry of the event for the new run meets the outage
    with transaction.atomic():
        strava_sync.strava_event_accept(
            {"object_type": "activity", "aspect_type": "create", "object_id": missed["id"], "owner_id": athlete["id"]}
        )
    tasks.settle()
    assert Integration.objects.get(pk=integration.pk).status == "error"
    assert not Activity.objects.filter(user=user).exists()  # the run is missing, for now

    strava.forced.clear()  # Strava is back
    revoked_user, _, revoked = connect(strava)
    Integration.objects.filter(pk=revoked.pk).update(status="error", error="Strava access was revoked; connect again.")
    with transaction.atomic():
        assert strava_sync.strava_catch_up_queue(now=NOW) == 1  # not the revoked grant: it needs the athlete
    tasks.settle()

    stored = Integration.objects.get(pk=integration.pk)
    assert (stored.status, stored.error) == ("connected", "")
    # From the day before the last good sync (3 days 5 h ago → 3 + 2 = 5 days back): the missed
    # run, not the one 6 days ago, which the last good sync would have brought.
    assert list(Activity.objects.filter(user=user).values_list("external_id", flat=True)) == [f"strava:{missed['id']}"]
    after = datetime.fromtimestamp(int(strava.requests_to("/api/v3/athlete/activities")[-1].query["after"]), UTC)
    assert NOW - timedelta(days=5) <= after <= datetime.now(UTC) - timedelta(days=5)
    assert Integration.objects.get(pk=revoked.pk).status == "error"


def test_a_revoked_grant_is_an_error_with_a_message_and_keeps_what_was_stored(strava):
    user, athlete, integration = connect(strava)
    strava.add_activity(athlete["id"], start=NOW - timedelta(days=1), streams=two_pace_run())
    strava_backfill(user_id=user.pk)
    strava._revoke(athlete["id"])  # the athlete revoked Astral on strava.com; no event (yet)

    counts = strava_backfill(user_id=user.pk)

    assert counts["imported"] == 0
    stored = Integration.objects.get(pk=integration.pk)
    assert (stored.status, stored.error) == ("error", "Strava access was revoked; connect again.")
    assert stored.connected  # the deauthorization event or a disconnect deletes Strava's data
    assert Activity.objects.filter(user=user).count() == 1
    refused = strava.requests_to("/oauth/token")
    assert [r.form["grant_type"] for r in refused] == ["refresh_token"]  # one forced refresh, refused


def test_without_a_connection_a_backfill_does_nothing(strava):
    user = UserFactory()
    assert strava_backfill(user_id=user.pk) == dict.fromkeys(strava_sync.OUTCOMES, 0)
    assert not strava.requests
