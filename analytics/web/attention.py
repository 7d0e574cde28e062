"""The "Needs attention" page (/attention/): the coach's triage queue — the selector of GET
analytics/attention_queue — with a "Mark seen" form per flag (a POST, then back to the page)."""

from datetime import UTC, datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from analytics.attention_presentation import attention_item_payload
from analytics.selectors.attention_queue import attention_flag_for_coach, attention_queue
from analytics.selectors.notifications import mail_preferences_of
from analytics.services.attention_seen import attention_flag_mark_seen
from astral.local_time import user_zone
from astral.paging import MAX_PAGE, paginate, positive_int_param
from astral.web_errors import parsed_or_notice
from organizations import access

PER_PAGE = 50


def _day(moment: datetime, zone, pattern: str) -> str:
    return moment.astimezone(zone).strftime(pattern)


@login_required
def attention_page(request):
    organization = access.organization_for(request.user, request.GET.get("org_id"))  # 403/404 pages
    notices: list[str] = []
    page = parsed_or_notice(notices, "Page", lambda: positive_int_param(request.GET, "page", 1, MAX_PAGE), lambda: 1)
    queue = attention_queue(organization, request.user, datetime.now(UTC))
    flags, pagination = paginate(queue, page, PER_PAGE)
    if not flags and pagination["total_pages"] and page > pagination["total_pages"]:  # its last flag was just seen
        flags, pagination = paginate(queue, pagination["total_pages"], PER_PAGE)
    zone = user_zone(request.user)
    items = []
    for flag in flags:  # dates in the coach's own zone
        item = attention_item_payload(flag)
        item["since_day"] = _day(flag.since, zone, "%-d %b %Y")
        item["worsened_day"] = _day(flag.worsened_at, zone, "%-d %b") if flag.worsened_at else None
        items.append(item)
    digest = mail_preferences_of(request.user).get_digest_display()
    context = {
        "organization": organization,
        "items": items,
        "pagination": pagination,
        "notices": notices,
        "digest": digest,
    }
    return render(request, "analytics/attention.html", context)


@require_POST
@login_required
def attention_seen_page(request, flag_id: str):
    organization = access.organization_for(request.user, request.POST.get("org_id") or None)
    flag = attention_flag_for_coach(request.user, flag_id)  # NotAllowed/NotFound → 403/404 pages
    attention_flag_mark_seen(flag=flag, coach=request.user, now=datetime.now(UTC))
    messages.success(request, f"Marked seen: {flag.user.name} — {flag.message}")
    query = {"org_id": organization.public_id}
    page = request.POST.get("page", "")
    if page.isdigit() and page != "1":
        query["page"] = page
    return redirect(f"/attention/?{urlencode(query)}")
