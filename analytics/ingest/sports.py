"""How each format names its sport, mapped to ours (run, trail_run, treadmill, walk, ride, swim, other).

- FIT `sport`/`sub_sport` (FIT SDK profile names): running → run, with sub-sport trail →
  trail_run and treadmill / indoor_running → treadmill; walking and hiking → walk; cycling and
  e_biking → ride; swimming → swim; anything else → other.
- TCX `Activity/@Sport` (the schema allows Running, Biking, Other): Running → run, Biking → ride,
  else other.
- GPX `<trk><type>` is free text: a known word maps as below; an unknown word names some other
  sport → other; an empty or numeric type (app-specific codes), or one without letters, says nothing, so the sport is
  inferred from the average moving speed: ≤ 2.2 m/s (7:35 min/km) walk, ≤ 6.5 m/s (2:34 min/km,
  faster than any distance runner) run, else ride.
"""

FIT_SPORTS = {
    "running": "run",
    "walking": "walk",
    "hiking": "walk",
    "cycling": "ride",
    "e_biking": "ride",
    "swimming": "swim",
}
FIT_RUNNING_SUB_SPORTS = {"trail": "trail_run", "treadmill": "treadmill", "indoor_running": "treadmill"}

TCX_SPORTS = {"running": "run", "biking": "ride"}

GPX_TYPES = {
    "run": "run",
    "running": "run",
    "road_running": "run",
    "street_running": "run",
    "track_running": "run",
    "trail_run": "trail_run",
    "trail_running": "trail_run",
    "trailrun": "trail_run",
    "treadmill": "treadmill",
    "treadmill_running": "treadmill",
    "indoor_running": "treadmill",
    "virtualrun": "treadmill",
    "walk": "walk",
    "walking": "walk",
    "hike": "walk",
    "hiking": "walk",
    "ride": "ride",
    "cycling": "ride",
    "biking": "ride",
    "bike": "ride",
    "road_biking": "ride",
    "road_cycling": "ride",
    "mountain_biking": "ride",
    "gravel_cycling": "ride",
    "ebikeride": "ride",
    "virtualride": "ride",
    "e_biking": "ride",
    "swim": "swim",
    "swimming": "swim",
    "open_water_swimming": "swim",
}

WALK_MAX_SPEED_M_S = 2.2
RUN_MAX_SPEED_M_S = 6.5


def sport_from_fit(sport: object, sub_sport: object) -> str:
    """Our sport for FIT profile names (non-strings, e.g. unknown enum numbers, → other)."""
    ours = FIT_SPORTS.get(sport, "other") if isinstance(sport, str) else "other"
    if ours == "run" and isinstance(sub_sport, str):
        return FIT_RUNNING_SUB_SPORTS.get(sub_sport, "run")
    return ours


def sport_from_tcx(sport: str | None) -> str:
    return TCX_SPORTS.get((sport or "").strip().lower(), "other")


def sport_from_gpx_type(type_text: str | None) -> str | None:
    """Our sport for a GPX track type, or None when the type says nothing (empty or numeric)."""
    normalized = (type_text or "").strip().lower().replace("-", "_").replace(" ", "_")
    if not any(character.isalpha() for character in normalized):
        return None
    return GPX_TYPES.get(normalized, "other")


def sport_from_speed(distance_m: float, moving_s: float) -> str:
    """Walk, run or ride from the average moving speed (no time → walk, the slowest guess)."""
    speed = distance_m / moving_s if moving_s > 0 else 0.0
    if speed <= WALK_MAX_SPEED_M_S:
        return "walk"
    return "run" if speed <= RUN_MAX_SPEED_M_S else "ride"
