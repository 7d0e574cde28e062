"""Admin building blocks every app's admin shares:

- `ScalableTabularInline`: an inline that shows at most `max_rows` rows (an organization can
  have 20,000 members; every row is ~7 POST fields and Django refuses more than
  DATA_UPLOAD_MAX_NUMBER_FIELDS) and labels its raw-id widgets without one query per row;
- `revoke_selected`: the "Revoke selected" action of access tokens and API keys;
- small display helpers (links, durations, distances) and the IANA time-zone check.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import model_ngettext
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.forms.models import BaseInlineFormSet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator

from astral.exceptions import InvalidInput
from astral.local_time import zone_from_name


def formset_athlete_ids(formset, field: str = "user") -> set[int]:
    """The athletes an inline formset's save touched (added, changed, moved or deleted rows)."""
    ids = set()
    for form in formset.forms:
        if form.has_changed():
            ids.add(form.initial.get(field))
            ids.add(getattr(form.instance, f"{field}_id", None))
    return ids - {None}


class PreloadedRawIdWidget(ForeignKeyRawIdWidget):
    """A raw-id widget that labels its value with the related object the form's instance already
    holds (the inline's queryset select_related it). The stock widget runs one query per row."""

    preloaded: dict | None = None  # {str(pk): obj}; assigned per form by PreloadedRawIdForm

    def label_and_url_for_value(self, value):
        obj = (self.preloaded or {}).get(str(value))
        if obj is None:
            return super().label_and_url_for_value(value)
        try:
            url = reverse(f"{self.admin_site.name}:{obj._meta.app_label}_{obj._meta.model_name}_change", args=(obj.pk,))
        except NoReverseMatch:
            url = ""
        return Truncator(obj).words(14), url


class PreloadedRawIdForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if not isinstance(field.widget, PreloadedRawIdWidget):
                continue
            model_field = self.instance._meta.get_field(name)
            if model_field.is_cached(self.instance):
                related = getattr(self.instance, name)
                if related is not None:
                    # Assign (never mutate): the widget's copies share class-level state.
                    field.widget.preloaded = {str(related.pk): related}


class CappedInlineFormSet(BaseInlineFormSet):
    """Shows (and saves) only the first `max_rows` related rows (model ordering, then pk). Each
    row's parent is the formset's own instance (its __str__ often names the parent: without
    this, every row would fetch the parent again)."""

    max_rows: int | None = None

    def get_queryset(self):
        if not hasattr(self, "_capped_queryset"):
            queryset = super().get_queryset()
            self._capped_queryset = queryset[: self.max_rows] if self.max_rows else queryset
        return self._capped_queryset

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if getattr(form.instance, self.fk.attname) == self.instance.pk:
            self.fk.set_cached_value(form.instance, self.instance)
        return form


class ScalableTabularInline(admin.TabularInline):
    """A tabular inline for relations that can be large. Raw-id foreign keys are labelled from
    the row's own select_related objects; past `max_rows` rows the heading says how many there
    are and where to see them all."""

    form = PreloadedRawIdForm
    formset = CappedInlineFormSet
    max_rows: int | None = 50
    extra = 1

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.raw_id_fields and "widget" not in kwargs:
            kwargs["widget"] = PreloadedRawIdWidget(db_field.remote_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.max_rows = self.max_rows
        if self.max_rows and obj is not None and obj.pk is not None:
            total = self._related_count(formset, obj)
            if total > self.max_rows:
                # Inline instances are built per request, so this does not leak between pages.
                heading = type(self).verbose_name_plural or self.model._meta.verbose_name_plural
                self.verbose_name_plural = (
                    f"{heading} — the first {self.max_rows} of {total} "
                    f"(all of them are in the {self.model._meta.verbose_name_plural} list)"
                )
        return formset

    def _related_count(self, formset, obj) -> int:
        cache = self.__dict__.setdefault("_related_counts", {})
        if obj.pk not in cache:
            cache[obj.pk] = self.model._default_manager.filter(**{formset.fk.name: obj}).count()
        return cache[obj.pk]


class ReadOnlyTabularInline(ScalableTabularInline):
    """A view-only inline (labels and API keys on an organization): change them on their own pages."""

    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.action(description="Revoke selected", permissions=["change"])
def revoke_selected(modeladmin, request, queryset):
    """Sets revoked_at = now on the selected credentials that are not revoked yet (a revocation
    time, once set, is kept). Takes effect on the next request: authentication reads the row."""
    selected = queryset.count()
    revoked = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    message = f"Revoked {revoked} {model_ngettext(modeladmin.opts, revoked)}."
    if selected > revoked:
        message += f" {selected - revoked} were already revoked."
    modeladmin.message_user(request, message, messages.SUCCESS)


def credential_state(obj) -> str:
    if obj.revoked_at is not None:
        return "revoked"
    expires_at = getattr(obj, "expires_at", None)
    if expires_at is not None and expires_at <= timezone.now():
        return "expired"
    return "active"


class CredentialStateFilter(admin.SimpleListFilter):
    """Active / expired (access tokens only) / revoked."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        expiring = any(field.name == "expires_at" for field in model_admin.model._meta.fields)
        states = ["active", "expired", "revoked"] if expiring else ["active", "revoked"]
        return [(state, state.capitalize()) for state in states]

    def queryset(self, request, queryset):
        expiring = any(field.name == "expires_at" for field in queryset.model._meta.fields)
        now = timezone.now()
        match self.value():
            case "revoked":
                return queryset.filter(revoked_at__isnull=False)
            case "expired":
                return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
            case "active" if expiring:
                return queryset.filter(revoked_at__isnull=True, expires_at__gt=now)
            case "active":
                return queryset.filter(revoked_at__isnull=True)
        return queryset


def admin_change_link(obj, label=None):
    """A link to `obj`'s admin change page ("-" for None)."""
    if obj is None:
        return "-"
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=(obj.pk,))
    return format_html('<a href="{}">{}</a>', url, label if label is not None else obj)


def changelist_link(model, label, **filters):
    """A link to `model`'s changelist filtered by `filters` (e.g. organization__id__exact=3)."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return format_html('<a href="{}?{}">{}</a>', url, urlencode(filters), label)


def format_duration(seconds) -> str:
    if seconds is None:
        return "-"
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_km(metres) -> str:
    return "-" if metres is None else f"{metres / 1000:.2f}"


def validate_iana_timezone(value: str) -> str:
    value = (value or "").strip()
    if value:
        try:
            zone_from_name(value)
        except InvalidInput as error:
            raise forms.ValidationError(error.message) from None
    return value
