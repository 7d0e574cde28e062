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
    # VDOT 49.81: E 73–63 %, M the 3:11:17 equivalent marathon (11,477 s ÷ 42.195 = 272.0 s/km),
    # T 88 %, I 97.5 %, R = I − 15.2 s/km (the 6-second rule widening below VDOT 50).
    assert data["training_paces"] == {
        "E": {"fast": "4:58", "slow": "5:35"},
        "M": "4:32",
        "T": "4:16",
        "I": "3:56",
        "R": "3:40",
    }


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
