"""Connecting Strava in a real Chromium: the profile's Connect button → the Strava double's consent
page → Authorize → back on the profile with the sync under way, then the imported runs.

In the services pass the backfill runs on a real worker, held at the double until the page has
shown "syncing…"; in the embedded pass (no broker) it runs inline before the redirect lands."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from astral.celery import app
from tests.analytics.strava_sync_support import two_pace_run
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.services]


def test_connect_strava_then_see_the_runs(transactional_db, strava, tasks, live_server, desktop, settings):
    settings.PUBLIC_URL = live_server.url  # Strava sends the browser back to this server
    athlete = UserFactory(username="ana", display_name="Ana Novak", timezone="Europe/Ljubljana")
    on_strava = strava.add_athlete(firstname="Ana")
    strava.add_activity(on_strava["id"], start=datetime.now(UTC) - timedelta(days=3), streams=two_pace_run())
    inline = app.conf.task_always_eager
    gate = None if inline else strava.hold("/api/v3/athlete/activities")

    page = desktop.login("ana", TEST_PASSWORD)
    expect(page).to_have_url(re.compile(rf"/athletes/{athlete.public_id}/$"))
    expect(page.locator("#integration-strava")).to_contain_text("not connected")
    with page.expect_navigation():
        page.get_by_role("link", name="Connect Strava").click()
    expect(page).to_have_title(re.compile("Strava double"))  # the consent page, on the double
    desktop.shot("strava-consent")
    with page.expect_navigation(url=re.compile(rf"/athletes/{athlete.public_id}/$")):
        page.locator("#authorize").click()
    expect(page.locator(".messages")).to_contain_text("Strava is connected")

    if gate is not None:  # a worker has the backfill: the page says so until it is done
        expect(page.locator("#integration-strava")).to_have_attribute("data-status", "syncing")
        expect(page.locator("#integration-strava")).to_contain_text("syncing…")
        desktop.shot("strava-syncing")
        gate.set()
        tasks.settle()
        # The card polls while syncing (htmx, every 5 s) and turns to connected by itself.
        expect(page.locator("#integration-strava")).to_have_attribute("data-status", "connected", timeout=15_000)
    page.reload()
    expect(page.locator("#integration-strava")).to_contain_text("connected")
    expect(page.locator("#integration-strava")).to_contain_text("last sync")
    expect(page.locator("#recent")).to_contain_text("3.8 km")  # 600 s × 2.5 m/s + 600 s × 3.75 m/s = 3,750 m
    desktop.shot("strava-connected")
