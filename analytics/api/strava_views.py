"""Strava over the API (issue 13): connect (a redirect to Strava's consent page), the OAuth
callback Strava sends the browser back to, and the webhook Strava pushes events to. Thin: the
work is in analytics.strava."""

import hmac

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from analytics.strava.events import MAX_ID, strava_event_accept
from analytics.strava.oauth import strava_authorize_url, strava_callback
from astral.api.auth import IsPerson
from astral.api.envelope import ok
from astral.api.hostile_input import StrictJSONParser
from astral.api.negotiation import JsonWhateverAccept
from astral.api.schema import envelope, errors
from astral.exceptions import ApplicationError, NotAllowed

TAGS = ["integrations"]
REDIRECT = OpenApiResponse(description="Found: `Location` is the next page (no body).")
MAX_QUERY_VALUE = 1000  # longer state/code/scope values are not Strava's


def _query(request, name: str) -> str:
    value = request.query_params.get(name, "")
    return value if len(value) <= MAX_QUERY_VALUE else ""


def _wants_page(request) -> bool:
    """A browser navigation (Strava's redirect) rather than an API client."""
    accept = request.headers.get("Accept", "")
    return "text/html" in accept and "application/json" not in accept


class StravaConnectView(APIView):
    permission_classes = [IsPerson]

    @extend_schema(tags=TAGS, responses={302: REDIRECT, **errors(401, 403, 404)})
    def get(self, request):
        """Redirect to Strava's consent page (scope `activity:read_all`, a single-use `state`
        bound to the athlete). 404 STRAVA_NOT_CONFIGURED when this server has no Strava app."""
        return HttpResponseRedirect(strava_authorize_url(request.user))


class StravaCallbackView(APIView):
    authentication_classes = []  # the single-use `state` names the athlete
    permission_classes = [AllowAny]
    content_negotiation_class = JsonWhateverAccept  # a browser navigation: never a 406

    @extend_schema(
        tags=TAGS,
        auth=[],
        parameters=[
            OpenApiParameter(name, str, description=text)
            for name, text in (
                ("state", "the `state` Astral sent to Strava"),
                ("code", "the authorization code (when approved)"),
                ("scope", "the scopes the athlete accepted"),
                ("error", "`access_denied` when the athlete cancelled"),
            )
        ],
        responses={302: REDIRECT, **errors(400, 403, 409)},
    )
    def get(self, request):
        """Where Strava sends the athlete back: the tokens are stored sealed and a backfill of the
        last 90 days is queued, then a redirect to the athlete's profile page. A browser that fails
        here is sent to the home page with the reason; an API client gets the error body."""
        try:
            integration = strava_callback(
                state=_query(request, "state"),
                code=_query(request, "code"),
                scope=_query(request, "scope"),
                error=_query(request, "error"),
            )
        except ApplicationError as failure:
            if not _wants_page(request):
                raise
            messages.error(request._request, failure.message)
            return HttpResponseRedirect(reverse("home"))
        messages.success(request._request, "Strava is connected: your last 90 days are being imported.")
        return HttpResponseRedirect(reverse("athlete-profile", args=[integration.user.public_id]))


class StravaEventSerializer(serializers.Serializer):
    """A Strava webhook event (documentation only: analytics.strava.events checks the body)."""

    object_type = serializers.ChoiceField(choices=["activity", "athlete"])
    aspect_type = serializers.ChoiceField(choices=["create", "update", "delete"])
    object_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    owner_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    subscription_id = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    event_time = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    updates = serializers.DictField(
        child=serializers.CharField(), required=False, help_text='e.g. {"authorized": "false"}, {"title": …}'
    )


class StravaWebhookView(APIView):
    """The push subscription's callback URL (developers.strava.com/docs/webhooks)."""

    authentication_classes = []  # Strava calls it; events are hints to re-read Strava, never data
    permission_classes = [AllowAny]
    parser_classes = [StrictJSONParser]  # Strava posts JSON; its integers must stay integers

    @extend_schema(
        tags=TAGS,
        auth=[],
        parameters=[
            OpenApiParameter("hub.mode", str, required=True, enum=["subscribe"]),
            OpenApiParameter("hub.verify_token", str, required=True),
            OpenApiParameter("hub.challenge", str, required=True),
        ],
        responses={
            200: inline_serializer("StravaChallenge", {"hub.challenge": serializers.CharField()}),
            **errors(400, 403),
        },
    )
    def get(self, request):
        """Subscription validation: `{"hub.challenge": …}` echoed (Strava's shape, no envelope)
        only when `hub.verify_token` is this server's STRAVA_WEBHOOK_VERIFY_TOKEN; else 403."""
        expected = settings.STRAVA_WEBHOOK_VERIFY_TOKEN
        token, challenge = _query(request, "hub.verify_token"), _query(request, "hub.challenge")
        if not (expected and token and hmac.compare_digest(token.encode(), expected.encode())):
            raise NotAllowed("hub.verify_token does not match this server's.", "INVALID_VERIFY_TOKEN")
        if request.query_params.get("hub.mode") != "subscribe" or not challenge:
            raise NotAllowed("Expected hub.mode=subscribe and a hub.challenge.", "INVALID_SUBSCRIPTION")
        return JsonResponse({"hub.challenge": challenge})

    @extend_schema(
        tags=TAGS,
        auth=[],
        request=StravaEventSerializer,
        responses={
            200: envelope(
                "StravaEventAccepted", inline_serializer("StravaEvent", {"received": serializers.BooleanField()})
            ),
            **errors(400),
        },
    )
    def post(self, request):
        """An activity create/update/delete or athlete deauthorization: checked, queued, answered
        at once (Strava waits two seconds); the work runs on the `strava` queue."""
        strava_event_accept(request.data)
        return ok({"received": True})
