"""Strava over the API, against the local Strava double over real HTTP: connect → Strava's consent
page → callback → backfill; the webhook's subscription check and events (through a live server,
as Strava would call it); disconnecting; and the status every reader sees."""

from datetime import UTC, datetime, timedelta
from io import StringIO
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from accounts.models import Integration, OAuthState, User
from analytics.models import Activity
from organizations.services import api_key_create
from tests.access import key_client
from tests.analytics.strava_sync_support import connect, two_pace_run
from tests.conftest import bearer_client
from tests.factories import (
    TEST_PASSWORD,
    ActivityFactory,
    CoachFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

CONNECT = "/api/v1/integrations/strava/connect"
CALLBACK = "/api/v1/integrations/strava/callback"
WEBHOOK = "/api/v1/integrations/strava/webhook"
MINE = "/api/v1/users/me/integrations/strava"
NOW = datetime.now(UTC).replace(microsecond=0)
BROWSER = {"HTTP_ACCEPT": "text/html,application/xhtml+xml"}


def error_of(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["details"]["code"] == code and body["error"]
    return body


def callback_path(location: str) -> str:
    """The double redirects the browser to PUBLIC_URL's callback: the same path and query here."""
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"https://astral.example.com{CALLBACK}"
    return f"{parts.path}?{parts.query}"


# --- connect ---------------------------------------------------------------------------------------


def test_connect_redirects_the_athlete_to_strava_s_consent_page(strava):
    athlete = UserFactory()
    response = bearer_client(athlete).get(CONNECT)

    assert response.status_code == 302
    url = urlsplit(response["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{strava.oauth_base}/authorize"
    query = {name: values[0] for name, values in parse_qs(url.query).items()}
    assert (query["client_id"], query["scope"], query["response_type"]) == (
        strava.client_id,
        "activity:read_all",
        "code",
    )
    assert OAuthState.objects.get(public_id=query["state"].split(".")[0]).user == athlete


def test_connect_without_a_strava_app_says_so(settings):
    settings.STRAVA_CLIENT_ID = settings.STRAVA_CLIENT_SECRET = ""
    body = error_of(bearer_client(UserFactory()).get(CONNECT), 404, "STRAVA_NOT_CONFIGURED")
    assert "STRAVA_CLIENT_ID" in body["error"]
    assert not OAuthState.objects.exists()


def test_connect_is_for_an_athlete_s_own_account(strava):
    org = OrganizationFactory()
    coach = CoachFactory()
    MembershipFactory(user=coach, organization=org, role="admin")
    key, _ = api_key_create(organization=org, name="sync", created_by=None)

    error_of(APIClient().get(CONNECT), 401, "NOT_AUTHENTICATED")
    error_of(bearer_client(coach).get(CONNECT), 403, "INVALID_ROLE")
    assert key_client(key).get(CONNECT).status_code == 403
    assert not OAuthState.objects.exists()


# --- callback ------------------------------------------------------------------------------------


def test_the_whole_connection_imports_the_last_90_days_and_every_reader_sees_the_status(strava, tasks):
    athlete = UserFactory(timezone="Europe/Ljubljana")
    org = OrganizationFactory()
    MembershipFactory(user=athlete, organization=org)
    coach = CoachFactory()
    MembershipFactory(user=coach, organization=org, role="coach")
    on_strava = strava.add_athlete()
    recent = strava.add_activity(on_strava["id"], start=NOW - timedelta(days=2), streams=two_pace_run())
    strava.add_activity(on_strava["id"], start=NOW - timedelta(days=120), streams=two_pace_run())  # too old

    consent = bearer_client(athlete).get(CONNECT)["Location"]
    back = APIClient().get(callback_path(strava.approve_url(consent)), **BROWSER)  # the browser, no token
    tasks.settle()

    assert back.status_code == 302 and back["Location"] == f"/athletes/{athlete.public_id}/"
    assert list(Activity.objects.filter(user=athlete).values_list("external_id", "distance")) == [
        (f"strava:{recent['id']}", 3750.0)  # 600 s × 2.5 m/s + 600 s × 3.75 m/s
    ]
    stored = Integration.objects.get(user=athlete, provider="strava")
    expected = {
        "provider": "strava",
        "connected": True,
        "status": "connected",
        "connected_at": stored.connected_at.isoformat(),
        "last_sync_at": stored.last_sync_at.isoformat(),
        "error": None,
    }
    assert stored.last_sync_at >= NOW
    profile = bearer_client(coach).get("/api/v1/analytics/athlete_profile", {"user_id": athlete.public_id})
    assert profile.json()["data"]["integrations"]["strava"] == expected
    assert bearer_client(athlete).get("/api/v1/auth/me").json()["integrations"]["strava"] == expected
    roster = bearer_client(coach).get("/api/v1/analytics/coach_athletes_metrics", {"org_id": org.public_id})
    assert roster.json()["data"]["athletes"][0]["integrations"]["strava"] == expected


def test_a_failed_callback_is_an_error_body_for_api_clients_and_a_message_for_browsers(strava):
    athlete = UserFactory()
    unknown = {"state": "oas_nosuchstate.secret", "code": "c", "scope": "read,activity:read_all"}
    error_of(APIClient().get(CALLBACK, unknown), 400, "INVALID_STATE")
    browser = APIClient().get(f"{CALLBACK}?{urlencode(unknown)}", follow=True, **BROWSER)
    assert browser.redirect_chain[0] == ("/", 302)  # home, which sends a visitor to the login page
    assert "This Strava authorization is unknown or was already used." in browser.content.decode()

    cancelled = strava.approve_url(bearer_client(athlete).get(CONNECT)["Location"], approve=False)
    error_of(APIClient().get(callback_path(cancelled)), 403, "STRAVA_DENIED")
    assert not Integration.objects.filter(user=athlete, connected=True).exists()


@pytest.mark.parametrize(
    "query",
    [
        {"state": "oas_\x00.x"},
        {"state": "x" * 5000, "code": "c"},
        {"state": "", "code": "\x1b"},
        {"code": "c" * 100_000},
    ],
)
def test_hostile_callbacks_are_400_and_change_nothing(strava, query):
    athlete = UserFactory()
    bearer_client(athlete).get(CONNECT)
    response = APIClient().get(CALLBACK, query)
    assert response.status_code == 400 and response.json()["details"]["code"]
    assert OAuthState.objects.count() == 1 and not Integration.objects.exists()


# --- webhook -------------------------------------------------------------------------------------


def test_the_subscription_check_echoes_the_challenge_only_for_our_verify_token(settings):
    settings.STRAVA_WEBHOOK_VERIFY_TOKEN = "our-verify-token"
    ask = {"hub.mode": "subscribe", "hub.challenge": "15f7d1a91c1f40f8a748fd134752feb3"}
    answer = APIClient().get(WEBHOOK, {**ask, "hub.verify_token": "our-verify-token"})
    assert answer.status_code == 200 and answer.json() == {"hub.challenge": "15f7d1a91c1f40f8a748fd134752feb3"}
    error_of(APIClient().get(WEBHOOK, {**ask, "hub.verify_token": "guess"}), 403, "INVALID_VERIFY_TOKEN")
    error_of(APIClient().get(WEBHOOK, ask), 403, "INVALID_VERIFY_TOKEN")
    settings.STRAVA_WEBHOOK_VERIFY_TOKEN = ""  # not configured: nothing matches, not even ""
    error_of(APIClient().get(WEBHOOK, {**ask, "hub.verify_token": ""}), 403, "INVALID_VERIFY_TOKEN")


def test_strava_subscribes_pushes_a_run_then_a_deauthorization_over_real_http(strava, tasks, live_server, settings):
    settings.STRAVA_WEBHOOK_VERIFY_TOKEN = "our-verify-token"
    settings.PUBLIC_URL = live_server.url
    callback = f"{live_server.url}{WEBHOOK}"
    out = StringIO()
    call_command("strava_webhook", "subscribe", stdout=out)  # the double checks our callback with a GET first
    (subscription,) = strava.subscriptions.values()
    assert subscription["callback_url"] == callback
    assert f"Subscribed: subscription {subscription['id']}, events go to {callback}" in out.getvalue()
    user, athlete, _ = connect(strava)
    uploaded = ActivityFactory(user=user, source="file", start_time=NOW - timedelta(days=20))
    run = strava.add_activity(athlete["id"], start=NOW - timedelta(hours=3), streams=two_pace_run())

    created = strava.push(callback, "activity", run["id"], "create")
    tasks.settle()
    assert created.status == 200 and created.json() == {"status": "ok", "data": {"received": True}}
    assert Activity.objects.get(user=user, external_id=f"strava:{run['id']}").distance == 3750.0

    revoked = strava.deauthorize_athlete(athlete["id"], callback)
    tasks.settle()
    assert revoked.status == 200
    integration = Integration.objects.get(user=user, provider="strava")
    assert (integration.connected, integration.status, integration.access_token) == (False, "disconnected", "")
    # Strava's data goes (API Agreement); what the athlete uploaded stays.
    assert list(Activity.objects.filter(user=user).values_list("pk", flat=True)) == [uploaded.pk]


@pytest.mark.parametrize(
    "body",
    [
        {"object_type": "activity", "aspect_type": "create", "object_id": "\x00", "owner_id": 1},
        {"object_type": "activity", "aspect_type": "create", "object_id": 2**70, "owner_id": 1},
        {"object_type": "activity", "aspect_type": "explode", "object_id": 1, "owner_id": 1},
        {"object_type": "club", "aspect_type": "create", "object_id": 1, "owner_id": 1},
        {"object_type": "athlete", "aspect_type": "update", "object_id": 1, "owner_id": 1, "updates": []},
        {"object_type": "activity", "aspect_type": "create", "object_id": True, "owner_id": 1},
        ["not", "an", "event"],
    ],
)
def test_hostile_events_are_400_and_queue_nothing(strava, tasks, body):
    user, athlete, _ = connect(strava)
    strava.add_activity(athlete["id"], start=NOW - timedelta(hours=1), streams=two_pace_run())
    response = APIClient().post(WEBHOOK, body, format="json")
    tasks.settle()
    assert response.status_code == 400 and response.json()["details"]["code"]
    assert not Activity.objects.exists() and strava.requests_to("/api/v3/activities") == []


def test_an_event_for_an_athlete_nobody_connected_is_accepted_and_ignored(strava, tasks):
    stranger = strava.add_athlete()
    run = strava.add_activity(stranger["id"], start=NOW - timedelta(hours=1), streams=two_pace_run())
    body = {"object_type": "activity", "aspect_type": "create", "object_id": run["id"], "owner_id": stranger["id"]}
    response = APIClient().post(WEBHOOK, body, format="json")
    tasks.settle()
    assert response.status_code == 200 and not Activity.objects.exists()


# --- disconnect ----------------------------------------------------------------------------------


def test_delete_disconnects_strava_for_real(strava):
    user, athlete, _ = connect(strava)
    from_strava = ActivityFactory(user=user, source="strava", external_id="strava:42")
    by_hand = ActivityFactory(user=user, source="manual", start_time=NOW - timedelta(days=4))

    response = bearer_client(user).delete(MINE)

    assert response.status_code == 200
    assert response.json()["data"] | {"connected_at": None} == {
        "provider": "strava",
        "connected": False,
        "status": "disconnected",
        "connected_at": None,
        "last_sync_at": None,
        "error": None,
    }
    assert len(strava.requests_to("/oauth/deauthorize")) == 1  # the grant is revoked at Strava too
    stored = Integration.objects.get(user=user, provider="strava")
    assert (stored.access_token, stored.refresh_token, stored.external_id) == ("", "", "")
    assert not Activity.objects.filter(pk=from_strava.pk).exists()
    assert Activity.objects.filter(pk=by_hand.pk).exists()


def test_delete_touches_only_the_caller(strava):
    user, _, _ = connect(strava)
    other = UserFactory()
    assert bearer_client(other).delete(MINE).status_code == 200
    assert Integration.objects.get(user=user, provider="strava").connected
    assert strava.requests_to("/oauth/deauthorize") == []


# --- the subscription, by command ----------------------------------------------------------------


def test_the_subscription_command_lists_and_deletes(strava, live_server, settings):
    settings.STRAVA_WEBHOOK_VERIFY_TOKEN, settings.PUBLIC_URL = "our-verify-token", live_server.url
    call_command("strava_webhook", "subscribe", stdout=StringIO())
    (subscription,) = strava.subscriptions.values()
    listed = StringIO()
    call_command("strava_webhook", "list", stdout=listed)
    assert listed.getvalue().startswith(f"{subscription['id']}  {live_server.url}{WEBHOOK}  since ")
    with pytest.raises(CommandError, match="Strava refused"):  # one subscription per application
        call_command("strava_webhook", "subscribe", stdout=StringIO())
    call_command("strava_webhook", "delete", stdout=StringIO())
    assert strava.subscriptions == {}
    empty = StringIO()
    call_command("strava_webhook", "list", stdout=empty)
    assert empty.getvalue() == "No subscription: Strava sends this application no events.\n"


def test_the_subscription_command_needs_the_settings_and_our_callback_to_answer(strava, live_server, settings):
    settings.PUBLIC_URL = live_server.url
    settings.STRAVA_WEBHOOK_VERIFY_TOKEN = ""
    with pytest.raises(CommandError, match="STRAVA_WEBHOOK_VERIFY_TOKEN"):
        call_command("strava_webhook", "subscribe")
    settings.STRAVA_WEBHOOK_VERIFY_TOKEN = "ours"
    settings.PUBLIC_URL = f"{live_server.url}/nowhere"  # Strava's check GET finds no echo: refused
    with pytest.raises(CommandError, match="Strava refused"):
        call_command("strava_webhook", "subscribe")
    settings.STRAVA_CLIENT_ID = ""
    with pytest.raises(CommandError, match="STRAVA_CLIENT_ID"):
        call_command("strava_webhook", "list")
    assert strava.subscriptions == {}


# --- account deletion ----------------------------------------------------------------------------


def test_deleting_the_account_revokes_the_strava_grant_once_committed(strava):
    user, _, _ = connect(strava)
    response = bearer_client(user).delete("/api/v1/users/me", {"password": TEST_PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    revoked = strava.requests_to("/oauth/deauthorize")
    assert len(revoked) == 1 and revoked[0].form["access_token"]
    assert not Integration.objects.exists() and not Activity.objects.exists()
    # The grant is gone at Strava: the token no longer reads the athlete.
    bearer = {"Authorization": f"Bearer {revoked[0].form['access_token']}"}
    assert requests.get(f"{strava.api_base}/athlete", headers=bearer, timeout=5).status_code == 401


def test_an_unreachable_strava_never_blocks_deleting_the_account(strava):
    user, _, _ = connect(strava)
    strava.fail_next(5, status=503)
    response = bearer_client(user).delete("/api/v1/users/me", {"password": TEST_PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    assert not User.objects.filter(pk=user.pk).exists()


def test_an_event_as_a_form_is_415_not_a_guess(strava, tasks):
    user, athlete, _ = connect(strava)
    run = strava.add_activity(athlete["id"], start=NOW - timedelta(hours=1), streams=two_pace_run())
    body = {"object_type": "activity", "aspect_type": "create", "object_id": run["id"], "owner_id": athlete["id"]}
    response = APIClient().post(WEBHOOK, body)  # multipart: every value a string
    tasks.settle()
    error_of(response, 415, "UNSUPPORTED_MEDIA_TYPE")
    assert not Activity.objects.exists()
