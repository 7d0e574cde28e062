"""The pages' "Download CSV" links (session login): the same parsers, selectors and streamed CSV
as `format=csv` on coach_athletes_metrics, activities and wellness (analytics.downloads).

A download cannot show a notice beside the table, so a bad filter is the 400 page (the Athletes
page itself shows it as a notice); another coach's athlete is the 403/404 page the profile gives.
"""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from analytics.downloads import activities_csv_response, roster_csv_response, wellness_csv_response
from analytics.record_params import WELLNESS_MAX_DAYS, activity_filters, wellness_window
from analytics.roster_params import roster_filters
from analytics.selectors.roster import SORT_KEYS
from organizations import access


@require_GET
@login_required
def athletes_csv(request):
    """The Athletes page as filtered and sorted (its query string), every matching athlete."""
    organization = access.organization_for(request.user, request.GET.get("org_id"))
    filters = roster_filters(request.GET, organization, request.user, unassigned_param="unassigned")
    sort = request.GET.get("sort") if request.GET.get("sort") in SORT_KEYS else ""
    return roster_csv_response(organization, filters, sort=sort, descending=request.GET.get("dir") != "asc")


@require_GET
@login_required
def athlete_activities_csv(request, user_id: str):
    athlete = access.athlete_for_request(request.user, user_id)
    return activities_csv_response(athlete, activity_filters(request.GET, athlete))


@require_GET
@login_required
def athlete_wellness_csv(request, user_id: str):
    athlete = access.athlete_for_request(request.user, user_id)
    first, last = wellness_window(request.GET, athlete, default_days=WELLNESS_MAX_DAYS)  # the profile's link
    return wellness_csv_response(athlete, first, last)
