"""Admin for training plans (with their workouts), plan instances and race goals."""

from datetime import timedelta

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.admin_data import AthleteDataAdminMixin
from astral.admin_shared import ScalableTabularInline, format_duration, format_km
from plans.models import PlanInstance, PlannedWorkout, PlanStatus, RaceGoal, TrainingPlan


def _count_of(model, fk: str):
    rows = model.objects.filter(**{fk: OuterRef("pk")}).order_by().values(fk).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=models.IntegerField()), 0)


# --- Plans and their workouts -------------------------------------------------------------------


class PlannedWorkoutForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        plan, week, day = cleaned.get("plan"), cleaned.get("week"), cleaned.get("day")
        if day is not None and not 1 <= day <= 7:
            self.add_error("day", "Day must be 1 (Monday) … 7 (Sunday).")
        if week is not None and plan is not None and plan.total_weeks is not None and not 1 <= week <= plan.total_weeks:
            self.add_error("week", f"Week must be 1 … {plan.total_weeks} (the plan's total weeks).")
        return cleaned


class PlannedWorkoutInline(ScalableTabularInline):
    model = PlannedWorkout
    form = PlannedWorkoutForm
    fields = ("week", "day", "type", "distance", "duration", "description")
    # ~9 POST fields a row: 100 rows stay under DATA_UPLOAD_MAX_NUMBER_FIELDS (1000). Longer
    # plans are edited in the planned-workout list (filtered by plan, editable in place).
    max_rows = 100


@admin.register(TrainingPlan)
class TrainingPlanAdmin(admin.ModelAdmin):
    inlines = (PlannedWorkoutInline,)
    fields = ("public_id", "name", "description", "organization", "total_weeks", "created_by", "created_at")
    list_display = (
        "name",
        "public_id",
        "organization",
        "total_weeks",
        "workout_count",
        "instance_count",
        "created_by",
        "created_at",
    )
    list_select_related = ("organization", "created_by")
    search_fields = ("name", "=public_id", "organization__name")
    autocomplete_fields = ("organization", "created_by")
    readonly_fields = ("public_id", "created_at")
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                workout_total=_count_of(PlannedWorkout, "plan"),
                instance_total=_count_of(PlanInstance, "plan"),
            )
        )

    @admin.display(description="workouts", ordering="workout_total")
    def workout_count(self, obj):
        return obj.workout_total

    @admin.display(description="assigned", ordering="instance_total")
    def instance_count(self, obj):
        return obj.instance_total


@admin.register(PlannedWorkout)
class PlannedWorkoutAdmin(admin.ModelAdmin):
    form = PlannedWorkoutForm
    list_display = ("workout", "plan", "week", "day", "type", "distance", "duration", "description")
    list_display_links = ("workout",)
    list_editable = ("week", "day", "type", "distance", "duration", "description")
    list_filter = ("type",)
    list_select_related = ("plan",)
    search_fields = ("plan__name", "=plan__public_id", "description")
    autocomplete_fields = ("plan",)
    ordering = ("plan", "week", "day", "pk")
    list_per_page = 100

    @admin.display(description="workout")
    def workout(self, obj):
        return str(obj)


# --- Plan instances -----------------------------------------------------------------------------


class PlanStatusFilter(admin.SimpleListFilter):
    """The status derives from the start date and the plan length (today in the server's zone).
    Completed = started at least total_weeks × 7 days ago; the few distinct plan lengths give
    one date bound each, so no date arithmetic runs in SQL."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return PlanStatus.choices

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if value == PlanStatus.CANCELLED:
            return queryset.filter(cancelled=True)
        today = timezone.localdate()
        live = queryset.filter(cancelled=False)
        if value == PlanStatus.SCHEDULED:
            return live.filter(start_date__gt=today)
        started = live.filter(start_date__lte=today)
        running = Q(pk__in=[])
        for weeks in TrainingPlan.objects.order_by().values_list("total_weeks", flat=True).distinct():
            running |= Q(plan__total_weeks=weeks, start_date__gt=today - timedelta(weeks=weeks))
        if value == PlanStatus.ACTIVE:
            return started.filter(running)
        if value == PlanStatus.COMPLETED:
            return started.exclude(running)
        return queryset


@admin.register(PlanInstance)
class PlanInstanceAdmin(AthleteDataAdminMixin, admin.ModelAdmin):
    athlete_field = "athlete"
    fields = (
        "public_id",
        "plan",
        "athlete",
        "start_date",
        "cancelled",
        "assigned_by",
        "plan_status",
        "week",
        "created_at",
    )
    list_display = ("public_id", "plan", "athlete", "start_date", "plan_status", "week", "cancelled", "assigned_by")
    list_filter = (PlanStatusFilter, "cancelled")
    list_select_related = ("plan", "athlete", "assigned_by")
    search_fields = (
        "=public_id",
        "plan__name",
        "athlete__username",
        "athlete__display_name",
        "athlete__email",
        "=athlete__public_id",
    )
    autocomplete_fields = ("plan", "athlete", "assigned_by")
    readonly_fields = ("public_id", "created_at", "plan_status", "week")
    date_hierarchy = "start_date"

    @admin.display(description="status")
    def plan_status(self, obj):
        if obj.pk is None:
            return "-"
        return PlanStatus(obj.status(timezone.localdate())).label

    @admin.display(description="current week")
    def week(self, obj):
        if obj.pk is None:
            return "-"
        return f"{obj.current_week(timezone.localdate())} / {obj.plan.total_weeks}"


@admin.register(RaceGoal)
class RaceGoalAdmin(AthleteDataAdminMixin, admin.ModelAdmin):
    athlete_field = "athlete"
    fields = ("public_id", "athlete", "race_name", "race_date", "distance", "goal_time", "created_at")
    list_display = ("race_name", "athlete", "race_date", "distance_km", "goal", "public_id")
    list_select_related = ("athlete",)
    search_fields = ("race_name", "=public_id", "athlete__username", "athlete__display_name", "=athlete__public_id")
    autocomplete_fields = ("athlete",)
    readonly_fields = ("public_id", "created_at")
    date_hierarchy = "race_date"

    @admin.display(description="distance (km)", ordering="distance")
    def distance_km(self, obj):
        return format_km(obj.distance)

    @admin.display(description="goal time", ordering="goal_time")
    def goal(self, obj):
        return format_duration(obj.goal_time)
