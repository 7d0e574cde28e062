"""Admin for invitations: read them, find them, revoke pending ones.

Invitations are made by an organization's staff (the API and the Athletes page), so that the
mail, the renewal of an open invitation and the consent rules have one path; the admin shows
them and can revoke, but never accepts on anyone's behalf.
"""

from django.contrib import admin, messages
from django.utils import timezone

from organizations.models import Invitation, InvitationStatus
from organizations.selectors import invitations_with_status


class EffectiveStatusFilter(admin.SimpleListFilter):
    """The status a person reads: a pending invitation past its expiry is expired."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return InvitationStatus.choices

    def queryset(self, request, queryset):
        return invitations_with_status(queryset, self.value()) if self.value() else queryset


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("public_id", "email", "invitee", "organization", "role", "status_now", "invited_by", "expires_at")
    list_filter = (EffectiveStatusFilter, "role")
    list_select_related = ("invitee", "organization", "invited_by")
    search_fields = ("=public_id", "email", "invitee__username", "invitee__email", "organization__name")
    date_hierarchy = "created_at"
    actions = ("revoke_pending",)
    fields = (
        "public_id",
        "organization",
        "email",
        "invitee",
        "role",
        "status_now",
        "invited_by",
        "created_at",
        "expires_at",
        "responded_at",
        "responded_by",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="status")
    def status_now(self, obj):
        return obj.effective_status

    @admin.action(description="Revoke the selected pending invitations")
    def revoke_pending(self, request, queryset):
        revoked = queryset.filter(status=InvitationStatus.PENDING, expires_at__gt=timezone.now()).update(
            status=InvitationStatus.REVOKED, responded_at=timezone.now()
        )
        self.message_user(request, f"Revoked {revoked} pending invitation(s).", messages.SUCCESS)
