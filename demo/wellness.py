"""One athlete's daily wellness: resting HR, HRV, VO2max, recovery and sleep, one row per local day.

Yesterday's training load pushes HRV down and resting HR up; VO2max follows the athlete's VDOT
over the window. Rows go missing on some days (watch not worn) and in a couple of longer gaps.
"Overreached" athletes turn bad over their last 7 days: HRV down about a third, resting HR up,
recovery down by 20+ points, VO2max down by 3.2–3.8 ml/kg/min.
"""

import random
from datetime import date, timedelta

from analytics.models import DailyWellness
from demo.people import AthleteSpec

# Documented ranges of the generated values (the tests hold the seeder to them).
RESTING_HR_RANGE = (35, 80)
HRV_RANGE = (20.0, 130.0)  # rMSSD, ms; athletes' baselines lie in 40–90
VO2MAX_RANGE = (28.0, 80.0)
RECOVERY_RANGE = (1, 100)
SLEEP_RANGE = (4.0, 10.0)
BAD_TREND_DAYS = 7


def _clamp(value, bounds):
    return max(bounds[0], min(bounds[1], value))


class AthleteWellness:
    def __init__(self, spec: AthleteSpec, *, user_id: int, first_day: date, today: date):
        self.spec, self.user_id = spec, user_id
        self.first_day, self.today = first_day, today
        rng = self.rng = random.Random(f"{spec.seed}:wellness")
        fitness = (spec.vdot - 35) / 30  # 0 … 1
        self.hrv_base = _clamp(rng.gauss(48 + 30 * fitness, 7), (40.0, 90.0))
        self.sleep_mean = rng.uniform(6.6, 8.0)
        self.vo2_offset = rng.uniform(-1.0, 2.0)
        self.compliance = rng.uniform(0.5, 0.8) if spec.source == "manual" else rng.uniform(0.85, 0.99)
        self.gaps = self._gaps()
        self.bad_from = today - timedelta(days=BAD_TREND_DAYS - 1)
        self.hrv_drop = rng.uniform(0.62, 0.70)
        self.vo2_drop = rng.uniform(3.2, 3.8)

    def _gaps(self) -> list[tuple[date, date]]:
        """Longer stretches without data (a holiday, a flat battery), never in the last fortnight."""
        span = (self.today - self.first_day).days - 15
        gaps = []
        for _ in range(self.rng.choice((0, 1, 1, 2))):
            if span < 10:
                break
            start = self.first_day + timedelta(days=self.rng.randrange(span))
            gaps.append((start, start + timedelta(days=self.rng.randint(2, 8))))
        return gaps

    def _present(self, day: date) -> bool:
        recent = day > self.today - timedelta(days=15)
        if self.spec.trend == "overreached" and recent:
            return True  # their signals need both this week and last week
        if any(start <= day <= end for start, end in self.gaps):
            return False
        return self.rng.random() < self.compliance

    def rows(self, loads: dict[date, float]):
        """Yields DailyWellness rows oldest first. `loads`: training load per local date."""
        spec, rng = self.spec, self.rng
        days = max((self.today - self.first_day).days + 1, 1)
        mean_load = sum(loads.values()) / days or 1.0
        day = self.first_day
        while day <= self.today:
            if not self._present(day):
                day += timedelta(days=1)
                continue
            strain = max(-1.0, min(3.0, loads.get(day - timedelta(days=1), 0.0) / mean_load - 1.0))
            hrv = self.hrv_base * (1 - 0.025 * strain) * rng.gauss(1.0, 0.05)
            resting = spec.resting_hr + rng.gauss(0, 1.2) + max(strain, 0.0)
            sleep = rng.gauss(self.sleep_mean + (0.4 if day.weekday() >= 5 else 0.0), 0.6)
            vo2 = spec.vdot_on((self.today - day).days) + self.vo2_offset + rng.gauss(0, 0.15)
            penalty = 0.0
            if spec.trend == "overreached" and day >= self.bad_from:
                hrv *= self.hrv_drop
                resting += 5
                vo2 -= self.vo2_drop
                penalty = 10.0
            recovery = (
                66
                + 55 * (hrv / self.hrv_base - 1)
                + 2.5 * (sleep - self.sleep_mean)
                - 1.2 * (resting - spec.resting_hr)
                - penalty
                + rng.gauss(0, 2.2)
            )
            yield DailyWellness(
                user_id=self.user_id,
                date=day,
                resting_heart_rate=round(_clamp(resting, RESTING_HR_RANGE)),
                hrv=round(_clamp(hrv, HRV_RANGE), 1),
                vo2_max=round(_clamp(vo2, VO2MAX_RANGE), 1),
                recovery_score=round(_clamp(recovery, RECOVERY_RANGE)),
                sleep_hours=None if rng.random() < 0.04 else round(_clamp(sleep, SLEEP_RANGE), 1),
            )
            day += timedelta(days=1)
