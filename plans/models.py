"""Training plan templates, their instances on athletes, and race goals."""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from astral.ids import PublicIdField


class WorkoutType(models.TextChoices):
    EASY = "easy", "Easy"
    LONG = "long", "Long run"
    TEMPO = "tempo", "Tempo"
    THRESHOLD = "threshold", "Threshold"
    INTERVAL = "interval", "Intervals"
    RACE = "race", "Race"
    REST = "rest", "Rest"
    CROSS = "cross", "Cross-training"


MAX_PLAN_WEEKS = 104  # two years: the API's, the admin's and the database's bound


class TrainingPlan(models.Model):
    """A plan template written by a coach: workouts by week (1…total_weeks) and day (1 = Monday)."""

    public_id = PublicIdField(prefix="pln")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="plans"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    total_weeks = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(MAX_PLAN_WEEKS)])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total_weeks__gte=1, total_weeks__lte=MAX_PLAN_WEEKS), name="plan_total_weeks_range"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PlannedWorkout(models.Model):
    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="workouts")
    week = models.PositiveSmallIntegerField()
    day = models.PositiveSmallIntegerField(help_text="1 = Monday … 7 = Sunday")
    type = models.CharField(max_length=16, choices=WorkoutType.choices)
    distance = models.FloatField(null=True, blank=True, help_text="metres")
    duration = models.FloatField(null=True, blank=True, help_text="seconds")
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["week", "day"]
        indexes = [models.Index(fields=["plan", "week", "day"])]

    def __str__(self) -> str:
        return f"W{self.week}D{self.day} {self.type}"


class PlanStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class PlanInstance(models.Model):
    """A plan assigned to an athlete from `start_date`. Status and week derive from the date;
    only cancellation is stored."""

    public_id = PublicIdField(prefix="pi")
    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="instances")
    athlete = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_instances")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    start_date = models.DateField()
    cancelled = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["athlete", "start_date"])]

    def __str__(self) -> str:
        return f"{self.plan} for {self.athlete}"

    def current_week(self, today: date) -> int:
        """Week 1 on the start date; clamped to 0 before it and to total_weeks after the end."""
        if today < self.start_date:
            return 0
        return min((today - self.start_date).days // 7 + 1, self.plan.total_weeks)

    def status(self, today: date) -> str:
        if self.cancelled:
            return PlanStatus.CANCELLED
        if today < self.start_date:
            return PlanStatus.SCHEDULED
        if (today - self.start_date).days >= self.plan.total_weeks * 7:
            return PlanStatus.COMPLETED
        return PlanStatus.ACTIVE


class RaceGoal(models.Model):
    public_id = PublicIdField(prefix="race")
    athlete = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="race_goals")
    race_name = models.CharField(max_length=200)
    race_date = models.DateField()
    distance = models.FloatField(help_text="metres")
    goal_time = models.PositiveIntegerField(null=True, blank=True, help_text="seconds")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["athlete", "race_date"])]
        ordering = ["race_date"]

    def __str__(self) -> str:
        return f"{self.race_name} ({self.race_date})"
