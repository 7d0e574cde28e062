"""Input validation for the accounts endpoints (output is built in accounts.presentation)."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Provider, Role, Sex, UnitSystem
from astral.exceptions import InvalidInput
from astral.local_time import zone_from_name

USERNAME_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9_.@+-]{3,150}$", "Use 3–150 letters, digits and . _ @ + - only.", code="invalid"
)


def _password_min_length() -> int:
    validators = password_validation.get_default_password_validators()
    lengths = [v.min_length for v in validators if isinstance(v, password_validation.MinimumLengthValidator)]
    return max(lengths, default=1)


PASSWORD_MAX_LENGTH = 128


@extend_schema_field({"type": "string", "minLength": _password_min_length(), "maxLength": PASSWORD_MAX_LENGTH})
class NewPasswordField(serializers.CharField):
    """A password to be set. Django's validators judge it (400 WEAK_PASSWORD, also when too short,
    so no `min_length` here); the schema states the one rule JSON Schema can: the minimum length."""

    def __init__(self, **kwargs):
        super().__init__(max_length=PASSWORD_MAX_LENGTH, trim_whitespace=False, write_only=True, **kwargs)


class RegisterSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, validators=[USERNAME_VALIDATOR])
    email = serializers.EmailField(max_length=254)
    password = NewPasswordField()
    display_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    role = serializers.ChoiceField(choices=[Role.ATHLETE, Role.COACH], required=False, default=Role.ATHLETE)

    def validate(self, attrs):
        from accounts.models import User

        candidate = User(username=attrs["username"], email=attrs["email"], display_name=attrs.get("display_name", ""))
        try:
            password_validation.validate_password(attrs["password"], user=candidate)
        except DjangoValidationError as exc:  # → a field error on `password`
            raise serializers.ValidationError(
                {"password": [serializers.ErrorDetail(" ".join(exc.messages), "weak_password")]}
            ) from None
        return attrs


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=254, required=False, help_text="Username or email")
    email = serializers.CharField(max_length=254, required=False, help_text="Alternative to username")
    password = serializers.CharField(max_length=128, trim_whitespace=False)

    def validate(self, attrs):
        login = attrs.get("username") or attrs.get("email")
        if not login:
            raise serializers.ValidationError(
                {"username": [serializers.ErrorDetail("This field is required.", "required")]}
            )
        attrs["login"] = login
        return attrs


class LoginSchema(OpenApiSerializerExtension):
    """LoginSerializer.validate()'s rule in the schema: `username` or `email` (or both)."""

    target_class = LoginSerializer

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_basic_serializer(self.target, direction)
        return {**schema, "anyOf": [{"required": ["username"]}, {"required": ["email"]}]}


def validate_timezone_name(value: str) -> str:
    if value in ("", None):
        return ""
    try:
        zone_from_name(value)
    except InvalidInput as error:
        raise serializers.ValidationError(error.message, code="invalid_timezone") from None
    return value


class ProfileUpdateSerializer(serializers.Serializer):
    """PATCH users/me. `hr_zones`: five increasing upper bounds in bpm (Z1…Z5).
    `pace_zones`: four decreasing boundaries in seconds per km separating Z1|Z2|Z3|Z4|Z5."""

    display_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    profile_image_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    timezone = serializers.CharField(
        max_length=64, required=False, allow_blank=True, validators=[validate_timezone_name]
    )
    unit_system = serializers.ChoiceField(choices=UnitSystem.choices, required=False)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    max_heart_rate = serializers.IntegerField(min_value=100, max_value=250, required=False, allow_null=True)
    resting_heart_rate = serializers.IntegerField(min_value=25, max_value=120, required=False, allow_null=True)
    hr_zones = serializers.ListField(
        child=serializers.IntegerField(min_value=40, max_value=250),
        min_length=5,
        max_length=5,
        required=False,
        allow_null=True,
    )
    pace_zones = serializers.ListField(
        child=serializers.IntegerField(min_value=120, max_value=1200),
        min_length=4,
        max_length=4,
        required=False,
        allow_null=True,
    )
    vdot = serializers.FloatField(min_value=20, max_value=90, required=False, allow_null=True)
    push_token = serializers.CharField(max_length=255, required=False, allow_blank=True)

    def validate_hr_zones(self, value):
        if value and any(b <= a for a, b in zip(value, value[1:], strict=False)):
            raise serializers.ValidationError("HR zone bounds must increase from Z1 to Z5.", code="invalid_zones")
        return value

    def validate_pace_zones(self, value):
        if value and any(b >= a for a, b in zip(value, value[1:], strict=False)):
            raise serializers.ValidationError(
                "Pace zone bounds must get faster (smaller) from Z1 to Z5.", code="invalid_zones"
            )
        return value

    def validate(self, attrs):
        max_hr = attrs.get("max_heart_rate", getattr(self.instance, "max_heart_rate", None))
        rest_hr = attrs.get("resting_heart_rate", getattr(self.instance, "resting_heart_rate", None))
        if max_hr and rest_hr and rest_hr >= max_hr:
            raise serializers.ValidationError(
                {"resting_heart_rate": [serializers.ErrorDetail("Resting HR must be below max HR.", "invalid")]}
            )
        return attrs


class IntegrationSerializer(serializers.Serializer):
    connected = serializers.BooleanField()


class IntegrationStatusSerializer(serializers.Serializer):
    """One provider on a profile (documentation only): what a sync did, or the athlete's switch."""

    provider = serializers.ChoiceField(choices=Provider.choices)
    connected = serializers.BooleanField()
    status = serializers.ChoiceField(choices=["connected", "syncing", "error", "disconnected"])
    connected_at = serializers.DateTimeField(allow_null=True)
    last_sync_at = serializers.DateTimeField(allow_null=True, help_text="when the last sync finished (Strava)")
    error = serializers.CharField(allow_null=True, help_text="what the last sync failed on, for the athlete to read")


class ProfileSerializer(serializers.Serializer):
    """Output shape of auth/me and users/me (documentation only)."""

    user_id = serializers.CharField()
    username = serializers.CharField()
    email = serializers.EmailField()
    email_verified = serializers.BooleanField(help_text="The current address was confirmed by a mailed link")
    display_name = serializers.CharField()
    profile_image_url = serializers.CharField()
    role = serializers.ChoiceField(choices=Role.choices)
    org_id = serializers.CharField(allow_null=True)
    timezone = serializers.CharField()
    unit_system = serializers.ChoiceField(choices=UnitSystem.choices)
    sex = serializers.CharField(allow_null=True)
    max_heart_rate = serializers.IntegerField(allow_null=True)
    resting_heart_rate = serializers.IntegerField(allow_null=True)
    hr_zones = serializers.ListField(child=serializers.IntegerField(), allow_null=True)
    pace_zones = serializers.ListField(child=serializers.IntegerField(), allow_null=True)
    vdot = serializers.FloatField(allow_null=True)
    has_push_token = serializers.BooleanField()
    integrations = serializers.DictField(child=IntegrationStatusSerializer(), help_text="keyed by provider")


class MeSerializer(ProfileSerializer):
    """auth/me: the profile at the top level, beside the envelope's status (SPEC §3)."""

    status = serializers.CharField(default="ok")


class TokenResponseSerializer(serializers.Serializer):
    status = serializers.CharField(default="ok")
    user_id = serializers.CharField()
    access_token = serializers.CharField()
    token_type = serializers.CharField(default="Bearer")
    expires_at = serializers.DateTimeField()


PROVIDERS = Provider.values
