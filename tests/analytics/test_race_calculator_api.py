"""GET analytics/race_calculator."""

import pytest

URL = "/api/v1/analytics/race_calculator"

pytestmark = pytest.mark.django_db


def test_5k_in_20_minutes(athlete_client):
    response = athlete_client.get(URL, {"distance": 5000, "time": 1200})

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["vdot"] == 49.8
    # Daniels' table, VDOT 50 ≈ 10K 41:21, marathon 3:10:49 (ours is VDOT 49.8, a little slower).
    assert data["equivalents"]["5k"] == 1200
    assert 41 * 60 + 21 <= data["equivalents"]["10k"] <= 41 * 60 + 40
    assert 3 * 3600 + 10 * 60 + 49 <= data["equivalents"]["marathon"] <= 3 * 3600 + 12 * 60
    assert set(data["equivalents"]) == {"1500m", "mile", "5k", "10k", "half_marathon", "marathon"}
    assert data["training_paces"]["T"] == {"fast": "4:16", "slow": "4:28"}
    assert set(data["training_paces"]) == {"E", "M", "T", "I", "R"}


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"time": 1200}, "distance", "REQUIRED"),
        ({"distance": 5000}, "time", "REQUIRED"),
        ({"distance": "five", "time": 1200}, "distance", "INVALID"),
        ({"distance": 100, "time": 20}, "distance", "OUT_OF_RANGE"),
        ({"distance": 5000, "time": -1}, "time", "OUT_OF_RANGE"),
        ({"distance": 5000, "time": 300}, "time", "OUT_OF_RANGE"),  # a 5:00 5K is not humanly possible
    ],
)
def test_bad_input(athlete_client, params, field, code):
    response = athlete_client.get(URL, params)
    assert response.status_code == 400
    assert response.json()["details"] == {"code": code, "field": field}


def test_anonymous(api):
    assert api.get(URL, {"distance": 5000, "time": 1200}).status_code == 401
