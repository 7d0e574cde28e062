"""The activity page (/athletes/<user_id>/activities/<activity_id>/): the activity's key numbers
and its comment thread, for the athlete and their coaches (the access of GET activities/{id}).
A comment is a POST through the API's service; bad text re-shows the form with the reason."""

from datetime import UTC, datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from analytics.conversation_payloads import comment_payload
from analytics.models.conversation import COMMENT_MAX_CHARS
from analytics.presentation import activity_payload
from analytics.selectors.comments import latest_activity_comments
from analytics.selectors.records import activity_by_public_id
from analytics.services.comments import activity_page_path, activity_title, comment_post
from analytics.services.notifications import activity_notifications_mark_read
from astral.exceptions import InvalidInput, NotFound
from organizations import access


def _page_activity(request, user_id: str, activity_id: str):
    athlete = access.athlete_for_request(request.user, user_id)  # NotFound/NotAllowed → 404/403 page
    activity = activity_by_public_id(activity_id)
    if activity is None or activity.user_id != athlete.pk:
        raise NotFound(f"Activity '{activity_id}' not found.", "ACTIVITY_NOT_FOUND")
    return athlete, activity


@login_required
def activity_page(request, user_id: str, activity_id: str):
    athlete, activity = _page_activity(request, user_id, activity_id)
    error, text = None, ""
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            comment = comment_post(author=request.user, activity=activity, text=text)
        except InvalidInput as invalid:
            error = invalid.message
        else:
            return redirect(f"{activity_page_path(activity)}#{comment.public_id}")
    else:
        # Opening the thread reads what it says: the viewer's notifications about it are read.
        activity_notifications_mark_read(user=request.user, activity=activity, now=datetime.now(UTC))
    comments, total = latest_activity_comments(activity)
    context = {
        "athlete": athlete,
        "activity": activity_payload(activity, athlete.public_id, athlete.timezone, activity.has_samples),
        "title": activity_title(activity),
        "comments": [comment_payload(comment) for comment in comments],
        "earlier_comments": total - len(comments),
        "comment_error": error,
        "comment_text": text,
        "comment_max_chars": COMMENT_MAX_CHARS,
        "unit_system": request.user.effective_unit_system,
    }
    return render(request, "analytics/activity_detail.html", context, status=400 if error else 200)
