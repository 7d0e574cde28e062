"""Admin for users, their integrations and their API access tokens (shared admin building
blocks are in astral.admin_shared)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from accounts.admin_data import AthleteDataAdminMixin
from accounts.api.serializers import ProfileUpdateSerializer
from accounts.deletion import user_delete, user_deletion_blockers
from accounts.models import AccessToken, Integration, Provider, User
from accounts.services import PROFILE_FIELDS, user_data_changed
from astral.admin_shared import (
    CredentialStateFilter,
    credential_state,
    revoke_selected,
    validate_iana_timezone,
)

# --- Users --------------------------------------------------------------------------------------


def _flatten_errors(errors):
    if isinstance(errors, dict):
        for value in errors.values():
            yield from _flatten_errors(value)
    elif isinstance(errors, list | tuple):
        for value in errors:
            yield from _flatten_errors(value)
    else:
        yield str(errors)


class ProfileValidationMixin:
    """The profile rules of the API (`PATCH users/me`, accounts.api.serializers) apply in the
    admin too: IANA time zone, HR/pace zone shapes, plausible heart rates, VDOT range. Only the
    fields being changed are checked, so a legacy value never blocks e.g. deactivating a user."""

    def clean_timezone(self):
        value = self.cleaned_data.get("timezone")
        return validate_iana_timezone(value) if "timezone" in self.changed_data else value

    def clean(self):
        cleaned = super().clean()
        changed = set(self.changed_data)
        if changed & {"max_heart_rate", "resting_heart_rate"}:
            changed |= {"max_heart_rate", "resting_heart_rate"}  # checked as a pair
        payload = {
            name: cleaned[name]
            for name in PROFILE_FIELDS
            if name in changed and name in cleaned and name != "timezone" and cleaned[name] not in ("", None)
        }
        serializer = ProfileUpdateSerializer(data=payload)
        if not serializer.is_valid():
            for field, errors in serializer.errors.items():
                target = field if field in self.fields and field in cleaned else None
                for message in _flatten_errors(errors):
                    self.add_error(target, message)
        return cleaned


class AdminUserChangeForm(ProfileValidationMixin, UserChangeForm):
    pass


class AdminUserAddForm(ProfileValidationMixin, AdminUserCreationForm):
    pass


class IntegrationInline(admin.TabularInline):
    model = Integration
    fields = ("provider", "connected", "status", "connected_at", "updated_at")
    readonly_fields = ("updated_at",)
    extra = 0
    max_num = len(Provider.choices)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = AdminUserChangeForm
    add_form = AdminUserAddForm
    inlines = (IntegrationInline,)
    fieldsets = (
        (None, {"fields": ("username", "password", "public_id", "role")}),
        ("Personal info", {"fields": ("display_name", "first_name", "last_name", "email", "profile_image_url")}),
        ("Preferences", {"fields": ("timezone", "unit_system", "push_token")}),
        (
            "Physiology",
            {"fields": ("sex", "max_heart_rate", "resting_heart_rate", "hr_zones", "pace_zones", "vdot")},
        ),
        (
            "Permissions",
            {
                "classes": ("collapse",),
                "fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions"),
            },
        ),
        ("Important dates", {"fields": ("last_login", "date_joined", "data_version")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (
            "Profile",
            {
                "classes": ("wide",),
                "fields": ("email", "display_name", "role", "timezone", "unit_system", "sex"),
            },
        ),
    )
    readonly_fields = ("public_id", "data_version", "last_login", "date_joined")
    list_display = ("username", "display_name", "email", "role", "public_id", "is_staff", "is_active", "date_joined")
    list_filter = ("role", "is_staff", "is_superuser", "is_active", "unit_system", "sex")
    search_fields = ("username", "display_name", "first_name", "last_name", "email", "=public_id")
    ordering = ("username",)

    def save_model(self, request, obj, form, change):
        if change:
            # data_version is bumped in SQL (below); never write back the value read with the form.
            fields = [f.name for f in obj._meta.concrete_fields if not f.primary_key and f.name != "data_version"]
            obj.save(update_fields=fields)
        else:
            super().save_model(request, obj, form, change)

    # Deleting (one user, or the bulk action) goes through accounts.deletion.user_delete, like
    # `DELETE users/me`: the other apps' vetoes (an organization's last admin) are shown on the
    # confirmation page as reasons the deletion cannot happen, and nothing is deleted.
    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        vetoes = [f"{user}: {error.message}" for user in objs for error in user_deletion_blockers(user=user)]
        return deleted, model_count, perms_needed, [*protected, *vetoes]

    def delete_model(self, request, obj):
        user_delete(user=obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            user_delete(user=user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            user_data_changed(user_ids=[form.instance.pk])


@admin.register(Integration)
class IntegrationAdmin(AthleteDataAdminMixin, admin.ModelAdmin):
    list_display = ("user", "provider", "connected", "status", "connected_at", "updated_at")
    list_filter = ("provider", "connected", "status")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__email", "user__display_name", "=user__public_id")
    autocomplete_fields = ("user",)
    readonly_fields = ("updated_at",)
    date_hierarchy = "connected_at"


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    """Bearer tokens are issued by the API (login) and shown once. Here: see, revoke, delete.
    The stored digest is never shown: it identifies a token and has no use in the admin."""

    fields = ("user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "prefix", "token_hash", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_display = ("prefix", "user", "state", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = (CredentialStateFilter, "created_at")
    list_select_related = ("user",)
    search_fields = ("^prefix", "user__username", "user__email", "=user__public_id")
    actions = (revoke_selected,)
    date_hierarchy = "created_at"
    show_full_result_count = False

    @admin.display(description="state")
    def state(self, obj):
        return credential_state(obj)

    def has_add_permission(self, request):
        return False
