"""The triage queue over the API: GET analytics/attention_queue (the open attention flags of an
organization's athletes, less what the coach set aside) and POST
analytics/attention_queue/{flag_id}/seen (set one aside). Parse → access → selector/service →
envelope; the memory rules are analytics.selectors.attention_queue's."""

from datetime import UTC, datetime

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.views import APIView

from analytics.api.attention_serializers import AttentionQueueSerializer, AttentionSeenSerializer
from analytics.attention_presentation import attention_item_payload
from analytics.selectors.attention_queue import attention_flag_for_coach, attention_queue
from analytics.services.attention_seen import attention_flag_mark_seen
from astral.api.auth import IsPerson
from astral.api.envelope import ok
from astral.api.hostile_input import StrictJSONParser
from astral.api.schema import envelope, errors, page_parameters
from astral.local_time import utc_text
from astral.paging import page_params, paginate
from organizations import access

TAGS = ["analytics"]


def attention_now() -> datetime:
    """The queue's clock (one function, so tests can pin it)."""
    return datetime.now(UTC)


class AttentionQueueView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="analytics_attention_queue",
        summary="Needs attention: the open attention flags of the organization's athletes",
        description="A flag a coach marked seen stays off that coach's queue until its severity rises, or "
        "until it clears and is raised again more than 7 days after it was seen. An API key sees every "
        "open flag.",
        parameters=[
            OpenApiParameter("org_id", str, description="Default: the caller's organization (an API key's own)"),
            *page_parameters(),
        ],
        responses={200: envelope("AttentionQueue", AttentionQueueSerializer()), **errors(400, 401, 403, 404)},
    )
    def get(self, request):
        organization = access.organization_for(request.user, request.query_params.get("org_id"))
        page, per_page = page_params(request.query_params)
        flags, pagination = paginate(attention_queue(organization, request.user, attention_now()), page, per_page)
        return ok({"items": [attention_item_payload(flag) for flag in flags], "pagination": pagination})


class AttentionSeenView(APIView):
    permission_classes = [IsPerson]
    parser_classes = [StrictJSONParser]

    @extend_schema(
        tags=TAGS,
        operation_id="analytics_attention_queue_seen",
        summary="Mark an attention flag seen: off this coach's queue until it worsens or recurs",
        request=None,
        responses={200: envelope("AttentionSeen", AttentionSeenSerializer()), **errors(401, 403, 404)},
    )
    def post(self, request, flag_id: str):
        flag = attention_flag_for_coach(request.user, flag_id)
        seen = attention_flag_mark_seen(flag=flag, coach=request.user, now=attention_now())
        return ok({"flag_id": flag.public_id, "severity": flag.severity, "seen_at": utc_text(seen.seen_at)})
