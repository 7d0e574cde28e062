from astral.api.routing import endpoint
from organizations.api import invitation_views, views

urlpatterns = [
    endpoint("organizations", views.OrganizationsView.as_view(), "organizations"),
    endpoint("organizations/<org_id>/members", views.MembersView.as_view(), "org-members"),
    endpoint("organizations/<org_id>/members/<user_id>", views.MemberView.as_view(), "org-member"),
    endpoint(
        "organizations/<org_id>/invitations", invitation_views.OrganizationInvitationsView.as_view(), "org-invitations"
    ),
    endpoint(
        "organizations/<org_id>/invitations/<invitation_id>",
        invitation_views.OrganizationInvitationView.as_view(),
        "org-invitation",
    ),
    endpoint("organizations/<org_id>/leave", invitation_views.LeaveOrganizationView.as_view(), "org-leave"),
    endpoint("invitations", invitation_views.MyInvitationsView.as_view(), "invitations"),
    endpoint(
        "invitations/<invitation_id>/accept", invitation_views.InvitationAcceptView.as_view(), "invitation-accept"
    ),
    endpoint(
        "invitations/<invitation_id>/decline", invitation_views.InvitationDeclineView.as_view(), "invitation-decline"
    ),
    endpoint("users/me/access", invitation_views.MyDataAccessView.as_view(), "users-me-access"),
    endpoint("organizations/<org_id>/groups", views.GroupsView.as_view(), "org-groups"),
    endpoint("organizations/<org_id>/groups/<group_id>/members", views.GroupMembersView.as_view(), "org-group-members"),
    endpoint(
        "organizations/<org_id>/groups/<group_id>/members/<user_id>",
        views.GroupMemberView.as_view(),
        "org-group-member",
    ),
    endpoint("organizations/<org_id>/api_keys", views.ApiKeysView.as_view(), "org-api-keys"),
    endpoint("organizations/<org_id>/api_keys/<key_id>", views.ApiKeyView.as_view(), "org-api-key"),
]
