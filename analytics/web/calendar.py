"""The athlete's month calendar page (/athletes/<user_id>/calendar/): planned and done side by
side, coloured by compliance — the selector of GET analytics/calendar, the `month` parsed by the
calendar's shared parser (a bad value: a notice and this month)."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from analytics.calendar_params import calendar_month, month_bounds, month_grid
from analytics.selectors.calendar import athlete_calendar
from astral.local_time import today_in, user_zone
from astral.web_errors import parsed_or_notice
from organizations import access


@login_required
def athlete_calendar_page(request, user_id: str):
    athlete = access.athlete_for_request(request.user, user_id)  # NotFound/NotAllowed → 404/403 page
    today = today_in(user_zone(athlete))
    notices: list[str] = []
    month = parsed_or_notice(
        notices, "Month", lambda: calendar_month(request.GET, today), lambda: calendar_month({}, today)
    )
    first, last = month_grid(month)
    days = athlete_calendar(athlete, first=first, last=last, today=today)
    month_last = month_bounds(month)[1]
    for day in days:
        day["in_month"] = month.isoformat()[:7] == day["date"][:7]
        day["is_today"] = day["date"] == today.isoformat()
    context = {
        "athlete": athlete,
        "month": month,
        "previous_month": (month - timedelta(days=1)).strftime("%Y-%m"),
        "next_month": (month_last + timedelta(days=1)).strftime("%Y-%m"),
        "this_month": today.strftime("%Y-%m"),
        "weeks": [days[index : index + 7] for index in range(0, len(days), 7)],
        "notices": notices,
        "unit_system": request.user.effective_unit_system,
    }
    return render(request, "analytics/athlete_calendar.html", context)
