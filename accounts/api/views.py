"""Auth and profile endpoints. Thin: validate → service → payload."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.api import serializers as s
from accounts.api.lifecycle_views import AccountDeleteMixin
from accounts.connections import connects_server_side, server_connection_end
from accounts.presentation import profile_payload, token_payload
from accounts.selectors import user_integration
from astral.api.auth import IsPerson
from astral.api.envelope import ok
from astral.api.schema import envelope, errors
from astral.client_ip import client_ip
from astral.exceptions import InvalidInput, NotFound

TAGS = ["auth"]


class RegisterView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS, request=s.RegisterSerializer, responses={201: s.TokenResponseSerializer, **errors(400, 409)}
    )
    def post(self, request):
        data = s.RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_register(**data.validated_data)
        token, record = services.access_token_issue(user=user)
        return Response(token_payload(user, token, record), status=201)


class LoginView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS, request=s.LoginSerializer, responses={200: s.TokenResponseSerializer, **errors(400, 401, 429)}
    )
    def post(self, request):
        data = s.LoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, record = services.user_login(
            login=data.validated_data["login"], password=data.validated_data["password"], ip=client_ip(request)
        )
        return Response(token_payload(record.user, token, record))


class LogoutView(APIView):
    permission_classes = [IsPerson]

    @extend_schema(
        tags=TAGS,
        request=None,
        responses={
            200: inline_serializer(
                "LogoutResponse", {"status": serializers.CharField(), "message": serializers.CharField()}
            ),
            **errors(401),
        },
    )
    def post(self, request):
        services.access_token_revoke(token=request.auth)
        return Response({"status": "ok", "message": "Logged out; the token is revoked."})


class MeView(APIView):
    permission_classes = [IsPerson]

    @extend_schema(tags=TAGS, responses={200: s.MeSerializer, **errors(401, 403)})
    def get(self, request):
        return Response({"status": "ok", **profile_payload(request.user)})


class UsersMeView(AccountDeleteMixin, APIView):
    permission_classes = [IsPerson]

    @extend_schema(
        tags=["users"], responses={200: envelope("ProfileEnvelope", s.ProfileSerializer()), **errors(401, 403)}
    )
    def get(self, request):
        return ok(profile_payload(request.user))

    @extend_schema(
        tags=["users"],
        request=s.ProfileUpdateSerializer,
        responses={200: envelope("ProfileUpdateEnvelope", s.ProfileSerializer()), **errors(400, 401, 403)},
    )
    def patch(self, request):
        data = s.ProfileUpdateSerializer(instance=request.user, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        user = services.user_profile_update(user=request.user, **data.validated_data)
        return ok(profile_payload(user))


class IntegrationView(APIView):
    """The hand-set switch of the providers that cannot connect server-side (Garmin, Apple Health);
    Strava connects through `integrations/strava/connect` and its status is what the sync did, so
    a PUT for it is refused — DELETE disconnects it for real (tokens revoked and deleted)."""

    permission_classes = [IsPerson]
    answer = {200: envelope("IntegrationEnvelope", s.IntegrationStatusSerializer()), **errors(400, 401, 403, 404)}

    @staticmethod
    def _provider(provider: str) -> str:
        if provider not in s.PROVIDERS:
            raise NotFound(
                f"Unknown integration '{provider}'; use one of {', '.join(s.PROVIDERS)}.", "UNKNOWN_PROVIDER"
            )
        return provider

    @extend_schema(tags=["users"], request=s.IntegrationSerializer, responses=answer)
    def put(self, request, provider: str):
        if connects_server_side(self._provider(provider)):
            raise InvalidInput(
                f"{provider.title()} connects through GET /api/v1/integrations/{provider}/connect, and its status"
                " is what the sync did; it cannot be set by hand.",
                "CONNECTED_BY_OAUTH",
                field="provider",
            )
        data = s.IntegrationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.integration_set(user=request.user, provider=provider, connected=data.validated_data["connected"])
        return ok(user_integration(request.user, provider))

    @extend_schema(tags=["users"], request=None, responses=answer)
    def delete(self, request, provider: str):
        if connects_server_side(self._provider(provider)):
            server_connection_end(user=request.user, provider=provider)
        else:
            services.integration_set(user=request.user, provider=provider, connected=False)
        return ok(user_integration(request.user, provider))
