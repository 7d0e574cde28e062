"""Input validation and documented output shapes for the organization endpoints."""

from rest_framework import serializers

from organizations.models import MemberRole


class OrganizationCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)


class MemberAddSerializer(serializers.Serializer):
    user_id = serializers.CharField(required=False, max_length=32)
    email = serializers.EmailField(required=False)
    role = serializers.ChoiceField(choices=MemberRole.choices, default=MemberRole.ATHLETE)

    def validate(self, attrs):
        if not attrs.get("user_id") and not attrs.get("email"):
            raise serializers.ValidationError(
                {"user_id": [serializers.ErrorDetail("Give user_id or email.", "required")]}
            )
        return attrs


class MemberUpdateSerializer(serializers.Serializer):
    assigned_coach_id = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=32)
    labels = serializers.ListField(child=serializers.CharField(max_length=64), required=False, max_length=50)
    active = serializers.BooleanField(required=False)
    role = serializers.ChoiceField(choices=MemberRole.choices, required=False)


class GroupCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class GroupMemberAddSerializer(serializers.Serializer):
    user_id = serializers.CharField(max_length=32)


class ApiKeyCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)


class MemberSerializer(serializers.Serializer):
    user_id = serializers.CharField()
    username = serializers.CharField()
    email = serializers.CharField()
    display_name = serializers.CharField()
    role = serializers.ChoiceField(choices=MemberRole.choices)
    active = serializers.BooleanField()
    assigned_coach_id = serializers.CharField(allow_null=True)
    labels = serializers.ListField(child=serializers.CharField())
    groups = serializers.ListField(child=serializers.CharField())
    joined_at = serializers.DateTimeField()


class GroupSerializer(serializers.Serializer):
    group_id = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    member_count = serializers.IntegerField()


class OrganizationSerializer(serializers.Serializer):
    org_id = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField()


class ApiKeySerializer(serializers.Serializer):
    key_id = serializers.CharField()
    name = serializers.CharField()
    prefix = serializers.CharField()
    created_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    last_used_at = serializers.DateTimeField(allow_null=True)


class ApiKeyCreatedSerializer(ApiKeySerializer):
    api_key = serializers.CharField(help_text="The key itself. Shown once; store it now.")


class PaginationSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    per_page = serializers.IntegerField()
    total_pages = serializers.IntegerField()
    has_next = serializers.BooleanField()
    has_prev = serializers.BooleanField()
