"""Fixtures of the analytics tests."""

import pytest

from tests.strava_double import StravaDouble


@pytest.fixture
def strava(settings):
    """The local Strava double over real HTTP, with this installation pointed at it."""
    with StravaDouble() as double:
        settings.STRAVA_CLIENT_ID, settings.STRAVA_CLIENT_SECRET = double.client_id, double.client_secret
        settings.STRAVA_OAUTH_BASE, settings.STRAVA_API_BASE = double.oauth_base, double.api_base
        settings.PUBLIC_URL = "https://astral.example.com"
        yield double
