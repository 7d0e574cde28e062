"""Input validation and documented output shapes for the organization endpoints."""

from rest_framework import serializers

from organizations.models import InvitationStatus, MemberRole


class OrganizationCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)


class MemberInviteSerializer(serializers.Serializer):
    """Who to invite: exactly one of `user_id`, `username` or `email`."""

    user_id = serializers.CharField(required=False, max_length=32)
    username = serializers.CharField(required=False, max_length=150)
    email = serializers.EmailField(required=False, max_length=254)
    role = serializers.ChoiceField(choices=MemberRole.choices, default=MemberRole.ATHLETE)

    def validate(self, attrs):
        given = [name for name in ("user_id", "username", "email") if attrs.get(name)]
        if len(given) != 1:
            raise serializers.ValidationError(
                {"user_id": [serializers.ErrorDetail("Give exactly one of user_id, username or email.", "required")]}
            )
        return attrs


class InvitationAnswerSerializer(serializers.Serializer):
    token = serializers.CharField(
        required=False, max_length=128, help_text="The secret of the mailed link, for an invitation sent to an email."
    )


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


class PersonSerializer(serializers.Serializer):
    user_id = serializers.CharField()
    display_name = serializers.CharField()


class InvitationCreatedSerializer(serializers.Serializer):
    invitation_id = serializers.CharField()
    status = serializers.ChoiceField(choices=InvitationStatus.choices)
    role = serializers.ChoiceField(choices=MemberRole.choices)
    expires_at = serializers.DateTimeField()


class InvitationSerializer(InvitationCreatedSerializer):
    email = serializers.CharField()
    invitee = PersonSerializer(allow_null=True, help_text="The account; for an email invitation, once answered.")
    invited_by = PersonSerializer(allow_null=True)
    created_at = serializers.DateTimeField()
    responded_at = serializers.DateTimeField(allow_null=True)


class MyInvitationSerializer(InvitationCreatedSerializer):
    org_id = serializers.CharField()
    organization = serializers.CharField()
    invited_by = PersonSerializer(allow_null=True)
    created_at = serializers.DateTimeField()


class StaffAccessSerializer(PersonSerializer):
    role = serializers.ChoiceField(choices=MemberRole.choices)
    since = serializers.DateTimeField()


class DataAccessSerializer(serializers.Serializer):
    org_id = serializers.CharField()
    organization = serializers.CharField()
    role = serializers.ChoiceField(choices=MemberRole.choices, help_text="Your role there")
    member_since = serializers.DateTimeField()
    staff = StaffAccessSerializer(many=True, help_text="The coaches and admins who read your data")
    api_keys = serializers.IntegerField(help_text="Live API keys of the organization (read-only access)")
