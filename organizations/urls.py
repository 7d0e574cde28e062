"""Web routes of coaching by consent (the API's are in organizations/api/urls.py)."""

from django.urls import path

from organizations import web

urlpatterns = [
    path("invitations/", web.invitations_page, name="invitations"),
    path("invitations/<str:invitation_id>/", web.invitation_page, name="invitation"),
    path("athletes/invite/", web.invite, name="athletes-invite"),
    path("athletes/invitations/<str:invitation_id>/revoke/", web.revoke, name="athletes-invitation-revoke"),
]
