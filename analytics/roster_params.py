"""The roster's filters, parsed once for coach_athletes_metrics and the Athletes page: each bad
value raises the domain error naming it (the API answers it, the page shows it as a notice)."""

from accounts.models import User
from analytics.selectors.roster import RosterFilters
from astral.exceptions import NotFound, invalid
from astral.ids import is_public_id
from astral.params import bool_param
from astral.principals import is_api_key
from organizations.models import Group, Organization
from organizations.selectors import staff_memberships

SEARCH_MAX, LABEL_MAX = 100, 64


def roster_filters(
    params, organization: Organization, viewer, *, unassigned_param: str = "unassigned_only"
) -> RosterFilters:
    """`filter_by_coach` (the viewer; not for API keys), `coach_id` (a staff member of the
    organization), `group_id` (one of its groups), the `unassigned_param` flag (not with a group),
    `search` and `label` (trimmed, capped)."""
    group_id, unassigned = params.get("group_id"), bool(bool_param(params, unassigned_param))
    if group_id and unassigned:
        raise invalid(unassigned_param, f"group_id and {unassigned_param} cannot be combined.", "CONFLICT")
    return RosterFilters(
        coach_pk=_coach_pk(params, organization, viewer),
        group_pk=_group_pk(group_id, organization) if group_id else None,
        unassigned_only=unassigned,
        search=(params.get("search") or "").strip()[:SEARCH_MAX],
        label=(params.get("label") or "").strip()[:LABEL_MAX],
    )


def roster_filters_by_public_id(params, *, unassigned_param: str = "unassigned_only") -> dict:
    """The filters as a cache key holds them: the public ids `roster_filters` validated, never pks
    (`filter_by_coach` means the viewer, who is in the key already)."""
    by_me = bool(bool_param(params, "filter_by_coach"))
    return {
        "filter_by_coach": by_me,
        "coach_id": None if by_me else (params.get("coach_id") or None),
        "group_id": params.get("group_id") or None,
        "unassigned_only": bool(bool_param(params, unassigned_param)),
        "search": (params.get("search") or "").strip()[:SEARCH_MAX],
        "label": (params.get("label") or "").strip()[:LABEL_MAX],
    }


def _group_pk(group_id: str, organization: Organization) -> int:
    group_pk = None
    if is_public_id(group_id, Group):
        group_pk = Group.objects.filter(organization=organization, public_id=group_id).values_list("pk", flat=True)
        group_pk = group_pk.first()
    if group_pk is None:
        raise NotFound(f"Group '{group_id}' not found in this organization.", "GROUP_NOT_FOUND", field="group_id")
    return group_pk


def _coach_pk(params, organization: Organization, viewer) -> int | None:
    if bool_param(params, "filter_by_coach"):
        if is_api_key(viewer):
            raise invalid("filter_by_coach", "filter_by_coach needs a coach's token, not an API key.")
        return viewer.pk
    coach_id = params.get("coach_id")
    if not coach_id:
        return None
    coach_pk = None
    if is_public_id(coach_id, User):
        coach_pk = staff_memberships(organization=organization, user__public_id=coach_id)
        coach_pk = coach_pk.values_list("user_id", flat=True).first()
    if coach_pk is None:
        raise invalid("coach_id", "coach_id is not a coach of this organization.", "INVALID_COACH")
    return coach_pk
