from astral.api.routing import endpoint
from organizations.api import views

urlpatterns = [
    endpoint("organizations", views.OrganizationsView.as_view(), "organizations"),
    endpoint("organizations/<org_id>/members", views.MembersView.as_view(), "org-members"),
    endpoint("organizations/<org_id>/members/<user_id>", views.MemberView.as_view(), "org-member"),
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
