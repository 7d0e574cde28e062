"""Data-quality score (pure; no database)."""

from analytics.metrics.quality import COMPONENTS, data_quality

ALL = {
    "has_pace_zones": True,
    "has_hr_zones": True,
    "has_vdot": True,
    "has_integration": True,
    "has_timezone": True,
    "has_unit_system": True,
}


def test_complete_setup_scores_100_without_hints():
    result = data_quality(**ALL)
    assert result["score"] == 100  # 20 + 20 + 20 + 20 + 10 + 10
    assert [c["key"] for c in result["components"]] == [
        "pace_zones",
        "hr_zones",
        "vdot",
        "integration",
        "timezone",
        "unit_system",
    ]
    assert all(c["ok"] and c["hint"] is None for c in result["components"])


def test_empty_setup_scores_0_with_every_hint():
    result = data_quality(**dict.fromkeys(ALL, False))
    assert result["score"] == 0
    assert [c["hint"] for c in result["components"]] == [hint for _, _, hint in COMPONENTS]


def test_partial_setup():
    # Integration 20 + timezone 10 = 30; pace zones, HR zones, VDOT and units missing.
    result = data_quality(
        **{**ALL, "has_pace_zones": False, "has_hr_zones": False, "has_vdot": False, "has_unit_system": False}
    )
    assert result["score"] == 30
    missing = {c["key"]: c for c in result["components"] if not c["ok"]}
    assert set(missing) == {"pace_zones", "hr_zones", "vdot", "unit_system"}
    assert missing["unit_system"] == {
        "key": "unit_system",
        "ok": False,
        "weight": 10,
        "hint": "Choose metric or imperial units.",
    }
    assert result["components"][3] == {"key": "integration", "ok": True, "weight": 20, "hint": None}


def test_weights_add_up_to_100():
    assert sum(weight for _, weight, _ in COMPONENTS) == 100


def test_zones_derived_from_vdot_count_as_pace_zones():
    # VDOT 50 without own zones: the zones come from the VDOT, so no "Set your pace zones" hint.
    # Pace zones 20 + VDOT 20 + integration 20 + timezone 10 + units 10 = 80 (HR zones missing).
    result = data_quality(**{**ALL, "has_pace_zones": False, "has_hr_zones": False})
    assert result["score"] == 80
    assert result["components"][0] == {"key": "pace_zones", "ok": True, "weight": 20, "hint": None}
    assert [c["key"] for c in result["components"] if not c["ok"]] == ["hr_zones"]
