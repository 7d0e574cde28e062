"""Invitation endpoints: the organization's list and revoke; the invitee's list, accept and
decline; leaving; and who can see my data."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.views import APIView

from astral.api.auth import IsPerson
from astral.api.envelope import ok
from astral.api.schema import envelope, errors, page_parameters, paginated_envelope
from astral.exceptions import InvalidInput
from astral.paging import page_params, paginate
from organizations import access, invitations, selectors, services
from organizations.api import serializers as s
from organizations.models import InvitationStatus
from organizations.presentation import data_access_payload, invitation_payload, my_invitation_payload

TAGS = ["invitations"]


class OrganizationInvitationsView(APIView):
    permission_classes = [IsPerson]

    @extend_schema(
        tags=TAGS,
        summary="The organization's invitations",
        parameters=[
            OpenApiParameter("status", str, enum=InvitationStatus.values),
            *page_parameters(),
        ],
        responses={
            200: paginated_envelope("InvitationList", s.InvitationSerializer(many=True)),
            **errors(400, 401, 403, 404),
        },
    )
    def get(self, request, org_id: str):
        organization = access.organization_get(org_id)
        access.require_org_staff(request.user, organization)
        status = request.query_params.get("status") or None
        if status and status not in InvitationStatus.values:
            raise InvalidInput(
                f"status must be one of {', '.join(InvitationStatus.values)}.", "INVALID_CHOICE", field="status"
            )
        page, per_page = page_params(request.query_params)
        rows, pagination = paginate(selectors.organization_invitations(organization, status=status), page, per_page)
        return ok([invitation_payload(row) for row in rows], meta={"pagination": pagination})


class OrganizationInvitationView(APIView):
    permission_classes = [IsPerson]

    @extend_schema(
        tags=TAGS,
        summary="Revoke a pending invitation",
        request=None,
        responses={200: envelope("InvitationRevoked", s.InvitationSerializer()), **errors(401, 403, 404, 409)},
    )
    def delete(self, request, org_id: str, invitation_id: str):
        organization = access.organization_get(org_id)
        access.require_org_staff(request.user, organization)
        invitation = invitations.invitation_revoke(organization=organization, invitation_id=invitation_id)
        return ok(invitation_payload(invitation))


class MyInvitationsView(APIView):
    permission_classes = [IsPerson]

    @extend_schema(
        tags=TAGS,
        summary="My pending invitations",
        responses={200: envelope("MyInvitationList", s.MyInvitationSerializer(many=True)), **errors(401, 403)},
    )
    def get(self, request):
        return ok([my_invitation_payload(row) for row in selectors.user_pending_invitations(request.user)])


class _InvitationAnswerView(APIView):
    permission_classes = [IsPerson]
    answer = None  # the service: invitations.invitation_accept or invitation_decline

    def post(self, request, invitation_id: str):
        data = s.InvitationAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = type(self).answer(
            invitation_id=invitation_id, user=request.user, token=data.validated_data.get("token")
        )
        return ok(my_invitation_payload(invitation))


ANSWER_SCHEMA = {
    "tags": TAGS,
    "request": s.InvitationAnswerSerializer,
    "responses": {200: envelope("InvitationAnswered", s.MyInvitationSerializer()), **errors(400, 401, 403, 404, 409)},
}


class InvitationAcceptView(_InvitationAnswerView):
    answer = invitations.invitation_accept

    @extend_schema(summary="Accept an invitation: the membership starts now", **ANSWER_SCHEMA)
    def post(self, request, invitation_id: str):
        return super().post(request, invitation_id)


class InvitationDeclineView(_InvitationAnswerView):
    answer = invitations.invitation_decline

    @extend_schema(summary="Decline an invitation", **ANSWER_SCHEMA)
    def post(self, request, invitation_id: str):
        return super().post(request, invitation_id)


class LeaveOrganizationView(APIView):
    permission_classes = [IsPerson]

    @extend_schema(
        tags=TAGS,
        summary="Leave an organization: its staff lose access to your data at once",
        request=None,
        responses={
            200: envelope(
                "OrganizationLeft",
                inline_serializer(
                    "LeftOrganization", {"org_id": serializers.CharField(), "left_at": serializers.DateTimeField()}
                ),
            ),
            **errors(401, 403, 404, 409),
        },
    )
    def post(self, request, org_id: str):
        organization = access.organization_get(org_id)
        membership = services.membership_leave(organization=organization, user=request.user)
        return ok({"org_id": organization.public_id, "left_at": membership.left_at.isoformat()})


class MyDataAccessView(APIView):
    permission_classes = [IsPerson]

    @extend_schema(
        tags=["users"],
        summary="Who can see my data",
        description="Every organization you are an active member of, its coaches and admins and since when. "
        "Superusers of this installation can read every account.",
        responses={200: envelope("MyDataAccess", s.DataAccessSerializer(many=True)), **errors(401, 403)},
    )
    def get(self, request):
        return ok([data_access_payload(entry) for entry in selectors.user_data_access(request.user)])
