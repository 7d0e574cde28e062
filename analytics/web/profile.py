"""The athlete profile page: the same payloads as analytics/athlete_profile and the charts API."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from analytics.presentation import athlete_profile_payload, import_job_payload
from analytics.selectors.chart_series import metrics_charts_payload, running_streaks_payload
from analytics.selectors.profile import athlete_profile_rows
from analytics.selectors.profile_memberships import athlete_memberships_for_viewer
from analytics.selectors.records import recent_import_jobs
from analytics.strava.oauth import strava_configured
from astral.local_time import today_in, user_zone
from organizations import access

STREAK_DAYS = 84  # twelve weeks of calendar


def heat_level(distance_m: float) -> int:
    """0–4 for the streak calendar: none, < 5 km, < 10 km, < 20 km, longer."""
    for level, limit in enumerate((0, 5000, 10000, 20000)):
        if distance_m <= limit:
            return level
    return 4


@login_required
def athlete_profile(request, user_id: str):
    athlete = access.athlete_for_request(request.user, user_id)  # NotFound/NotAllowed → 404/403 page
    profile = athlete_profile_payload(athlete_profile_rows(athlete))
    zone = user_zone(athlete)
    today = today_in(zone)
    streaks = running_streaks_payload(athlete, zone, STREAK_DAYS, today)
    for day in streaks["calendar"]:
        day["level"] = heat_level(day["distance"])
    context = {
        "athlete": athlete,
        "profile": profile,
        # Coach, labels and groups of the viewer's organizations only (all of them for the athlete).
        "memberships": athlete_memberships_for_viewer(athlete, request.user),
        "charts": metrics_charts_payload(athlete, zone, today),
        "streaks": streaks,
        "plan": (profile["current_plans"] or [None])[0],
        "goal": (profile["current_goals"]["races"] or [None])[0],
        "unit_system": request.user.effective_unit_system,
        "strava_configured": strava_configured(),
        # The athlete's own import jobs, to the athlete only (as GET imports/{id}).
        "imports": [import_job_payload(job) for job in recent_import_jobs(athlete)]
        if athlete == request.user
        else None,
    }
    return render(request, "analytics/athlete_profile.html", context)
