"""Connecting Strava, against the local Strava double over real HTTP: a single-use state bound to
the athlete, the code exchanged for tokens stored sealed, and every way it can go wrong."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from accounts.models import Integration, OAuthState
from analytics.strava import client
from analytics.strava.oauth import strava_authorize_url, strava_callback
from astral.exceptions import Conflict, InvalidInput, NotAllowed, NotFound, Unavailable
from astral.secret_box import unseal
from tests.factories import CoachFactory, UserFactory

pytestmark = pytest.mark.django_db  # the `strava` fixture (the double) is in conftest.py


def approved(strava, user, **approval) -> dict:
    """The query of the redirect Strava's consent page sends the browser back with."""
    location = strava.approve_url(strava_authorize_url(user), **approval)
    return {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}


def test_the_authorize_url_is_strava_s_with_a_single_use_state(strava):
    athlete = UserFactory()
    url = urlsplit(strava_authorize_url(athlete))
    query = {name: values[0] for name, values in parse_qs(url.query).items()}
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{strava.oauth_base}/authorize"
    assert query["client_id"] == strava.client_id
    assert (query["response_type"], query["scope"]) == ("code", "activity:read_all")
    assert query["redirect_uri"] == "https://astral.example.com/api/v1/integrations/strava/callback"
    state_id, secret = query["state"].split(".")
    stored = OAuthState.objects.get(public_id=state_id)
    assert stored.user == athlete and secret not in stored.secret_hash  # only the hash is kept


def test_the_callback_stores_sealed_tokens_and_the_strava_athlete(strava):
    athlete = UserFactory()
    strava_athlete = strava.add_athlete(firstname="Ana")
    answer = approved(strava, athlete)

    integration = strava_callback(state=answer["state"], code=answer["code"], scope=answer["scope"])

    assert (integration.user, integration.provider, integration.connected) == (athlete, "strava", True)
    assert integration.status == "syncing"  # the backfill is queued (tests/analytics/test_strava_sync.py)
    assert integration.external_id == str(strava_athlete["id"])
    stored = Integration.objects.get(pk=integration.pk)
    token = strava.requests_to("/oauth/token")[-1]
    assert token.form["grant_type"] == "authorization_code" and token.form["client_secret"] == strava.client_secret
    access = unseal(stored.access_token)
    assert access and access not in stored.access_token  # sealed at rest
    assert strava.access[access]["athlete_id"] == strava_athlete["id"]  # the token Strava issued
    assert unseal(stored.refresh_token)
    assert stored.token_expires_at > datetime.now(UTC)
    assert not OAuthState.objects.exists()  # used up


def test_a_state_works_once_expires_and_must_match(strava):
    athlete = UserFactory()
    strava.add_athlete()
    first = approved(strava, athlete)
    strava_callback(state=first["state"], code=first["code"], scope=first["scope"])
    with pytest.raises(InvalidInput) as replayed:
        strava_callback(state=first["state"], code=first["code"], scope=first["scope"])
    assert replayed.value.code == "INVALID_STATE"

    late = approved(strava, athlete)
    OAuthState.objects.update(created_at=datetime.now(UTC) - timedelta(minutes=11))
    with pytest.raises(InvalidInput) as expired:
        strava_callback(state=late["state"], code=late["code"], scope=late["scope"])
    assert expired.value.code == "STATE_EXPIRED"

    forged = approved(strava, athlete)
    state_id = forged["state"].split(".")[0]
    for state in (f"{state_id}.not-the-secret", "oas_0123456789abcdef.x", "", "\x00", "x" * 5000):
        with pytest.raises(InvalidInput):
            strava_callback(state=state, code=forged["code"], scope=forged["scope"])
    assert not OAuthState.objects.exists()  # a wrong secret used the state up too


def test_denied_narrow_or_taken_connections_are_refused(strava):
    athlete, other = UserFactory(), UserFactory()
    shared = strava.add_athlete()
    denied = approved(strava, athlete, approve=False)
    with pytest.raises(NotAllowed) as refusal:
        strava_callback(state=denied["state"], error=denied.get("error", "access_denied"))
    assert refusal.value.code == "STRAVA_DENIED"

    narrow = approved(strava, athlete)
    with pytest.raises(NotAllowed) as scope:
        strava_callback(state=narrow["state"], code=narrow["code"], scope="read")
    assert scope.value.code == "STRAVA_SCOPE"

    mine = approved(strava, athlete)
    strava_callback(state=mine["state"], code=mine["code"], scope=mine["scope"])
    strava.signed_in = shared["id"]
    theirs = approved(strava, other)
    with pytest.raises(Conflict) as taken:
        strava_callback(state=theirs["state"], code=theirs["code"], scope=theirs["scope"])
    assert taken.value.code == "STRAVA_ACCOUNT_TAKEN"
    assert not Integration.objects.filter(user=other, connected=True).exists()


def test_without_a_strava_app_or_for_a_coach_there_is_no_connection(settings, strava):
    with pytest.raises(NotAllowed):
        strava_authorize_url(CoachFactory())
    settings.STRAVA_CLIENT_ID = ""
    with pytest.raises(NotFound) as unconfigured:
        strava_authorize_url(UserFactory())
    assert unconfigured.value.code == "STRAVA_NOT_CONFIGURED"


def test_strava_down_during_the_exchange_is_unavailable_not_an_error(strava, settings):
    athlete = UserFactory()
    strava.add_athlete()
    answer = approved(strava, athlete)
    settings.STRAVA_OAUTH_BASE = "http://127.0.0.1:9/oauth"  # nothing listens on the discard port
    with pytest.raises(Unavailable):
        strava_callback(state=answer["state"], code=answer["code"], scope=answer["scope"])


def test_a_429_says_how_long_to_wait_by_strava_s_windows(strava):
    token = strava.connect(strava.add_athlete()["id"])["access_token"]
    strava.rate_limit_next(1)
    with pytest.raises(client.StravaRateLimited) as limited:
        client.athlete_activities(token, after=0, page=1)
    assert 1 <= limited.value.retry_after <= 900
    # By hand: at 10:07:30 the 15-minute window ends at 10:15:00 → 450 s; a spent daily budget
    # waits for midnight UTC.
    at = datetime(2026, 12, 3, 10, 7, 30, tzinfo=UTC)
    assert client.seconds_until_window_ends("201,300", "200,2000", at) == 450
    assert client.seconds_until_window_ends("150,2000", "200,2000", at) == 13 * 3600 + 52 * 60 + 30
    assert client.seconds_until_window_ends(None, None, at) == 450


def test_an_expired_token_is_unauthorized_and_an_unreachable_strava_unavailable(strava, settings):
    token = strava.connect(strava.add_athlete()["id"])["access_token"]
    strava.expire_token(token)
    with pytest.raises(client.StravaUnauthorized):
        client.athlete_activities(token, after=0, page=1)
    settings.STRAVA_API_BASE = "http://127.0.0.1:9/api/v3"  # nothing listens on the discard port
    with pytest.raises(client.StravaUnavailable):
        client.athlete_activities(token, after=0, page=1)
