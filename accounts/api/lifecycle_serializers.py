"""Input (and documented output) shapes of the account-lifecycle endpoints. DRF's CharField
refuses NUL characters, so hostile input is a 400 like any other bad value."""

from rest_framework import serializers

from accounts.api.serializers import NewPasswordField

TOKEN = {"max_length": 128, "help_text": "The `token` query parameter of the mailed link"}
PASSWORD = {"max_length": 128, "trim_whitespace": False, "write_only": True}


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(**TOKEN)


class PasswordResetRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class PasswordResetConfirmSerializer(serializers.Serializer):
    token = serializers.CharField(**TOKEN)
    password = NewPasswordField(help_text="The new password (Django's password validators)")


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(**PASSWORD)
    new_password = NewPasswordField()


class AccountDeleteSerializer(serializers.Serializer):
    password = serializers.CharField(**PASSWORD, help_text="The account's password, as a confirmation")


class MessageResponseSerializer(serializers.Serializer):
    status = serializers.CharField(default="ok")
    message = serializers.CharField()


class VerifyEmailResponseSerializer(MessageResponseSerializer):
    email = serializers.EmailField()
    email_verified = serializers.BooleanField()


class VerifyEmailConfirmResponseSerializer(serializers.Serializer):
    status = serializers.CharField(default="ok")
    user_id = serializers.CharField()
    email = serializers.EmailField()
    email_verified = serializers.BooleanField()


class AccountDeletedSerializer(serializers.Serializer):
    user_id = serializers.CharField()
    deleted = serializers.BooleanField()
