"""Data-quality score: how complete an athlete's setup is (0–100)."""

COMPONENTS = (
    ("pace_zones", 20, "Set your pace zones (or a VDOT) so runs land in the right zones."),
    ("hr_zones", 20, "Set your heart-rate zones so effort can be read from heart rate."),
    ("vdot", 20, "Add a recent race result to get a VDOT (race calculator)."),
    ("integration", 20, "Connect Strava, Garmin or Apple Health so runs arrive automatically."),
    ("timezone", 10, "Choose your time zone so days and weeks start at your midnight."),
    ("unit_system", 10, "Choose metric or imperial units."),
)


def data_quality(
    *,
    has_pace_zones: bool,
    has_hr_zones: bool,
    has_vdot: bool,
    has_integration: bool,
    has_timezone: bool,
    has_unit_system: bool,
) -> dict:
    """{score, components: [{key, ok, weight, hint}]} in COMPONENTS order; score = sum of the
    weights of the ok components (an int, 0–100); hint is None when ok. Pace zones are set when
    the athlete has their own or a VDOT (zones.pace_zone_bounds derives them from it)."""
    present = {
        "pace_zones": has_pace_zones or has_vdot,
        "hr_zones": has_hr_zones,
        "vdot": has_vdot,
        "integration": has_integration,
        "timezone": has_timezone,
        "unit_system": has_unit_system,
    }
    components = [
        {"key": key, "ok": bool(present[key]), "weight": weight, "hint": None if present[key] else hint}
        for key, weight, hint in COMPONENTS
    ]
    return {"score": sum(c["weight"] for c in components if c["ok"]), "components": components}
