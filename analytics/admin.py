"""Admin for activities (and their samples), daily wellness, metric snapshots and insights.

Every write here marks the athlete's data as changed (accounts.services.user_data_changed), as
the API does, so snapshots and cached answers computed before are not served again. Editing an
activity does not recompute its derived fields (training load, pace-zone times).
"""

import json

from django import forms
from django.contrib import admin
from django.contrib.admin import ShowFacets
from django.utils import timezone
from django.utils.html import format_html

from accounts.admin_data import AthleteDataAdminMixin
from analytics.models import Activity, ActivitySamples, DailyWellness, Insight, InsightKind, MetricsSnapshot
from analytics.services.activities import DERIVED_FIELDS, activity_metrics_derive
from astral.admin_shared import (
    admin_change_link,
    format_duration,
    format_km,
    validate_iana_timezone,
)

USER_SEARCH = ("user__username", "user__display_name", "user__email", "=user__public_id")


class ActivityForm(forms.ModelForm):
    def clean_timezone(self):
        return validate_iana_timezone(self.cleaned_data.get("timezone"))


@admin.register(Activity)
class ActivityAdmin(AthleteDataAdminMixin, admin.ModelAdmin):
    form = ActivityForm
    list_display = (
        "public_id",
        "user",
        "sport",
        "start_time",
        "distance_km",
        "moving_time",
        "training_load",
        "source",
    )
    list_filter = ("sport", "source")
    list_select_related = ("user",)
    search_fields = ("=public_id", *USER_SEARCH, "=external_id")
    autocomplete_fields = ("user",)
    date_hierarchy = "start_time"
    show_full_result_count = False  # no second COUNT(*) over every activity on filtered pages
    show_facets = ShowFacets.NEVER  # per-filter counts over every activity: too heavy on demand
    # Derived numbers are computed from the athlete's profile on save, exactly as the API does.
    readonly_fields = ("public_id", "created_at", "updated_at", "file_hash", "samples_link", *DERIVED_FIELDS)
    fieldsets = (
        (None, {"fields": ("public_id", "user", "sport", "start_time", "timezone", "source")}),
        (
            "Effort",
            {
                "fields": (
                    "distance",
                    "duration",
                    "elapsed_time",
                    "elevation_gain",
                    "avg_heart_rate",
                    "max_heart_rate",
                    "calories",
                    "training_load",
                )
            },
        ),
        (
            "Seconds in pace zones",
            {"fields": ("pace_z1_time", "pace_z2_time", "pace_z3_time", "pace_z4_time", "pace_z5_time")},
        ),
        ("Import", {"fields": ("external_id", "file_hash", "samples_link", "created_at", "updated_at")}),
    )

    def save_model(self, request, obj, form, change):
        samples = obj.samples.data if obj.pk and hasattr(obj, "samples") else None
        activity_metrics_derive(obj, obj.user, samples)
        super().save_model(request, obj, form, change)

    @admin.display(description="distance (km)", ordering="distance")
    def distance_km(self, obj):
        return format_km(obj.distance)

    @admin.display(description="duration", ordering="duration")
    def moving_time(self, obj):
        return format_duration(obj.duration)

    @admin.display(description="samples")
    def samples_link(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        samples = ActivitySamples.objects.filter(activity=obj).only("pk").first()
        return admin_change_link(samples, "recorded samples") if samples else "none"


@admin.register(ActivitySamples)
class ActivitySamplesAdmin(AthleteDataAdminMixin, admin.ModelAdmin):
    athlete_field = "activity__user"
    list_display = ("pk", "activity_id_display", "activity", "athlete")
    list_display_links = ("pk", "activity_id_display")
    list_select_related = ("activity__user",)
    search_fields = (
        "=activity__public_id",
        "activity__user__username",
        "activity__user__display_name",
        "=activity__user__public_id",
    )
    autocomplete_fields = ("activity",)
    show_full_result_count = False

    def get_queryset(self, request):
        # The sample arrays can be large: the list never reads them (the change page does).
        return super().get_queryset(request).defer("data")

    @admin.display(description="activity id", ordering="activity__public_id")
    def activity_id_display(self, obj):
        return obj.activity.public_id

    @admin.display(description="athlete", ordering="activity__user__username")
    def athlete(self, obj):
        return obj.activity.user


class DailyWellnessForm(forms.ModelForm):
    def clean_recovery_score(self):
        value = self.cleaned_data.get("recovery_score")
        if value is not None and not 0 <= value <= 100:
            raise forms.ValidationError("The recovery score is 0–100.")
        return value


@admin.register(DailyWellness)
class DailyWellnessAdmin(AthleteDataAdminMixin, admin.ModelAdmin):
    form = DailyWellnessForm
    list_display = ("user", "date", "resting_heart_rate", "hrv", "vo2_max", "recovery_score", "sleep_hours")
    list_select_related = ("user",)
    search_fields = USER_SEARCH
    autocomplete_fields = ("user",)
    readonly_fields = ("updated_at",)
    date_hierarchy = "date"
    show_full_result_count = False
    show_facets = ShowFacets.NEVER


@admin.register(MetricsSnapshot)
class MetricsSnapshotAdmin(admin.ModelAdmin):
    """A cache rebuilt by Celery: read-only here. Deleting one only makes the next read recompute."""

    fields = ("user", "data_version", "fresh", "computed_at", "pretty_data")
    readonly_fields = fields
    list_display = ("user", "data_version", "fresh", "computed_at")
    list_select_related = ("user",)
    search_fields = USER_SEARCH
    date_hierarchy = "computed_at"

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data")

    @admin.display(description="fresh", boolean=True)
    def fresh(self, obj):
        """Computed from the athlete's current data (`User.data_version`)."""
        return obj.data_version >= obj.user.data_version

    @admin.display(description="data")
    def pretty_data(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.data, indent=2, sort_keys=True, default=str))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class InsightForm(forms.ModelForm):
    REQUIRED = {InsightKind.ACTIVITY: "activity", InsightKind.GROUP: "group", InsightKind.WEEKLY_SUMMARY: "user"}

    def clean(self):
        cleaned = super().clean()
        needed = self.REQUIRED.get(cleaned.get("kind"))
        if needed and not cleaned.get(needed) and needed not in self.errors:
            self.add_error(needed, f"A {cleaned['kind'].replace('_', ' ')} insight needs a {needed}.")
        return cleaned


@admin.register(Insight)
class InsightAdmin(admin.ModelAdmin):
    form = InsightForm
    fields = ("kind", "user", "group", "activity", "text", "generated_at")
    list_display = ("kind", "user", "group", "activity", "generated_at", "excerpt")
    list_filter = ("kind",)
    list_select_related = ("user", "group", "activity")
    search_fields = ("text", *USER_SEARCH, "group__name", "=activity__public_id")
    autocomplete_fields = ("user", "group", "activity")
    readonly_fields = ("generated_at",)
    date_hierarchy = "generated_at"
    show_full_result_count = False
    show_facets = ShowFacets.NEVER

    @admin.display(description="text")
    def excerpt(self, obj):
        return obj.text if len(obj.text) <= 80 else obj.text[:79] + "…"

    def save_model(self, request, obj, form, change):
        if obj.generated_at is None:
            obj.generated_at = timezone.now()
        super().save_model(request, obj, form, change)


from analytics import attention_admin  # noqa: E402, F401  (registers AttentionFlag, read-only)
