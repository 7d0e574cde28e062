"""Demo athletes as plain specs: names, profiles and training habits, all drawn from one seeded RNG.

Nothing here touches the database; `builder` turns the specs into rows.
"""

import random
from dataclasses import dataclass, field

from analytics.metrics.zones import pace_zone_bounds as analytics_zone_bounds
from demo.constants import DEMO_EMAIL_DOMAIN
from demo.names import REGIONS, ascii_slug

LEVELS = ("beginner", "intermediate", "advanced")
FOCUS_WEIGHTS = {  # level → race focus → weight
    "beginner": {"5k": 50, "10k": 30, "half": 15, "trail": 5},
    "intermediate": {"5k": 20, "10k": 20, "half": 30, "marathon": 20, "trail": 10},
    "advanced": {"5k": 15, "10k": 10, "half": 25, "marathon": 40, "trail": 10},
}
RUNS_PER_WEEK = {"beginner": (3, 3, 3, 4), "intermediate": (4, 4, 5), "advanced": (5, 5, 6)}
WEEKLY_KM = {"beginner": (12, 28), "intermediate": (28, 55), "advanced": (55, 95)}
SOURCES = {"garmin": 45, "strava": 30, "apple_health": 13, "manual": 12}

# Athletes whose recent data should raise attention signals on the coach's roster.
TRENDS = ("inactive", "load_spike", "overreached")


@dataclass
class AthleteSpec:
    index: int
    seed: str  # seeds this athlete's own RNGs (training, wellness): stable for a given --seed
    first_name: str
    last_name: str
    username: str
    sex: str
    timezone: str
    unit_system: str  # "" = never chosen
    resting_hr: int
    max_hr: int
    vdot: float  # current fitness, drives paces; the profile may not know it
    profile_vdot: float | None
    weight_kg: float
    level: str
    focus: str  # 5k | 10k | half | marathon | trail
    runs_per_week: int
    weekly_km: float
    long_run_day: int  # 5 = Saturday, 6 = Sunday
    run_hour: int  # preferred local start hour on weekdays
    cross_sport: str | None  # ride | walk | None
    trail_share: float
    treadmill_share: float
    climb_m_per_km: float
    vdot_gain: float  # VDOT gained over the past year (paces were slower a year ago)
    source: str  # garmin | strava | apple_health | manual
    hr_zones: list[int] | None
    pace_zones: list[int] | None
    push_token: str
    masters: bool
    injury_watch: bool
    history_days: int | None = None  # a new member: data only for the last N days
    trend: str = "steady"
    labels: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)

    def vdot_on(self, days_ago: int) -> float:
        """Fitness `days_ago` days before today: the year's gain accrued evenly, older days as a year ago."""
        return self.vdot - self.vdot_gain * min(days_ago / 365, 1.0)

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def email(self) -> str:
        return f"{self.username}@{DEMO_EMAIL_DOMAIN}"

    @property
    def is_new(self) -> bool:
        return self.history_days is not None


def hr_zone_bounds(resting_hr: int, max_hr: int) -> list[int]:
    """Upper bounds (bpm) of Z1–Z5 at 60/70/80/90/100 % of heart-rate reserve (Karvonen)."""
    reserve = max_hr - resting_hr
    return [round(resting_hr + fraction * reserve) for fraction in (0.6, 0.7, 0.8, 0.9)] + [max_hr]


def pace_zone_bounds(vdot: float) -> list[int]:
    """Pace zones an athlete saved on their profile: the app's own VDOT-derived boundaries (s/km,
    getting faster), rounded to the second as a person would type them."""
    return [round(bound) for bound in analytics_zone_bounds(vdot=vdot, pace_zones=None)]


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _level(vdot: float) -> str:
    if vdot < 42:
        return "beginner"
    return "intermediate" if vdot < 52 else "advanced"


def draw_athlete(rng: random.Random, *, index: int, seed: int, window_days: int) -> AthleteSpec:
    region = rng.choices(REGIONS, weights=[region.weight for region in REGIONS])[0]
    sex = "female" if rng.random() < 0.45 else "male"
    first = rng.choice(region.female if sex == "female" else region.male)
    last = rng.choice(region.last)
    vdot = round(rng.triangular(35.0, 65.0, 45.0), 1)
    level = _level(vdot)
    focus = _weighted(rng, FOCUS_WEIGHTS[level])
    masters = rng.random() < 0.25
    resting_hr = max(40, min(65, round(62 - (vdot - 35) * 0.5 + rng.gauss(0, 3))))
    max_hr = rng.randint(170, 186) if masters else rng.randint(178, 200)
    low, high = WEEKLY_KM[level]
    weekly_km = rng.uniform(low, high) * (1.15 if focus == "marathon" else 1.0)
    imperial = rng.random() < region.imperial_share
    unit_system = "" if rng.random() < 0.1 else "imperial" if imperial else "metric"  # "" = never chosen
    source = _weighted(rng, SOURCES)
    has_vdot = rng.random() < 0.94
    history_days = rng.randint(21, 45) if rng.random() < 0.06 and window_days > 45 else None
    return AthleteSpec(
        index=index,
        seed=f"{seed}:{index}",
        first_name=first,
        last_name=last,
        username=f"{ascii_slug(first)}.{ascii_slug(last)}",
        sex=sex,
        timezone=rng.choice(region.time_zones),
        unit_system=unit_system,
        resting_hr=resting_hr,
        max_hr=max_hr,
        vdot=vdot,
        profile_vdot=vdot if has_vdot else None,
        weight_kg=round(rng.uniform(52, 72) if sex == "female" else rng.uniform(60, 86), 1),
        level=level,
        focus=focus,
        runs_per_week=rng.choice(RUNS_PER_WEEK[level]),
        weekly_km=round(weekly_km, 1),
        long_run_day=rng.choice((5, 6, 6)),
        run_hour=rng.choice((6, 6, 7, 12, 17, 18, 19)),
        cross_sport=rng.choices(("ride", "walk", None), weights=(30, 15, 55))[0],
        trail_share=rng.uniform(0.3, 0.5) if focus == "trail" else rng.choice((0.0, 0.0, 0.03, 0.06)),
        treadmill_share=rng.choice((0.0, 0.0, 0.05, 0.1, 0.15)),
        climb_m_per_km=rng.uniform(3, 14),
        vdot_gain=rng.choice((0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0)),
        source=source,
        hr_zones=hr_zone_bounds(resting_hr, max_hr) if rng.random() < 0.85 else None,
        pace_zones=pace_zone_bounds(vdot) if has_vdot and rng.random() < 0.75 else None,
        push_token=f"ExponentPushToken[{rng.getrandbits(88):022x}]" if rng.random() < 0.45 else "",
        masters=masters,
        injury_watch=rng.random() < 0.08,
        history_days=history_days,
    )


def make_usernames_unique(specs: list[AthleteSpec], taken: set[str]) -> None:
    """`oliver.smith`, then `oliver.smith2`, … skipping names in `taken` (which grows)."""
    for spec in specs:
        base, number = spec.username, 1
        while spec.username in taken:
            number += 1
            spec.username = f"{base}{number}"
        taken.add(spec.username)


def assign_trends(rng: random.Random, specs: list[AthleteSpec]) -> None:
    """A few athletes per trend (at least one each): the roster's attention signals have cases."""
    per_trend = max(1, len(specs) // 25)
    candidates = [spec for spec in specs if not spec.is_new]
    rng.shuffle(candidates)
    for position, spec in enumerate(candidates[: per_trend * len(TRENDS)]):
        spec.trend = TRENDS[position // per_trend]
        if spec.trend == "overreached":
            spec.injury_watch = spec.injury_watch or rng.random() < 0.5


def draw_athletes(rng: random.Random, *, count: int, seed: int, window_days: int) -> list[AthleteSpec]:
    specs = [draw_athlete(rng, index=index, seed=seed, window_days=window_days) for index in range(count)]
    assign_trends(rng, specs)
    return specs
