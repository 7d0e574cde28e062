"""One athlete's activities: a weekly structure (or their plan) turned into runs paced from VDOT.

Dates are the athlete's local dates (their IANA zone); start times are aware instants in that zone
and never after `now`. Paces come from Daniels' training paces at the athlete's VDOT of that week
(fitness improved over the past year), heart rate from the session's intensity as a fraction of
heart-rate reserve, training load from `analytics.metrics.load`.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from analytics.metrics.load import activity_training_load
from analytics.metrics.vdot import race_time_for_vdot, training_paces
from analytics.metrics.zones import activity_zone_seconds, pace_zone_bounds
from analytics.models import RUN_SPORTS, Activity
from demo.people import AthleteSpec

SESSION_WEIGHTS = {"easy": 1.0, "long": 1.8, "tempo": 1.1, "interval": 1.0}
CYCLE = (0.92, 1.0, 1.08, 0.72)  # three weeks building, one easier
SOUTHERN_ZONES = ("Australia/", "Pacific/Auckland", "America/Sao_Paulo")
# Session → (HRr low, HRr high, peak HRr above the average): average intensity over the whole run.
INTENSITY = {
    "easy": (0.58, 0.68, 0.10),
    "long": (0.63, 0.72, 0.13),
    "tempo": (0.72, 0.80, 0.12),
    "threshold": (0.70, 0.78, 0.12),
    "interval": (0.70, 0.80, 0.20),
    "race": (0.86, 0.93, 0.07),
    "ride": (0.50, 0.65, 0.15),
    "walk": (0.28, 0.40, 0.08),
}


def week_template(runs_per_week: int, long_day: int) -> dict[int, str]:
    """Weekday (0 = Monday) → session. `quality` alternates tempo and intervals week by week."""
    other = 11 - long_day  # the other weekend day (Saturday ↔ Sunday)
    if runs_per_week <= 3:
        return {1: "quality", 3: "easy", long_day: "long"}
    if runs_per_week == 4:
        return {1: "interval", 3: "tempo", other: "easy", long_day: "long"}
    template = {0: "easy", 1: "interval", 3: "tempo", other: "easy", long_day: "long"}
    if runs_per_week >= 6:
        template[2] = "easy"
    return template


@dataclass
class Session:
    kind: str  # easy | long | tempo | threshold | interval | race | ride | walk
    km: float
    sport: str = "run"


class AthleteTraining:
    """Generates the activities of one athlete over [first_day, today] (local dates)."""

    def __init__(self, spec: AthleteSpec, *, user_id: int, now: datetime, days: int, plan=None):
        self.spec, self.user_id, self.now = spec, user_id, now
        self.tz = ZoneInfo(spec.timezone)
        self.today = now.astimezone(self.tz).date()
        history = min(days, spec.history_days or days)
        self.first_day = self.today - timedelta(days=history - 1)
        self.rng = random.Random(f"{spec.seed}:training")
        self.plan_sessions = plan.sessions_by_date(until=self.today) if plan else {}
        self.plan_span = (plan.start, plan.end) if plan and not plan.cancelled else None
        self.compliance = self.rng.uniform(0.72, 0.97)
        self.template = week_template(spec.runs_per_week, spec.long_run_day)
        self.weights = sum(SESSION_WEIGHTS["tempo" if k == "quality" else k] for k in self.template.values())
        self.cross_day = next((day for day in (2, 4, 0) if day not in self.template), None)
        self.phase = self.rng.randrange(4)
        paces = training_paces(spec.vdot)
        self.pace_limits = (paces["R"], paces["E"][1] * 1.12)
        # Exactly the bounds the app derives from the profile (None without zones and VDOT).
        self.zone_bounds = pace_zone_bounds(vdot=spec.profile_vdot, pace_zones=spec.pace_zones)
        self.external_base = self.rng.randrange(10**9, 9 * 10**9)
        self.inactive_from = self.today - timedelta(days=self.rng.randint(8, 14) - 1)
        self.injury_block = self._injury_block()
        self.loads: dict[date, float] = {}

    def _injury_block(self) -> tuple[date, date] | None:
        if not self.spec.injury_watch:
            return None
        start = self.today - timedelta(days=self.rng.randint(30, 100))
        return start, start + timedelta(days=self.rng.randint(10, 21))

    # --- the plan of each day ----------------------------------------------------------------
    def _week_km(self, monday: date) -> float:
        """Volume of the ISO week starting `monday`: cycle × slow build over the window × noise."""
        if monday < self.today - timedelta(days=14) and self.rng.random() < 0.025:
            return 0.0  # ill or travelling (never in the last fortnight: those are the trends' job)
        years_ago = min((self.today - monday).days / 365, 1.0)
        factor = CYCLE[(monday.toordinal() // 7 + self.phase) % 4] * (1.0 - 0.12 * years_ago)
        return self.spec.weekly_km * factor * self.rng.gauss(1.0, 0.06)

    def _habitual(self, day: date, week_km: float) -> list[Session]:
        sessions = []
        kind = self.template.get(day.weekday())
        if kind and week_km > 0 and self.rng.random() > 0.07:
            if kind == "quality":
                kind = "tempo" if (day.toordinal() // 7) % 2 else "interval"
            km = week_km * SESSION_WEIGHTS[kind] / self.weights * self.rng.uniform(0.9, 1.1)
            sessions.append(Session(kind, min(max(km, 3.0), 35.0)))
        if self.spec.cross_sport and day.weekday() == self.cross_day and self.rng.random() < 0.5:
            sessions.append(self._cross(self.spec.cross_sport))
        return sessions

    def _planned(self, day: date) -> list[Session]:
        planned = self.plan_sessions.get(day)
        if not planned or self.rng.random() > self.compliance:
            return []
        kind, metres, _seconds = planned
        if kind == "cross":
            return [self._cross(self.spec.cross_sport or "ride")]
        noise = 1.0 if kind == "race" else self.rng.uniform(0.93, 1.07)
        return [Session(kind, metres / 1000 * noise)]

    def _cross(self, sport: str) -> Session:
        longest_ride = 25 if self.spec.level == "beginner" else 45
        km = self.rng.uniform(12, longest_ride) if sport == "ride" else self.rng.uniform(3, 8)
        return Session(sport, km, sport=sport)

    def sessions_for(self, day: date, week_km: float) -> list[Session]:
        spec = self.spec
        if spec.trend == "inactive" and day >= self.inactive_from:
            return []
        if spec.trend == "load_spike" and day > self.today - timedelta(days=7):
            return [self._spike_session(day)]
        in_plan = self.plan_span and self.plan_span[0] <= day <= self.plan_span[1]
        sessions = self._planned(day) if in_plan else self._habitual(day, week_km)
        if self.injury_block and self.injury_block[0] <= day <= self.injury_block[1]:
            sessions = [s for s in sessions if s.sport != "run" or s.kind == "easy"][:1]
            for session in sessions:
                session.km *= 0.6
        return sessions

    def _spike_session(self, day: date) -> Session:
        """A sudden surge: a run every day, each well above the athlete's usual session (plan or not)."""
        kind = self.template.get(day.weekday(), "easy")
        kind = "interval" if kind == "quality" else kind
        km = self.spec.weekly_km * SESSION_WEIGHTS[kind] / self.weights * 1.8
        return Session(kind, min(max(km, 6.0), 40.0))

    # --- turning a session into an activity ------------------------------------------------
    def _pace(self, session: Session, paces: dict, vdot: float) -> float:
        """Average pace (s/km) of the whole session, warm-up and recoveries included."""
        rng = self.rng
        e_fast, e_slow = paces["E"]
        e_mid = (e_fast + e_slow) / 2
        km = session.km
        if session.kind == "race":
            return race_time_for_vdot(vdot, km * 1000) / km
        if session.kind in ("tempo", "threshold", "interval"):
            easy_km = min(4.0, km * 0.45)
            fast_pace = paces["I"] if session.kind == "interval" else paces["T"]
            fast_km = (km - easy_km) * (0.6 if session.kind == "interval" else 1.0)
            jog_km = km - easy_km - fast_km
            # Daniels gives T and I as one pace; real repetitions scatter a little around it.
            total = easy_km * e_mid + fast_km * fast_pace * rng.uniform(0.99, 1.03) + jog_km * e_slow * 1.05
            return total / km
        low, high, mode = (0.25, 0.9, 0.55) if session.kind == "long" else (0.35, 1.0, 0.7)
        return e_fast + rng.triangular(low, high, mode) * (e_slow - e_fast)

    def _run_sport(self, session: Session, day: date) -> str:
        if session.kind in ("easy", "long") and self.rng.random() < self.spec.trail_share:
            return "trail_run"
        southern = self.spec.timezone.startswith(SOUTHERN_ZONES)
        winter = day.month in ((6, 7, 8) if southern else (12, 1, 2))
        share = self.spec.treadmill_share * (2 if winter else 1)
        if session.kind in ("easy", "interval") and self.rng.random() < share:
            return "treadmill"
        return "run"

    def _start(self, day: date, session: Session) -> datetime:
        rng = self.rng
        if day.weekday() >= 5 or session.kind in ("long", "race"):
            hour = rng.choice((7, 8, 8, 9, 10) if session.sport == "run" else (9, 10, 11, 14))
        else:
            hour = self.spec.run_hour + rng.choice((-1, 0, 0, 0, 1))
        return datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60), tzinfo=self.tz)

    def activity(self, day: date, session: Session, paces: dict, vdot: float, seq: int) -> Activity | None:
        spec, rng = self.spec, self.rng
        sport = session.sport
        if sport == "run":
            sport = self._run_sport(session, day)
            pace = self._pace(session, paces, vdot) * (rng.uniform(1.08, 1.15) if sport == "trail_run" else 1.0)
            pace = min(max(pace, self.pace_limits[0]), self.pace_limits[1])
            climb = {"trail_run": rng.uniform(25, 60), "treadmill": 0.0}.get(sport, spec.climb_m_per_km)
            kcal_per_km = spec.weight_kg * rng.uniform(0.95, 1.05) * (1.1 if sport == "trail_run" else 1.0)
        elif sport == "ride":
            pace, climb, kcal_per_km = 3600 / rng.uniform(22, 30), rng.uniform(5, 14), spec.weight_kg * 0.28
        else:  # walk
            pace, climb, kcal_per_km = rng.uniform(570, 720), rng.uniform(2, 10), spec.weight_kg * 0.55
        distance = round(session.km * 1000, 1)
        duration = round(session.km * pace)
        elapsed = round(duration * rng.uniform(1.0, 1.05) + (rng.randint(60, 300) if session.kind == "interval" else 0))
        start = self._start(day, session)
        if start + timedelta(seconds=elapsed) > self.now:
            return None  # not finished yet today
        source = spec.source if spec.source == "manual" or rng.random() < 0.93 else "manual"
        avg_hr = max_hr = None
        if source != "manual" or rng.random() < 0.4:
            low, high, peak = INTENSITY[session.kind if sport in RUN_SPORTS else sport]
            hrr = rng.uniform(low, high) + (0.03 if sport == "trail_run" else 0.0)
            reserve = spec.max_hr - spec.resting_hr
            avg_hr = round(spec.resting_hr + hrr * reserve)
            peak_hr = round(spec.resting_hr + min(1.0, hrr + peak * rng.uniform(0.7, 1.0)) * reserve)
            max_hr = min(spec.max_hr, max(peak_hr, avg_hr + 3))
        load = activity_training_load(
            duration_s=duration,
            distance_m=distance,
            avg_hr=avg_hr,
            resting_hr=spec.resting_hr,
            max_hr=spec.max_hr,
            vdot=spec.profile_vdot,
            sex=spec.sex,
        )
        zone_times = activity_zone_seconds(
            sport=sport, duration_s=float(duration), distance_m=distance, bounds=self.zone_bounds
        )
        self.loads[day] = self.loads.get(day, 0.0) + load
        return Activity(
            user_id=self.user_id,
            sport=sport,
            start_time=start,
            timezone=spec.timezone,
            distance=distance,
            duration=float(duration),
            elapsed_time=float(elapsed),
            elevation_gain=round(session.km * climb, 1),
            avg_heart_rate=avg_hr,
            max_heart_rate=max_hr,
            calories=round(session.km * kcal_per_km),
            training_load=load,
            pace_z1_time=zone_times[0],
            pace_z2_time=zone_times[1],
            pace_z3_time=zone_times[2],
            pace_z4_time=zone_times[3],
            pace_z5_time=zone_times[4],
            source=source,
            external_id="" if source == "manual" else f"{source}-{self.external_base + seq * 7919}",
        )

    def activities(self):
        """Yields the athlete's activities, oldest first; `self.loads` fills in as it goes."""
        seq, week_km, paces, vdot = 0, 0.0, {}, self.spec.vdot
        day = self.first_day
        while day <= self.today:
            if day == self.first_day or day.weekday() == 0:
                monday = day - timedelta(days=day.weekday())
                week_km = self._week_km(monday)
                vdot = self.spec.vdot_on((self.today - monday).days)
                paces = training_paces(vdot)
            for session in self.sessions_for(day, week_km):
                activity = self.activity(day, session, paces, vdot, seq)
                if activity is not None:
                    seq += 1
                    yield activity
            day += timedelta(days=1)
