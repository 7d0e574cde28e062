"""The notifications page (/notifications/): the caller's notifications, newest first, each
linking to its activity's page; "Mark all read"; and the mail settings form (comment mail, and
the attention digest for coaches). Every action is a POST through the API's services."""

from datetime import UTC, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Role
from analytics.conversation_payloads import mail_preferences_payload, notification_payload
from analytics.models import DigestFrequency
from analytics.selectors.notifications import mail_preferences_of, user_notifications
from analytics.services.notifications import mail_preferences_update, notifications_mark_read
from astral.exceptions import InvalidInput
from astral.paging import DEFAULT_PER_PAGE, page_params, paginate
from astral.web_errors import parsed_or_notice


def _gets_digest(user) -> bool:
    return user.role == Role.COACH or user.is_superuser


@login_required
def notifications_page(request):
    notices: list[str] = []
    page, per_page = parsed_or_notice(notices, "Page", lambda: page_params(request.GET), lambda: (1, DEFAULT_PER_PAGE))
    rows, pagination = paginate(user_notifications(request.user), page, per_page)
    context = {
        "notifications": [notification_payload(row) for row in rows],
        "pagination": pagination,
        "notices": notices,
        "settings": mail_preferences_payload(mail_preferences_of(request.user)),
        "digest_choices": DigestFrequency.choices,
        "gets_digest": _gets_digest(request.user),
    }
    return render(request, "analytics/notifications.html", context)


@login_required
@require_POST
def notifications_read_page(request):
    changed = notifications_mark_read(user=request.user, notification_ids=None, now=datetime.now(UTC))
    messages.success(request, f"Marked {changed} notification{'s' if changed != 1 else ''} read.")
    return redirect("notifications-page")


@login_required
@require_POST
def notification_settings_page(request):
    digest = request.POST.get("attention_digest") if _gets_digest(request.user) else None
    try:
        mail_preferences_update(user=request.user, comment_mail="comment_mail" in request.POST, digest=digest or None)
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Mail settings saved.")
    return redirect("notifications-page")
