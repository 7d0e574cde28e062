"""Connect and disconnect Strava from the athlete's own profile page (same services as the API)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from analytics.strava.disconnect import strava_disconnect
from analytics.strava.oauth import strava_authorize_url
from astral.exceptions import ApplicationError


@require_GET
@login_required
def strava_connect(request):
    try:
        return redirect(strava_authorize_url(request.user))
    except ApplicationError as failure:  # no Strava app configured, or not an athlete
        messages.error(request, failure.message)
        return redirect("athlete-profile", request.user.public_id)


@require_POST
@login_required
def strava_disconnect_page(request):
    strava_disconnect(user=request.user)
    messages.success(request, "Strava is disconnected; the activities it brought were deleted.")
    return redirect("athlete-profile", request.user.public_id)
