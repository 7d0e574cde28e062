"""Organization endpoints: the organization, its members, groups and API keys."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.views import APIView

from astral.api.auth import IsPerson
from astral.api.envelope import ok
from astral.api.schema import envelope, errors, page_parameters, paginated_envelope
from astral.exceptions import InvalidInput
from astral.paging import page_params, paginate
from astral.params import bool_param
from organizations import access, invitations, selectors, services
from organizations.api import serializers as s
from organizations.models import MemberRole
from organizations.presentation import api_key_payload, group_payload, invitation_created_payload, member_payload

TAGS = ["organizations"]


def _members_payload(organization, memberships) -> list[dict]:
    groups = selectors.group_names_by_user(organization, [m.user_id for m in memberships])
    return [member_payload(m, groups.get(m.user_id, [])) for m in memberships]


class OrganizationsView(APIView):
    permission_classes = [IsPerson]

    @extend_schema(
        tags=TAGS,
        responses={200: envelope("OrganizationList", s.OrganizationSerializer(many=True)), **errors(401, 403)},
    )
    def get(self, request):
        rows = selectors.user_organizations(request.user)
        return ok([{"org_id": m.organization.public_id, "name": m.organization.name, "role": m.role} for m in rows])

    @extend_schema(
        tags=TAGS,
        request=s.OrganizationCreateSerializer,
        responses={201: envelope("OrganizationCreated", s.OrganizationSerializer()), **errors(400, 401, 403)},
    )
    def post(self, request):
        data = s.OrganizationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organization = services.organization_create(creator=request.user, name=data.validated_data["name"])
        return ok({"org_id": organization.public_id, "name": organization.name, "role": MemberRole.ADMIN}, status=201)


MEMBER_LIST_PARAMS = [
    OpenApiParameter("role", str, enum=MemberRole.values),
    OpenApiParameter("active", bool),
    *page_parameters(),
]


class MembersView(APIView):
    @extend_schema(
        tags=TAGS,
        parameters=MEMBER_LIST_PARAMS,
        responses={
            200: paginated_envelope("MemberList", s.MemberSerializer(many=True)),
            **errors(400, 401, 403, 404),
        },
    )
    def get(self, request, org_id: str):
        organization = access.organization_get(org_id)
        access.require_org_read(request.user, organization)
        role = request.query_params.get("role") or None
        if role and role not in MemberRole.values:
            raise InvalidInput(f"role must be one of {', '.join(MemberRole.values)}.", "INVALID_CHOICE", field="role")
        active = bool_param(request.query_params, "active")
        page, per_page = page_params(request.query_params)
        rows, pagination = paginate(
            selectors.organization_members(organization, role=role, active=active), page, per_page
        )
        return ok(_members_payload(organization, rows), meta={"pagination": pagination})

    @extend_schema(
        tags=TAGS,
        request=s.MemberInviteSerializer,
        summary="Invite a member",
        description=(
            "Creates (or renews) a pending invitation; the membership exists only once the invitee accepts. "
            "The answer is the same whether or not an account exists for an email."
        ),
        responses={
            202: envelope("InvitationCreated", s.InvitationCreatedSerializer()),
            **errors(400, 401, 403, 404, 409),
        },
    )
    def post(self, request, org_id: str):
        organization = access.organization_get(org_id)
        actor_role = access.require_org_staff(request.user, organization)
        data = s.MemberInviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        invitee = None
        if fields.get("user_id"):
            invitee = access.user_get(fields["user_id"])
        elif fields.get("username"):
            invitee = access.user_get_by_username(fields["username"])
        invitation = invitations.invitation_create(
            organization=organization,
            inviter=request.user,
            actor_role=actor_role,
            role=fields["role"],
            invitee=invitee,
            email=fields.get("email", ""),
        )
        return ok(invitation_created_payload(invitation), status=202)


class MemberView(APIView):
    @extend_schema(
        tags=TAGS,
        request=s.MemberUpdateSerializer,
        responses={200: envelope("MemberUpdated", s.MemberSerializer()), **errors(400, 401, 403, 404)},
    )
    def patch(self, request, org_id: str, user_id: str):
        organization = access.organization_get(org_id)
        actor_role = access.require_org_staff(request.user, organization)
        membership = access.membership_get(organization, user_id)
        data = s.MemberUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        services.membership_update(membership=membership, changes=changes, actor_role=actor_role)
        return ok(_members_payload(organization, [access.membership_get(organization, user_id)])[0])

    @extend_schema(
        tags=TAGS,
        request=None,
        responses={200: envelope("MemberDeactivated", s.MemberSerializer()), **errors(401, 403, 404)},
    )
    def delete(self, request, org_id: str, user_id: str):
        organization = access.organization_get(org_id)
        actor_role = access.require_org_staff(request.user, organization)
        membership = access.membership_get(organization, user_id)
        services.membership_deactivate(membership=membership, actor_role=actor_role)
        return ok(_members_payload(organization, [access.membership_get(organization, user_id)])[0])


class GroupsView(APIView):
    @extend_schema(
        tags=TAGS, responses={200: envelope("GroupList", s.GroupSerializer(many=True)), **errors(401, 403, 404)}
    )
    def get(self, request, org_id: str):
        organization = access.organization_get(org_id)
        access.require_org_read(request.user, organization)
        return ok([group_payload(group) for group in selectors.organization_groups(organization)])

    @extend_schema(
        tags=TAGS,
        request=s.GroupCreateSerializer,
        responses={201: envelope("GroupCreated", s.GroupSerializer()), **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request, org_id: str):
        organization = access.organization_get(org_id)
        access.require_org_staff(request.user, organization)
        data = s.GroupCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        group = services.group_create(organization=organization, **data.validated_data)
        return ok(group_payload(group, member_count=0), status=201)


GROUP_MEMBER_ADDED = envelope("GroupMemberAdded", s.GroupSerializer())


class GroupMembersView(APIView):
    @extend_schema(
        tags=TAGS,
        request=s.GroupMemberAddSerializer,
        responses={
            201: OpenApiResponse(GROUP_MEMBER_ADDED, description="Added to the group"),
            200: OpenApiResponse(GROUP_MEMBER_ADDED, description="Already in the group: nothing changed"),
            **errors(400, 401, 403, 404),
        },
    )
    def post(self, request, org_id: str, group_id: str):
        organization = access.organization_get(org_id)
        access.require_org_staff(request.user, organization)
        group = access.group_get(organization, group_id)
        data = s.GroupMemberAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = access.user_get(data.validated_data["user_id"])
        _, created = services.group_member_add(group=group, user=user)
        return ok(
            group_payload(selectors.organization_groups(organization).get(pk=group.pk)), status=201 if created else 200
        )


class GroupMemberView(APIView):
    @extend_schema(
        tags=TAGS,
        request=None,
        responses={200: envelope("GroupMemberRemoved", s.GroupSerializer()), **errors(401, 403, 404)},
    )
    def delete(self, request, org_id: str, group_id: str, user_id: str):
        organization = access.organization_get(org_id)
        access.require_org_staff(request.user, organization)
        group = access.group_get(organization, group_id)
        services.group_member_remove(group=group, user=access.user_get(user_id))
        return ok(group_payload(selectors.organization_groups(organization).get(pk=group.pk)))


class ApiKeysView(APIView):
    permission_classes = [IsPerson]

    @extend_schema(
        tags=TAGS, responses={200: envelope("ApiKeyList", s.ApiKeySerializer(many=True)), **errors(401, 403, 404)}
    )
    def get(self, request, org_id: str):
        organization = access.organization_get(org_id)
        access.require_org_staff(request.user, organization, admin_only=True)
        return ok([api_key_payload(key) for key in selectors.organization_api_keys(organization)])

    @extend_schema(
        tags=TAGS,
        request=s.ApiKeyCreateSerializer,
        responses={201: envelope("ApiKeyCreated", s.ApiKeyCreatedSerializer()), **errors(400, 401, 403, 404)},
    )
    def post(self, request, org_id: str):
        organization = access.organization_get(org_id)
        access.require_org_staff(request.user, organization, admin_only=True)
        data = s.ApiKeyCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        secret, key = services.api_key_create(
            organization=organization, name=data.validated_data["name"], created_by=request.user
        )
        return ok(api_key_payload(key, secret=secret), status=201)


class ApiKeyView(APIView):
    permission_classes = [IsPerson]

    @extend_schema(
        tags=TAGS,
        request=None,
        responses={200: envelope("ApiKeyRevoked", s.ApiKeySerializer()), **errors(401, 403, 404)},
    )
    def delete(self, request, org_id: str, key_id: str):
        organization = access.organization_get(org_id)
        access.require_org_staff(request.user, organization, admin_only=True)
        key = access.api_key_get(organization, key_id)
        return ok(api_key_payload(services.api_key_revoke(key=key)))
