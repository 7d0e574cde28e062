"""Strava on the pages: the profile's Connect button (or why there is none), connect and
disconnect from the athlete's own profile, and the sync status coaches see on the profile and in
the Athletes list."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client

from accounts.models import Integration
from analytics.models import Activity
from tests.analytics.strava_sync_support import connect
from tests.factories import ActivityFactory, CoachFactory, MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

CONNECT, DISCONNECT = "/integrations/strava/connect/", "/integrations/strava/disconnect/"


def profile_html(client, user) -> str:
    response = client.get(f"/athletes/{user.public_id}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_athlete_sees_connect_strava_and_it_leads_to_strava(client, strava):
    athlete = UserFactory()
    client.force_login(athlete)
    html = profile_html(client, athlete)
    assert 'id="strava-connect" href="/integrations/strava/connect/"' in html
    assert 'id="integration-strava" data-status="disconnected"' in html

    response = client.get(CONNECT)
    assert response.status_code == 302 and response["Location"].startswith(f"{strava.oauth_base}/authorize?")


def test_without_a_strava_app_the_profile_says_why_there_is_no_button(client, settings):
    settings.STRAVA_CLIENT_ID = settings.STRAVA_CLIENT_SECRET = ""
    athlete = UserFactory()
    client.force_login(athlete)
    html = profile_html(client, athlete)
    assert 'id="strava-connect"' not in html
    assert "this Astral server has no Strava app configured" in html
    followed = client.get(CONNECT, follow=True)  # typed by hand anyway: back to the profile, with the reason
    assert followed.redirect_chain == [(f"/athletes/{athlete.public_id}/", 302)]
    assert "no Strava application configured" in followed.content.decode()


def test_connect_and_disconnect_pages_need_a_login(client):
    for response in (client.get(CONNECT), client.post(DISCONNECT)):
        assert response.status_code == 302 and urlsplit(response["Location"]).path == "/accounts/login/"


def test_a_coach_sees_the_status_and_the_error_but_no_buttons(client, strava):
    athlete, _, integration = connect(strava)
    org = OrganizationFactory()
    MembershipFactory(user=athlete, organization=org)
    coach = CoachFactory()
    MembershipFactory(user=coach, organization=org, role="coach")
    Integration.objects.filter(pk=integration.pk).update(
        status="error", error="Strava access was revoked; connect again."
    )
    client.force_login(coach)

    html = profile_html(client, athlete)
    assert 'id="integration-strava" data-status="error"' in html
    assert "Strava access was revoked; connect again." in html
    assert "Disconnect" not in html and 'id="strava-connect"' not in html
    roster = client.get("/athletes/", {"org_id": org.public_id}).content.decode()
    assert 'title="Strava access was revoked; connect again.">Strava sync failed</span>' in roster


def test_an_outside_coach_sees_nothing_of_the_athlete(client, strava):
    athlete, _, _ = connect(strava)
    outsider = CoachFactory()
    MembershipFactory(user=outsider, organization=OrganizationFactory(), role="coach")
    client.force_login(outsider)
    response = client.get(f"/athletes/{athlete.public_id}/")
    assert response.status_code == 403 and 'id="integration-strava"' not in response.content.decode()


def test_disconnect_needs_the_csrf_token_then_deletes_strava_s_data(strava):
    athlete, _, _ = connect(strava)
    ActivityFactory(user=athlete, source="strava", external_id="strava:7", start_time=datetime.now(UTC))
    kept = ActivityFactory(user=athlete, source="file", start_time=datetime.now(UTC) - timedelta(days=3))
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(athlete)

    assert browser.post(DISCONNECT).status_code == 403  # no token: nothing happens
    assert Integration.objects.get(user=athlete, provider="strava").connected

    page = browser.get(f"/athletes/{athlete.public_id}/")
    token = page.cookies["csrftoken"].value
    response = browser.post(DISCONNECT, {"csrfmiddlewaretoken": token}, follow=True)
    assert response.redirect_chain == [(f"/athletes/{athlete.public_id}/", 302)]
    assert "Strava is disconnected" in response.content.decode()
    assert not Integration.objects.get(user=athlete, provider="strava").connected
    assert list(Activity.objects.filter(user=athlete).values_list("pk", flat=True)) == [kept.pk]
    assert len(strava.requests_to("/oauth/deauthorize")) == 1
