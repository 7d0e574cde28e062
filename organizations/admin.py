"""Admin for organizations, their members, labels, groups and API keys.

The forms apply the domain rules of organizations.services (coach/admin roles need a coach
account, an assigned coach must be active staff of the organization, labels belong to the
membership's organization, group members must be active members of the group's organization).
They check what a save changes: a row that was already out of line does not block an
unrelated edit.
"""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import format_html_join

from accounts.admin_data import AthleteDataAdminMixin
from accounts.services import user_data_changed
from astral.admin_shared import (
    CappedInlineFormSet,
    CredentialStateFilter,
    PreloadedRawIdForm,
    ReadOnlyTabularInline,
    ScalableTabularInline,
    changelist_link,
    credential_state,
    formset_athlete_ids,
    revoke_selected,
)
from organizations.access import can_hold_role
from organizations.models import STAFF_ROLES, ApiKey, Group, GroupMembership, Label, Membership, Organization
from organizations.selectors import staff_memberships

ROLE_NEEDS_COACH = "Only a coach account can have a coach or admin role."
REJOIN_NEEDS_CONSENT = "A former member rejoins only by accepting a new invitation (Invitations)."
COACH_NOT_STAFF = "The assigned coach must be an active coach or admin of this organization."
NOT_A_MEMBER = "Only active members of the organization can join its groups."


def _count_of(model, fk: str, **filters):
    """A correlated COUNT(*) of `model` rows pointing at the outer row (no join fan-out)."""
    rows = (
        model.objects.filter(**{fk: OuterRef("pk")}, **filters)
        .order_by()
        .values(fk)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=models.IntegerField()), 0)


def _role_error(user, role) -> str | None:
    if user is not None and not can_hold_role(user, role):
        return ROLE_NEEDS_COACH
    return None


def _staff_user_ids(organization, exclude_pks=()) -> set[int]:
    if organization is None or organization.pk is None:
        return set()
    rows = staff_memberships(organization=organization)
    return set(rows.exclude(pk__in=[pk for pk in exclude_pks if pk]).values_list("user_id", flat=True))


# --- Memberships --------------------------------------------------------------------------------


def _check_active_change(form) -> None:
    """Consent is the member's to give: the admin can end a membership (recording when), never
    restore one."""
    if "active" not in form.changed_data:
        return
    if form.cleaned_data.get("active"):
        form.add_error("active", REJOIN_NEEDS_CONSENT)
    else:
        form.instance.left_at = timezone.now()


class MembershipForm(forms.ModelForm):
    """The Membership page: labels are limited to the membership's organization. Memberships are
    made only by accepted invitations, so this page edits existing ones (never who or where)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = self.fields.get("labels")
        if labels is not None:
            organization_id = self.instance.organization_id
            queryset = Label.objects.select_related("organization")
            labels.queryset = queryset.filter(organization_id=organization_id) if organization_id else queryset
            if not organization_id:
                labels.help_text = "Labels of the chosen organization only."

    def clean(self):
        cleaned = super().clean()
        organization, user = self.instance.organization, self.instance.user  # read-only here
        role, active, coach = cleaned.get("role"), cleaned.get("active"), cleaned.get("assigned_coach")
        changed = set(self.changed_data)
        role_error = _role_error(user, role) if "role" in changed else None
        if role_error:
            self.add_error("role", role_error)
        _check_active_change(self)
        if coach is not None and "assigned_coach" in changed:
            staff = _staff_user_ids(organization, exclude_pks=[self.instance.pk])
            if user is not None and active and role in STAFF_ROLES and not role_error:
                staff.add(user.pk)
            if coach.pk not in staff:
                self.add_error("assigned_coach", COACH_NOT_STAFF)
        labels = cleaned.get("labels")
        if labels and "labels" in changed:
            foreign = [label.name for label in labels if label.organization_id != organization.pk]
            if foreign:
                self.add_error("labels", f"Not labels of {organization}: {', '.join(foreign)}.")
        return cleaned


class MembershipInlineForm(PreloadedRawIdForm):
    def clean(self):
        cleaned = super().clean()
        error = _role_error(self.instance.user if self.instance.pk else None, cleaned.get("role"))
        if error and "role" in self.changed_data:
            self.add_error("role", error)
        _check_active_change(self)
        return cleaned


class MembershipInlineFormSet(CappedInlineFormSet):
    """Checks assigned coaches against the staff the organization will have after this save:
    the stored staff outside this formset plus the staff rows being saved with it. A row is
    checked when it changed or when its coach stops being staff with this save."""

    def clean(self):
        super().clean()
        live = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not (self.can_delete and self._should_delete_form(form))
        ]
        staff_before = _staff_user_ids(self.instance)
        staff = _staff_user_ids(self.instance, exclude_pks=[form.instance.pk for form in self.initial_forms])
        for form in live:
            data = form.cleaned_data
            if data.get("active") and data.get("role") in STAFF_ROLES:
                staff.add(form.instance.user_id)
        for form in live:
            coach = form.cleaned_data.get("assigned_coach")
            if coach is None or coach.pk in staff:
                continue
            if form.has_changed() or coach.pk in staff_before:
                form.add_error("assigned_coach", COACH_NOT_STAFF)


class MembershipInline(ScalableTabularInline):
    model = Membership
    form = MembershipInlineForm
    formset = MembershipInlineFormSet
    fields = ("user", "role", "active", "assigned_coach", "joined_at", "left_at")
    readonly_fields = ("user", "joined_at", "left_at")
    raw_id_fields = ("assigned_coach",)
    max_rows = 50
    show_change_link = True  # labels are edited on the membership's own page
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False  # a membership starts when the invitee accepts an invitation

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "assigned_coach")


@admin.register(Membership)
class MembershipAdmin(AthleteDataAdminMixin, admin.ModelAdmin):
    form = MembershipForm
    list_display = ("user", "organization", "role", "active", "assigned_coach", "label_names", "joined_at")
    list_filter = ("role", "active")
    list_select_related = ("user", "organization", "assigned_coach")
    search_fields = (
        "user__username",
        "user__display_name",
        "user__email",
        "=user__public_id",
        "organization__name",
        "=organization__public_id",
    )
    autocomplete_fields = ("assigned_coach",)
    readonly_fields = ("user", "organization", "joined_at", "updated_at", "left_at")
    date_hierarchy = "joined_at"

    def has_add_permission(self, request):
        return False  # a membership starts when the invitee accepts an invitation (see Invitations)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("labels")

    @admin.display(description="labels")
    def label_names(self, obj):
        return ", ".join(label.name for label in obj.labels.all()) or "-"


# --- Groups -------------------------------------------------------------------------------------


class GroupMembershipForm(PreloadedRawIdForm):
    def clean(self):
        cleaned = super().clean()
        group, user = cleaned.get("group"), cleaned.get("user")
        if (
            group is not None
            and user is not None
            and ("user" in self.changed_data or "group" in self.changed_data)
            and not Membership.objects.filter(organization_id=group.organization_id, user=user, active=True).exists()
        ):
            self.add_error("user", NOT_A_MEMBER)
        return cleaned


class GroupMembershipInline(ScalableTabularInline):
    model = GroupMembership
    form = GroupMembershipForm
    fields = ("user", "added_at")
    readonly_fields = ("added_at",)
    raw_id_fields = ("user",)
    max_rows = 100
    verbose_name = "member"
    verbose_name_plural = "members"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(Group)
class GroupAdmin(AthleteDataAdminMixin, admin.ModelAdmin):
    athlete_field = "group_memberships__user"
    bump_on_save = False
    inlines = (GroupMembershipInline,)
    fields = ("public_id", "organization", "name", "description", "created_at")
    list_display = ("name", "organization", "public_id", "member_count", "created_at")
    list_select_related = ("organization",)
    search_fields = ("name", "=public_id", "organization__name", "=organization__public_id")
    autocomplete_fields = ("organization",)
    readonly_fields = ("public_id", "created_at")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_total=_count_of(GroupMembership, "group"))

    @admin.display(description="members", ordering="member_total")
    def member_count(self, obj):
        return obj.member_total

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        user_data_changed(user_ids=formset_athlete_ids(formset))


@admin.register(GroupMembership)
class GroupMembershipAdmin(AthleteDataAdminMixin, admin.ModelAdmin):
    form = GroupMembershipForm
    list_display = ("user", "group", "organization", "added_at")
    list_select_related = ("user", "group__organization")
    search_fields = ("user__username", "user__display_name", "user__email", "=user__public_id", "group__name")
    autocomplete_fields = ("group", "user")
    readonly_fields = ("added_at",)

    @admin.display(description="organization", ordering="group__organization__name")
    def organization(self, obj):
        return obj.group.organization


# --- Labels and API keys ------------------------------------------------------------------------


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    fields = ("public_id", "organization", "name", "color")
    list_display = ("name", "organization", "color", "public_id", "member_count")
    list_select_related = ("organization",)
    search_fields = ("name", "=public_id", "organization__name")
    autocomplete_fields = ("organization",)
    readonly_fields = ("public_id",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_total=_count_of(Membership.labels.through, "label"))

    @admin.display(description="members", ordering="member_total")
    def member_count(self, obj):
        return obj.member_total


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are created by the API and shown once; the stored digest is never displayed.
    Here: rename, revoke (action), delete."""

    fields = ("public_id", "name", "organization", "prefix", "created_by", "created_at", "last_used_at", "revoked_at")
    readonly_fields = (
        "public_id",
        "organization",
        "prefix",
        "key_hash",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    list_display = ("name", "organization", "prefix", "state", "public_id", "created_by", "created_at", "last_used_at")
    list_filter = (CredentialStateFilter, "created_at")
    list_select_related = ("organization", "created_by")
    search_fields = ("name", "^prefix", "=public_id", "organization__name", "=organization__public_id")
    actions = (revoke_selected,)

    @admin.display(description="state")
    def state(self, obj):
        return credential_state(obj)

    def has_add_permission(self, request):
        return False


# --- Organizations ------------------------------------------------------------------------------


class GroupInline(ScalableTabularInline):
    model = Group
    fields = ("name", "description", "public_id", "member_count", "created_at")
    readonly_fields = ("public_id", "member_count", "created_at")
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 1, "cols": 40})}}
    show_change_link = True  # members are edited on the group's page
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_total=_count_of(GroupMembership, "group"))

    @admin.display(description="members")
    def member_count(self, obj):
        return getattr(obj, "member_total", 0)


class LabelInline(ReadOnlyTabularInline):
    model = Label
    fields = readonly_fields = ("name", "color", "public_id")
    max_rows = 30


class ApiKeyInline(ReadOnlyTabularInline):
    model = ApiKey
    fields = readonly_fields = ("name", "prefix", "state", "public_id", "created_at", "last_used_at", "revoked_at")
    max_rows = 30

    @admin.display(description="state")
    def state(self, obj):
        return credential_state(obj)


@admin.register(Organization)
class OrganizationAdmin(AthleteDataAdminMixin, admin.ModelAdmin):
    athlete_field = "memberships__user"
    bump_on_save = False
    inlines = (MembershipInline, GroupInline, LabelInline, ApiKeyInline)
    fields = ("public_id", "name", "created_by", "created_at", "related_lists")
    list_display = ("name", "public_id", "member_count", "group_count", "created_by", "created_at")
    list_select_related = ("created_by",)
    search_fields = ("name", "=public_id", "created_by__username")
    autocomplete_fields = ("created_by",)
    readonly_fields = ("public_id", "created_at", "related_lists")
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                member_total=_count_of(Membership, "organization", active=True),
                group_total=_count_of(Group, "organization"),
            )
        )

    @admin.display(description="active members", ordering="member_total")
    def member_count(self, obj):
        return obj.member_total

    @admin.display(description="groups", ordering="group_total")
    def group_count(self, obj):
        return obj.group_total

    @admin.display(description="full lists")
    def related_lists(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        links = [
            (changelist_link(model, label, organization__id__exact=obj.pk),)
            for model, label in (
                (Membership, "memberships"),
                (Group, "groups"),
                (Label, "labels"),
                (ApiKey, "API keys"),
            )
        ]
        return format_html_join(" · ", "{}", links)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Membership:
            user_data_changed(user_ids=formset_athlete_ids(formset))


from organizations import invitation_admin  # noqa: E402, F401  (registers InvitationAdmin)
