"""Demo plan templates, their instances on athletes, and race goals.

Plans start on a Monday (week 1, day 1) so `PlannedWorkout.day` is the weekday of the workout.
Athletes on a running plan train by it in `training` (with their own compliance).
"""

import functools
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from analytics.metrics.vdot import race_time_for_vdot, training_paces
from demo.names import city_of
from demo.people import AthleteSpec
from plans.models import PlanInstance, PlannedWorkout, RaceGoal, TrainingPlan

RACE_DISTANCES_M = {"5k": 5000.0, "10k": 10000.0, "half": 21097.5, "marathon": 42195.0}
RACE_NAMES = {"5k": "{city} 5K", "10k": "{city} 10K", "half": "{city} Half Marathon", "marathon": "{city} Marathon"}
REFERENCE_VDOT = 45.0  # planned durations are written for a mid-pack runner
DESCRIPTIONS = {
    "easy": "Easy run, conversational pace",
    "long": "Long run at easy pace; last 15 minutes steady",
    "tempo": "2 km warm-up, continuous tempo at T pace, 1.5 km cool-down",
    "threshold": "Cruise intervals: 3-4 × 1.6 km at T pace, 1 min jog",
    "interval": "5-6 × 1 km at I pace, 400 m jog recoveries",
    "race": "Race day",
    "cross": "45 min bike, swim or elliptical, easy",
}


@dataclass(frozen=True)
class PlanTemplate:
    key: str
    name: str
    description: str
    weeks: int
    base_km: float  # weekly volume at the start of the plan
    days: tuple[tuple[int, str, float], ...]  # (weekday 1–7, workout type, share of the week's km)
    race: str | None = None  # the final Sunday's race, if any


TEMPLATES = (
    PlanTemplate(
        "marathon",
        "Marathon Build — 16 weeks",
        "Sixteen weeks to a spring marathon: 5 runs a week.",
        16,
        55,
        ((2, "interval", 0.15), (3, "easy", 0.14), (4, "tempo", 0.18), (6, "easy", 0.15), (7, "long", 0.38)),
        race="marathon",
    ),
    PlanTemplate(
        "half",
        "Half Marathon — 12 weeks",
        "Twelve weeks, four runs a week, threshold focus.",
        12,
        40,
        ((2, "interval", 0.2), (4, "threshold", 0.22), (6, "easy", 0.2), (7, "long", 0.38)),
        race="half",
    ),
    PlanTemplate(
        "5k",
        "5K Speed — 8 weeks",
        "Eight weeks of VO2max and speed work for a 5K PB.",
        8,
        30,
        ((2, "interval", 0.25), (4, "tempo", 0.22), (6, "easy", 0.2), (7, "long", 0.33)),
        race="5k",
    ),
    PlanTemplate(
        "base",
        "Base Building — 10 weeks",
        "Easy aerobic volume, one cross-training day.",
        10,
        22,
        ((2, "easy", 0.3), (3, "cross", 0.0), (4, "easy", 0.3), (7, "long", 0.4)),
    ),
)
TEMPLATE_BY_FOCUS = {"marathon": "marathon", "half": "half", "5k": "5k", "10k": "5k", "trail": "base"}


def week_volume_factor(week: int, weeks: int, taper: bool) -> float:
    """Builds from 0.8 to 1.1 with every 4th week easier; a race plan tapers over its last 2 weeks."""
    if taper and week == weeks:
        return 0.55
    if taper and week == weeks - 1:
        return 0.75
    factor = 0.8 + 0.3 * (week - 1) / max(1, weeks - 1)
    return factor * (0.75 if week % 4 == 0 else 1.0)


def _reference_pace(kind: str) -> float:
    paces = training_paces(REFERENCE_VDOT)
    easy = sum(paces["E"]) / 2
    if kind in ("tempo", "threshold"):
        return (easy + paces["T"]) / 2
    if kind == "interval":
        return (easy + paces["I"]) / 2
    return easy


@functools.cache
def template_workouts(template: PlanTemplate) -> list[tuple[int, int, str, float | None, float]]:
    """(week, day, type, distance m, duration s) for every workout of every week."""
    rows = []
    for week in range(1, template.weeks + 1):
        week_km = template.base_km * week_volume_factor(week, template.weeks, taper=template.race is not None)
        for day, kind, share in template.days:
            if kind == "cross":
                rows.append((week, day, kind, None, 2700.0))
                continue
            if template.race and week == template.weeks and day == 7:
                metres = RACE_DISTANCES_M[template.race]
                rows.append((week, day, "race", metres, round(race_time_for_vdot(REFERENCE_VDOT, metres))))
                continue
            metres = round(week_km * share * 10) * 100.0  # to the 100 m
            rows.append((week, day, kind, metres, round(metres / 1000 * _reference_pace(kind))))
    return rows


def create_plan_templates(*, organization, coach) -> dict[str, TrainingPlan]:
    plans = {}
    for template in TEMPLATES:
        plan = TrainingPlan.objects.create(
            organization=organization,
            created_by=coach,
            name=template.name,
            description=template.description,
            total_weeks=template.weeks,
        )
        PlannedWorkout.objects.bulk_create(
            PlannedWorkout(
                plan=plan,
                week=week,
                day=day,
                type=kind,
                distance=metres,
                duration=seconds,
                description=DESCRIPTIONS.get(kind, ""),
            )
            for week, day, kind, metres, seconds in template_workouts(template)
        )
        plans[template.key] = plan
    return plans


@dataclass
class PlanAssignment:
    spec: AthleteSpec
    template: PlanTemplate
    start: date
    cancelled: bool = False

    @property
    def end(self) -> date:
        return self.start + timedelta(days=7 * self.template.weeks - 1)

    def sessions_by_date(self, *, until: date) -> dict[date, tuple[str, float | None, float]]:
        """The athlete's planned workouts up to `until` (their local today), distances scaled to
        their usual volume; cancelled plans are not followed."""
        if self.cancelled:
            return {}
        scale = max(0.6, min(1.6, self.spec.weekly_km / (self.template.base_km * 0.95)))
        sessions = {}
        for week, day, kind, metres, seconds in template_workouts(self.template):
            day_date = self.start + timedelta(days=7 * (week - 1) + day - 1)
            if day_date > until:
                break
            if metres is not None and kind != "race":
                metres, seconds = metres * scale, seconds * scale
            sessions[day_date] = (kind, metres, seconds)
        return sessions


def _template_for(spec: AthleteSpec) -> PlanTemplate:
    key = "base" if spec.level == "beginner" and spec.focus != "5k" else TEMPLATE_BY_FOCUS[spec.focus]
    return next(template for template in TEMPLATES if template.key == key)


def schedule_plans(
    rng: random.Random, specs: list[AthleteSpec], local_today: Callable[[AthleteSpec], date]
) -> list[PlanAssignment]:
    """Most athletes get a plan: many mid-block, some starting soon, some finished; a few cancelled."""
    assignments = []
    for spec in specs:
        if rng.random() > 0.75:
            continue
        template = _template_for(spec)
        today = local_today(spec)
        monday = today - timedelta(days=today.weekday())
        if spec.is_new:  # a new member starts on a plan the Monday after joining
            joined = today - timedelta(days=spec.history_days)
            start = joined + timedelta(days=7 - joined.weekday())
            template = next(t for t in TEMPLATES if t.key == "base")
        else:
            status = rng.choices(("active", "scheduled", "completed"), weights=(68, 17, 15))[0]
            if status == "active":
                start = monday - timedelta(weeks=rng.randint(0, template.weeks - 1))
            elif status == "scheduled":
                start = monday + timedelta(weeks=rng.randint(1, 4))
            else:
                start = monday - timedelta(weeks=template.weeks + rng.randint(1, 10))
        assignments.append(PlanAssignment(spec, template, start))
    running = [a for a in assignments if a.start <= local_today(a.spec) <= a.end and not a.spec.is_new]
    for assignment in rng.sample(running, min(len(running), max(1, round(len(specs) / 40)))):
        assignment.cancelled = True
    return assignments


def create_plan_instances(
    assignments: list[PlanAssignment], *, plans: dict[str, TrainingPlan], users: dict[int, object], coach
) -> int:
    PlanInstance.objects.bulk_create(
        PlanInstance(
            plan=plans[a.template.key],
            athlete=users[a.spec.index],
            assigned_by=coach,
            start_date=a.start,
            cancelled=a.cancelled,
        )
        for a in assignments
    )
    return len(assignments)


def _goal_time(rng: random.Random, vdot: float, metres: float) -> int:
    """What the athlete aims for: their current equivalent time at a VDOT a little above today's."""
    seconds = race_time_for_vdot(vdot + rng.uniform(0.3, 2.0), metres)
    return int(round(seconds / 5) * 5)


def create_race_goals(
    rng: random.Random,
    specs: list[AthleteSpec],
    assignments: list[PlanAssignment],
    *,
    users: dict[int, object],
    local_today: Callable[[AthleteSpec], date],
) -> int:
    """Race plans end on race day; others may have a race 3–30 weeks out. Always in the future."""
    plan_race = {
        a.spec.index: a for a in assignments if a.template.race and not a.cancelled and a.end > local_today(a.spec)
    }
    goals = []
    for spec in specs:
        today = local_today(spec)
        assignment = plan_race.get(spec.index)
        if assignment:
            race, race_date = assignment.template.race, assignment.end
        elif rng.random() < 0.55:
            race = "half" if spec.focus == "trail" else spec.focus
            race_date = today + timedelta(days=rng.randint(21, 210))
            race_date += timedelta(days=(6 - race_date.weekday()) % 7)  # races are on Sundays
        else:
            continue
        metres = RACE_DISTANCES_M[race]
        name = RACE_NAMES[race].format(city=city_of(spec.timezone))
        if spec.focus == "trail" and not assignment:
            name = f"{city_of(spec.timezone)} Trail Half"
        goals.append(
            RaceGoal(
                athlete=users[spec.index],
                race_name=name,
                race_date=race_date,
                distance=metres,
                goal_time=_goal_time(rng, spec.vdot, metres),
            )
        )
    RaceGoal.objects.bulk_create(goals)
    return len(goals)
