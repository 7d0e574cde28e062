"""The admin's read-only view of the triage queue's memory: attention flags are written only by
snapshot rebuilds (analytics.services.attention_flags), so the admin lists and shows them and
changes nothing. Imported by analytics/admin.py."""

from django.contrib import admin
from django.contrib.admin import ShowFacets

from analytics.models import AttentionFlag


class OpenFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return (("open", "Open"), ("closed", "Closed"))

    def queryset(self, request, queryset):
        if self.value() in ("open", "closed"):
            return queryset.filter(closed_at__isnull=self.value() == "open")
        return queryset


@admin.register(AttentionFlag)
class AttentionFlagAdmin(admin.ModelAdmin):
    list_display = ("user", "code", "severity", "since", "worsened_at", "closed_at")
    list_filter = (OpenFilter, "severity", "code")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__display_name", "user__email", "=user__public_id", "=public_id")
    date_hierarchy = "since"
    ordering = ("-since", "-pk")
    show_full_result_count = False
    show_facets = ShowFacets.NEVER
    readonly_fields = (
        "public_id",
        "user",
        "code",
        "severity",
        "severity_rank",
        "message",
        "value",
        "previous",
        "since",
        "worsened_at",
        "closed_at",
        "updated_at",
    )
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.method in ("GET", "HEAD") and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False
