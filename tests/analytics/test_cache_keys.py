"""Cache keys: the installation's namespace and public ids, never integer pks (issue 9)."""

import re

import pytest

from analytics.cache import athlete_key, organization_key, refresh_pending_key
from astral.installation import installation_id
from organizations.services import api_key_create
from tests.access import key_client
from tests.conftest import bearer_client
from tests.factories import ActivityFactory, CoachFactory, MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

ATHLETE_PK, COACH_PK, ORG_PK = 987_654, 876_543, 765_432  # distinctive, so a leak would show


def _segments(key: str) -> list[str]:
    return key.split(":")


def test_athlete_key_is_namespaced_and_names_the_athlete_by_public_id():
    athlete = UserFactory(pk=ATHLETE_PK, data_version=8)
    key = athlete_key("athlete_profile", athlete, {"day": "2026-03-02"})
    assert re.fullmatch(rf"{installation_id()}:a1:athlete_profile:{athlete.public_id}:g8:[0-9a-f]{{24}}", key), key
    assert str(ATHLETE_PK) not in _segments(key)


def test_organization_key_names_organization_and_viewer_by_public_id():
    organization = OrganizationFactory(pk=ORG_PK, data_version=11)
    coach = CoachFactory(pk=COACH_PK)
    key = organization_key("coach_athletes_metrics", organization, coach, {"page": 1})
    prefix = f"{installation_id()}:o1:coach_athletes_metrics:{organization.public_id}:g11:{coach.public_id}:"
    assert key.startswith(prefix), key
    assert re.fullmatch(r"[0-9a-f]{24}", key.removeprefix(prefix))
    assert not {str(ORG_PK), str(COACH_PK), f"user{COACH_PK}"} & set(_segments(key))


def test_an_api_key_viewer_is_named_by_the_keys_public_id():
    organization = OrganizationFactory()
    _, record = api_key_create(organization=organization, name="sync", created_by=None)

    class Principal:  # what organizations.api.authentication puts on request.user for an X-API-Key
        is_api_key = True
        api_key = record

    key = organization_key("coach_athletes_metrics", organization, Principal(), {})
    assert _segments(key)[5] == record.public_id
    assert record.public_id.startswith("key_")


def test_refresh_pending_key_is_per_installation():
    assert refresh_pending_key(42) == f"{installation_id()}:metrics-refresh-pending:42"


def _athlete_with_coach():
    athlete, coach, organization = UserFactory(timezone="UTC"), CoachFactory(), OrganizationFactory()
    MembershipFactory(user=athlete, organization=organization)
    MembershipFactory(user=coach, organization=organization, role="coach")
    ActivityFactory(user=athlete, distance=7000, duration=2100)
    return athlete, bearer_client(coach)


def test_another_installation_id_misses_and_the_first_still_hits(installation_switch):
    """What two installations on one cache look like in one process: same rows, same
    generations, another installation id → a MISS; back on the first id → its answer again."""
    athlete, coach = _athlete_with_coach()
    path, params = "/api/v1/analytics/athlete_profile", {"user_id": athlete.public_id}
    first = coach.get(path, params)
    assert first["X-Cache"] == "MISS"
    assert coach.get(path, params)["X-Cache"] == "HIT"
    original = installation_switch.installation_id()

    installation_switch.installation_id_rotate()
    switched = coach.get(path, params)
    assert switched["X-Cache"] == "MISS"
    assert switched.json()["data"]["recent_activities"][0]["distance"] == 7000

    installation_switch._memo = original
    back = coach.get(path, params)
    assert back["X-Cache"] == "HIT"
    assert back.json() == first.json()


def test_the_roster_cache_is_per_installation_too(installation_switch):
    athlete, coach = _athlete_with_coach()
    path = "/api/v1/analytics/coach_athletes_metrics"
    assert coach.get(path)["X-Cache"] == "MISS"
    assert coach.get(path)["X-Cache"] == "HIT"
    installation_switch.installation_id_rotate()
    answer = coach.get(path)
    assert answer["X-Cache"] == "MISS"
    assert [row["user_id"] for row in answer.json()["data"]["athletes"]] == [athlete.public_id]


def test_roster_filters_key_by_public_id_and_still_separate_answers():
    athlete, coach = _athlete_with_coach()
    organization = athlete.memberships.get().organization
    own_key, _ = api_key_create(organization=organization, name="sync", created_by=None)
    path = "/api/v1/analytics/coach_athletes_metrics"
    assert coach.get(path, {"filter_by_coach": "1"})["X-Cache"] == "MISS"
    assert coach.get(path)["X-Cache"] == "MISS"  # other parameters: another key
    assert coach.get(path, {"filter_by_coach": "1"})["X-Cache"] == "HIT"
    by_key = key_client(own_key).get(path)
    assert by_key["X-Cache"] == "MISS"  # another viewer: another key
    assert by_key.json()["data"]["total_count"] == 1
