"""The one "the athlete's zone, else UTC" and the one IANA validator (astral.local_time)."""

from datetime import UTC, date, datetime

import pytest

from astral.exceptions import InvalidInput
from astral.local_time import UTC_ZONE, user_today, user_zone, zone_from_name, zone_or_utc
from tests.factories import UserFactory


class Profile:  # the two attributes the helpers read; a saved user is checked below too
    def __init__(self, timezone):
        self.timezone = timezone


def test_user_zone_and_today_follow_the_profile():
    tokyo = Profile("Asia/Tokyo")
    assert user_zone(tokyo).key == "Asia/Tokyo"
    # 14:59:59 UTC is 23:59:59 in Tokyo (UTC+9, no DST); a second later it is tomorrow there.
    assert user_today(tokyo, datetime(2026, 11, 20, 14, 59, 59, tzinfo=UTC)) == date(2026, 11, 20)
    assert user_today(tokyo, datetime(2026, 11, 20, 15, 0, 0, tzinfo=UTC)) == date(2026, 11, 21)
    # New York in November is UTC−5: 04:59 UTC is still the previous day there.
    assert user_today(Profile("America/New_York"), datetime(2026, 11, 20, 4, 59, tzinfo=UTC)) == date(2026, 11, 19)


@pytest.mark.parametrize("stored", ["", None, "Mars/Olympus_Mons", "../etc/passwd", "Europe/Paris\x00", "/usr/share"])
def test_an_empty_or_unknown_stored_zone_reads_as_utc(stored):
    assert zone_or_utc(stored) is UTC_ZONE
    assert user_zone(Profile(stored)) is UTC_ZONE
    assert user_today(Profile(stored), datetime(2026, 11, 20, 23, 30, tzinfo=UTC)) == date(2026, 11, 20)


@pytest.mark.django_db
def test_a_saved_user_without_a_zone_is_utc():
    assert user_zone(UserFactory(timezone="")) is UTC_ZONE
    assert user_zone(UserFactory(timezone="Europe/Ljubljana")).key == "Europe/Ljubljana"


@pytest.mark.parametrize(
    "name", ["Mars/Olympus_Mons", "../etc/passwd", "Europe/Paris\x00", "/etc/localtime", "a" * 300]
)
def test_the_validator_refuses_what_is_not_a_zone(name):
    with pytest.raises(InvalidInput) as refused:
        zone_from_name(name, field="tz")
    assert (refused.value.code, refused.value.field) == ("INVALID_TIMEZONE", "tz")
    assert refused.value.message == f"'{name}' is not an IANA time zone."


def test_the_validator_returns_the_zone():
    assert zone_from_name("Australia/Lord_Howe").key == "Australia/Lord_Howe"


@pytest.mark.django_db
def test_a_zone_name_too_long_for_a_path_is_a_400_not_a_500(athlete_client):
    # ZoneInfo raises OSError (ENAMETOOLONG) for it where tzdata is read from files.
    response = athlete_client.get("/api/v1/analytics/fitness_stats", {"timezone": "a" * 300})
    assert response.status_code == 400
    assert response.json()["details"] == {"code": "INVALID_TIMEZONE", "field": "timezone"}
