"""Auth and profile endpoints. Thin: validate → service → payload."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.api import serializers as s
from accounts.api.lifecycle_views import AccountDeleteMixin
from accounts.presentation import profile_payload, token_payload
from astral.api.auth import IsPerson
from astral.api.envelope import ok
from astral.api.schema import envelope, errors
from astral.client_ip import client_ip
from astral.exceptions import NotFound

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
    permission_classes = [IsPerson]

    @extend_schema(
        tags=["users"],
        request=s.IntegrationSerializer,
        responses={
            200: envelope(
                "IntegrationEnvelope",
                inline_serializer(
                    "Integration",
                    {
                        "provider": serializers.ChoiceField(choices=s.PROVIDERS),
                        "connected": serializers.BooleanField(),
                        "status": serializers.CharField(),
                        "connected_at": serializers.DateTimeField(allow_null=True),
                    },
                ),
            ),
            **errors(400, 401, 403, 404),
        },
    )
    def put(self, request, provider: str):
        if provider not in s.PROVIDERS:
            raise NotFound(
                f"Unknown integration '{provider}'; use one of {', '.join(s.PROVIDERS)}.", "UNKNOWN_PROVIDER"
            )
        data = s.IntegrationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.integration_set(user=request.user, provider=provider, connected=data.validated_data["connected"])
        return ok(
            {
                "provider": row.provider,
                "connected": row.connected,
                "status": row.status,
                "connected_at": row.connected_at.isoformat() if row.connected_at else None,
            }
        )
