"""Banister TRIMP and pace zones (pure; no database)."""

import math

import pytest

from analytics.metrics.load import DEFAULT_HRR, activity_training_load, banister_trimp, heart_rate_reserve_fraction
from analytics.metrics.zones import (
    activity_zone_seconds,
    pace_zone_bounds,
    zone_of_pace,
    zone_seconds_from_average,
    zone_seconds_from_samples,
)


class TestTrimp:
    def test_men_by_hand(self):
        # 60 min at HRr 0.5: 60 × 0.5 × 0.64 × e^(0.96) = 19.2 × 2.611696 = 50.1446
        assert banister_trimp(3600, 0.5, "male") == pytest.approx(60 * 0.5 * 0.64 * math.exp(0.96))
        assert banister_trimp(3600, 0.5, "male") == pytest.approx(50.1446, abs=1e-3)

    def test_women_by_hand(self):
        # 60 min at HRr 0.5: 60 × 0.5 × 0.86 × e^(0.835) = 25.8 × 2.304814 = 59.4642
        assert banister_trimp(3600, 0.5, "female") == pytest.approx(59.4642, abs=1e-3)

    def test_unknown_sex_uses_male_constants(self):
        assert banister_trimp(1800, 0.7, None) == banister_trimp(1800, 0.7, "male")

    def test_hrr(self):
        assert heart_rate_reserve_fraction(150, 50, 190) == pytest.approx(100 / 140)
        assert heart_rate_reserve_fraction(40, 50, 190) == 0.0  # below resting: clamped
        assert heart_rate_reserve_fraction(200, 50, 190) == 1.0
        assert heart_rate_reserve_fraction(150, 190, 190) == DEFAULT_HRR  # broken profile

    def test_activity_load_prefers_hr_then_pace_then_default(self):
        common = {"duration_s": 3600, "distance_m": 12000, "resting_hr": 50, "max_hr": 190, "sex": "male"}
        with_hr = activity_training_load(avg_hr=120, vdot=50, **common)
        assert with_hr == round(banister_trimp(3600, 70 / 140, "male"), 1)
        by_pace = activity_training_load(avg_hr=None, vdot=50, **common)
        v = 200.0  # 12 km in 60 min
        assert by_pace == round(banister_trimp(3600, (-4.6 + 0.182258 * v + 0.000104 * v * v) / 50, "male"), 1)
        fallback = activity_training_load(avg_hr=None, vdot=None, **common)
        assert fallback == round(banister_trimp(3600, DEFAULT_HRR, "male"), 1)
        assert activity_training_load(avg_hr=150, vdot=None, **{**common, "duration_s": 0}) == 0.0

    def test_missing_hr_profile_uses_defaults(self):
        load = activity_training_load(
            duration_s=3600, distance_m=10000, avg_hr=155, resting_hr=None, max_hr=None, vdot=None, sex=None
        )
        assert load == round(banister_trimp(3600, (155 - 60) / (190 - 60), "male"), 1)


class TestZones:
    def test_bounds_from_own_zones_take_precedence(self):
        assert pace_zone_bounds(vdot=50, pace_zones=[330, 300, 280, 260]) == (330.0, 300.0, 280.0, 260.0)

    def test_bounds_from_vdot_are_decreasing(self):
        bounds = pace_zone_bounds(vdot=50, pace_zones=None)
        assert bounds == pytest.approx((291.95, 266.27, 247.26, 225.53), abs=0.01)
        assert pace_zone_bounds(vdot=None, pace_zones=None) is None

    @pytest.mark.parametrize(
        ("pace", "zone"),
        [(400, 1), (300.01, 1), (300, 2), (290, 2), (280, 3), (270, 4), (260, 5), (200, 5)],
    )
    def test_zone_of_pace_boundaries(self, pace, zone):
        # A pace exactly on a bound belongs to the faster zone.
        assert zone_of_pace(pace, (300, 280, 270, 260)) == zone

    def test_from_average(self):
        bounds = (300, 280, 270, 260)
        assert zone_seconds_from_average(duration_s=2900, distance_m=10000, bounds=bounds) == [0, 2900, 0, 0, 0]
        assert zone_seconds_from_average(duration_s=600, distance_m=0, bounds=bounds) == [600, 0, 0, 0, 0]

    def test_from_samples_skips_pauses(self):
        bounds = (300, 280, 270, 260)
        samples = [
            (0, 0.0),
            (10, 40.0),  # 10 s for 40 m = 250 s/km → Z5
            (20, 70.0),  # 10 s for 30 m = 333 s/km → Z1
            (80, 80.0),  # 60 s gap: a pause, skipped
            (85, 80.0),  # standing still, skipped
            (95, 115.0),  # 10 s for 35 m = 285.7 s/km → Z2
        ]
        assert zone_seconds_from_samples(samples, bounds) == [10, 10, 0, 0, 10]
        assert zone_seconds_from_samples([(0, None), (10, None)], bounds) is None

    def test_activity_zone_seconds_rules(self):
        bounds = (300, 280, 270, 260)
        assert activity_zone_seconds(sport="ride", duration_s=3600, distance_m=30000, bounds=bounds) == [0] * 5
        assert activity_zone_seconds(sport="run", duration_s=3600, distance_m=10000, bounds=None) == [0] * 5
        no_distance_samples = [(0, None), (5, None)]
        from_average = activity_zone_seconds(
            sport="run", duration_s=2900, distance_m=10000, bounds=bounds, samples=no_distance_samples
        )
        assert from_average == [0, 2900, 0, 0, 0]
