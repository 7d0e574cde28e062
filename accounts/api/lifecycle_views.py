"""Account lifecycle endpoints: email verification, password reset and change, deletion.
Auth endpoints answer at the top level; `DELETE users/me` uses the envelope like `users/me`."""

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import passwords, services, verification
from accounts.api import lifecycle_serializers as s
from accounts.api.serializers import TokenResponseSerializer
from accounts.deletion import user_delete
from accounts.presentation import token_payload
from astral.api.auth import IsPerson
from astral.api.envelope import ok
from astral.api.schema import envelope, errors

TAGS = ["auth"]
RESET_ACCEPTED = "If an account uses that address, a link to reset its password is on its way."


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def _valid(serializer_class, request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


class VerifyEmailView(APIView):
    permission_classes = [IsPerson]

    @extend_schema(
        tags=TAGS,
        request=None,
        summary="Mail a verification link to the caller's address (3 per address per hour)",
        responses={
            202: s.VerifyEmailResponseSerializer,
            200: s.VerifyEmailResponseSerializer,
            **errors(400, 401, 403, 429),
        },
    )
    def post(self, request):
        sent = verification.email_verification_request(user=request.user)
        message = "Verification email sent." if sent else "Your email address is already verified."
        body = {"status": "ok", "message": message, "email": request.user.email, "email_verified": not sent}
        return Response(body, status=202 if sent else 200)


class VerifyEmailConfirmView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS,
        request=s.TokenSerializer,
        summary="Confirm an address with the token of the mailed link",
        responses={200: s.VerifyEmailConfirmResponseSerializer, **errors(400)},
    )
    def post(self, request):
        user = verification.email_verification_confirm(secret=_valid(s.TokenSerializer, request)["token"])
        return Response({"status": "ok", "user_id": user.public_id, "email": user.email, "email_verified": True})


class PasswordResetView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS,
        request=s.PasswordResetRequestSerializer,
        summary="Mail a password reset link; 202 whether or not the address has an account",
        responses={202: s.MessageResponseSerializer, **errors(400, 429)},
    )
    def post(self, request):
        email = _valid(s.PasswordResetRequestSerializer, request)["email"]
        passwords.password_reset_request(email=email, ip=_client_ip(request))
        return Response({"status": "ok", "message": RESET_ACCEPTED}, status=202)


class PasswordResetConfirmView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS,
        request=s.PasswordResetConfirmSerializer,
        summary="Set a new password with the token of the mailed link; revokes every token and session",
        responses={200: s.MessageResponseSerializer, **errors(400)},
    )
    def post(self, request):
        data = _valid(s.PasswordResetConfirmSerializer, request)
        passwords.password_reset_confirm(secret=data["token"], password=data["password"])
        return Response({"status": "ok", "message": "Password changed. Every session was logged out; log in again."})


class PasswordChangeView(APIView):
    permission_classes = [IsPerson]

    @extend_schema(
        tags=TAGS,
        request=s.PasswordChangeSerializer,
        summary="Change the password; revokes every token and session and returns a new token",
        responses={200: TokenResponseSerializer, **errors(400, 401, 403, 429)},
    )
    def post(self, request):
        data = _valid(s.PasswordChangeSerializer, request)
        user = passwords.password_change(
            user=request.user,
            old_password=data["old_password"],
            new_password=data["new_password"],
            ip=_client_ip(request),
        )
        token, record = services.access_token_issue(user=user)
        return Response(token_payload(user, token, record))


class AccountDeleteMixin:
    """`DELETE users/me` (mixed into accounts.api.views.UsersMeView)."""

    @extend_schema(
        tags=["users"],
        request=s.AccountDeleteSerializer,
        summary="Delete the account and all its data (GDPR art. 17)",
        responses={200: envelope("AccountDeleted", s.AccountDeletedSerializer()), **errors(400, 401, 403, 409)},
    )
    def delete(self, request):
        password = _valid(s.AccountDeleteSerializer, request)["password"]
        user_id = request.user.public_id
        user_delete(user=request.user, password=password)
        return ok({"user_id": user_id, "deleted": True})
