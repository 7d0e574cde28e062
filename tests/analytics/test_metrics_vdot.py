"""VDOT, equivalent times and training paces (pure; no database).

Reference values: J. Daniels, Daniels' Running Formula (3rd ed.), Table 5.1 (VDOT race times).
"""

import math

import pytest

from analytics.metrics.vdot import (
    equivalent_times,
    format_pace,
    fraction_of_max,
    oxygen_cost,
    race_time_for_vdot,
    speed_at_vo2,
    training_paces,
    vdot_from_race,
)


def test_formula_by_hand_for_5k_in_20_minutes():
    v = 5000 / 20  # 250 m/min
    vo2 = -4.60 + 0.182258 * v + 0.000104 * v**2  # 47.4645
    pct = 0.8 + 0.1894393 * math.exp(-0.012778 * 20) + 0.2989558 * math.exp(-0.1932605 * 20)
    assert oxygen_cost(v) == pytest.approx(47.4645, abs=1e-4)
    assert fraction_of_max(20) == pytest.approx(pct)
    assert vdot_from_race(5000, 1200) == pytest.approx(vo2 / pct)
    assert vdot_from_race(5000, 1200) == pytest.approx(49.81, abs=0.01)


# (VDOT, 5K, 10K, half marathon, marathon) from Daniels' Table 5.1, in h:mm:ss.
DANIELS_TABLE = [
    (40, "0:24:08", "0:50:03", "1:50:59", "3:49:45"),
    (50, "0:19:57", "0:41:21", "1:31:35", "3:10:49"),
    (60, "0:17:03", "0:35:22", "1:18:09", "2:43:25"),
]


def seconds(hms: str) -> int:
    h, m, s = (int(part) for part in hms.split(":"))
    return h * 3600 + m * 60 + s


@pytest.mark.parametrize(("vdot", "five", "ten", "half", "full"), DANIELS_TABLE)
def test_equivalent_times_match_daniels_table(vdot, five, ten, half, full):
    times = equivalent_times(vdot)
    for name, published in (("5k", five), ("10k", ten), ("half_marathon", half), ("marathon", full)):
        assert times[name] == pytest.approx(seconds(published), rel=0.003), name


@pytest.mark.parametrize(("vdot", "five", "ten", "half", "full"), DANIELS_TABLE)
def test_vdot_from_a_table_race(vdot, five, ten, half, full):
    assert vdot_from_race(10000, seconds(ten)) == pytest.approx(vdot, abs=0.15)
    assert vdot_from_race(42195, seconds(full)) == pytest.approx(vdot, abs=0.15)


def test_race_time_inverts_vdot():
    for distance in (1500, 5000, 21097.5, 42195):
        vdot = vdot_from_race(distance, race_time_for_vdot(53.2, distance))
        assert vdot == pytest.approx(53.2, abs=1e-6)


def test_speed_at_vo2_solves_the_quadratic():
    assert oxygen_cost(speed_at_vo2(40.0)) == pytest.approx(40.0)


def test_training_paces_at_vdot_50():
    paces = {zone: (format_pace(fast), format_pace(slow)) for zone, (fast, slow) in training_paces(50).items()}
    # Daniels' VDOT 50 paces: E ≈ 5:07–5:42/km, M 4:31, T 4:15, I 3:55, R ≈ 3:40 (per 400 m 88 s).
    assert paces["M"][0] <= "4:31" <= paces["M"][1]
    assert paces["T"][0] <= "4:15" <= paces["T"][1]
    assert paces["I"][0] <= "3:55" <= paces["I"][1]
    assert paces["R"][0] <= "3:40" <= paces["R"][1]
    for fast, slow in paces.values():
        assert fast < slow


def test_format_pace():
    assert format_pace(300) == "5:00"
    assert format_pace(299.5) == "5:00"
    assert format_pace(299.4) == "4:59"
    assert format_pace(59.6) == "1:00"
    assert format_pace(None) is None


def test_invalid_race():
    with pytest.raises(ValueError, match="positive"):
        vdot_from_race(0, 100)
