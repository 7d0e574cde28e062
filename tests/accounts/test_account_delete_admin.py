"""Deleting users in Django admin goes through accounts.deletion (single and bulk)."""

import pytest

from accounts.models import User
from analytics.models import Activity
from organizations.models import Organization
from tests.factories import ActivityFactory, CoachFactory, MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/accounts/user/"


@pytest.fixture
def club(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    org = OrganizationFactory(name="Club")
    admin = CoachFactory(username="boss")
    MembershipFactory(user=admin, organization=org, role="admin")
    maria = UserFactory(username="maria")
    MembershipFactory(user=maria, organization=org)
    ActivityFactory(user=maria)
    return {"org": org, "admin": admin, "maria": maria}


def test_deleting_one_user_removes_their_data_and_stales_their_organizations(client, club):
    maria = club["maria"]
    response = client.post(f"{CHANGELIST}{maria.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=maria.pk).exists()
    assert Activity.objects.count() == 0
    assert Organization.objects.get().data_version == club["org"].data_version + 1


def test_a_last_admin_cannot_be_deleted_and_the_page_says_why(client, club):
    boss = club["admin"]
    page = client.get(f"{CHANGELIST}{boss.pk}/delete/").content.decode()
    assert "Cannot delete" in page
    assert "You are the last admin of Club; make another member admin first." in page
    client.post(f"{CHANGELIST}{boss.pk}/delete/", {"post": "yes"})
    assert User.objects.filter(pk=boss.pk).exists()


def test_the_bulk_action_refuses_a_selection_with_a_last_admin(client, club):
    chosen = [club["admin"].pk, club["maria"].pk]
    body = {"action": "delete_selected", "_selected_action": chosen, "post": "yes"}
    page = client.post(CHANGELIST, body).content.decode()
    assert "You are the last admin of Club" in page
    assert User.objects.filter(pk__in=chosen).count() == 2

    response = client.post(CHANGELIST, {**body, "_selected_action": [club["maria"].pk]})
    assert response.status_code == 302
    assert not User.objects.filter(pk=club["maria"].pk).exists()
    assert Activity.objects.count() == 0
