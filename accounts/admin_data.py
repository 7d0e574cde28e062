"""`AthleteDataAdminMixin`: an admin write to an athlete's data marks it changed, exactly as the
API's services do (`accounts.services.user_data_changed`), so cached metrics go stale. Every app's
admin uses it; it lives in the lowest app so that none of them reaches upward."""

from accounts.services import user_data_changed


class AthleteDataAdminMixin:
    """Saves and deletions bump the athlete's `data_version` (before and after: a row moved from
    one athlete to another changes both). `athlete_field` is the lookup from the model to the user."""

    athlete_field = "user"
    bump_on_save = True  # False for containers (organizations, groups): only their deletion counts

    def _athlete_ids(self, queryset) -> set[int]:
        return set(queryset.values_list(self.athlete_field, flat=True)) - {None}

    def save_model(self, request, obj, form, change):
        if not self.bump_on_save:
            return super().save_model(request, obj, form, change)
        before = self._athlete_ids(self.model._default_manager.filter(pk=obj.pk)) if change else set()
        super().save_model(request, obj, form, change)
        user_data_changed(user_ids=before | self._athlete_ids(self.model._default_manager.filter(pk=obj.pk)))

    def delete_model(self, request, obj):
        ids = self._athlete_ids(self.model._default_manager.filter(pk=obj.pk))
        super().delete_model(request, obj)
        user_data_changed(user_ids=ids)

    def delete_queryset(self, request, queryset):
        ids = self._athlete_ids(queryset)
        super().delete_queryset(request, queryset)
        user_data_changed(user_ids=ids)
