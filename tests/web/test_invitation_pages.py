"""Pages of coaching by consent: the invitee's invitations and the mailed link's page, sign-up
from an invitation mail, and the Athletes page's invited list with invite and revoke."""

from datetime import timedelta
from urllib.parse import parse_qs, quote, urlparse

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from organizations.invitations import invitation_create
from organizations.models import Invitation, InvitationStatus, Membership
from tests.factories import CoachFactory, MembershipFactory, OrganizationFactory, UserFactory
from tests.smtp import link_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def club():
    org = OrganizationFactory(name="Harbour Runners")
    coach = CoachFactory(display_name="Coach Kim")
    MembershipFactory(user=coach, organization=org, role="admin")
    nina = UserFactory(username="nina", display_name="Nina Noor", email="nina@example.com")
    return {"org": org, "coach": coach, "nina": nina}


def invite(club, **who):
    return invitation_create(organization=club["org"], inviter=club["coach"], actor_role="admin", role="athlete", **who)


def mailed(club, mailbox, capture, **who) -> tuple[Invitation, str]:
    with capture(execute=True):
        invitation = invite(club, **who)
    return invitation, link_in(mailbox.wait_for(1)[-1])


def path_of(link: str) -> str:
    parsed = urlparse(link)
    return f"{parsed.path}?{parsed.query}"


def test_anonymous_visitors_are_sent_to_log_in_with_the_link_kept(client, club):
    invitation = invite(club, invitee=club["nina"])
    assert client.get("/invitations/")["Location"] == "/accounts/login/?next=/invitations/"
    page = client.get(f"/invitations/{invitation.public_id}/", {"token": "asti_x"})
    assert page.status_code == 302
    assert page["Location"] == "/accounts/login/?next=" + quote(f"/invitations/{invitation.public_id}/?token=asti_x")


def test_the_invitee_lands_on_their_invitations_and_accepts(client, club):
    invite(club, invitee=club["nina"])
    client.force_login(club["nina"])

    assert client.get("/")["Location"] == "/invitations/"
    html = client.get("/invitations/").content.decode()
    assert "Harbour Runners" in html and "Coach Kim invited you to join as an athlete" in html
    invitation = Invitation.objects.get()
    answered = client.post(f"/invitations/{invitation.public_id}/", {"answer": "accept"}, follow=True)

    assert answered.redirect_chain[0] == ("/", 302)
    assert "You joined Harbour Runners" in answered.content.decode()
    assert Membership.objects.filter(organization=club["org"], user=club["nina"], active=True).exists()
    assert client.get("/")["Location"] == f"/athletes/{club['nina'].public_id}/"  # nothing left to answer


def test_declining_on_the_page_creates_no_membership(client, club):
    invitation = invite(club, invitee=club["nina"])
    client.force_login(club["nina"])

    client.post(f"/invitations/{invitation.public_id}/", {"answer": "decline"})

    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.DECLINED
    assert not Membership.objects.filter(user=club["nina"]).exists()


def test_the_mailed_link_opens_the_page_for_whoever_holds_it(client, club, mailbox, django_capture_on_commit_callbacks):
    holder = UserFactory(display_name="Holder", email="someone@example.org")  # not verified: the link proves it
    invitation, link = mailed(club, mailbox, django_capture_on_commit_callbacks, email="someone@example.org")
    client.force_login(holder)

    without_token = client.get(f"/invitations/{invitation.public_id}/")
    assert without_token.status_code == 404
    assert "text/html" in without_token["Content-Type"]
    page = client.get(path_of(link))
    assert page.status_code == 200
    assert "see your activities, wellness" in page.content.decode()
    token = parse_qs(urlparse(link).query)["token"][0]
    assert Invitation.objects.get().status == "pending"  # opening the link answers nothing

    client.post(f"/invitations/{invitation.public_id}/", {"answer": "accept", "token": token})

    assert Membership.objects.filter(organization=club["org"], user=holder, active=True).exists()
    assert "This invitation is accepted" in client.get(path_of(link)).content.decode()
    client.force_login(UserFactory())
    assert client.get(path_of(link)).status_code == 404  # the link worked once


def test_an_expired_invitation_cannot_be_answered_on_the_page(client, club):
    invitation = invite(club, invitee=club["nina"])
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(club["nina"])

    assert "This invitation is expired" in client.get(f"/invitations/{invitation.public_id}/").content.decode()
    answered = client.post(f"/invitations/{invitation.public_id}/", {"answer": "accept"}, follow=True)

    assert "it can no longer be answered" in answered.content.decode()
    assert not Membership.objects.filter(user=club["nina"]).exists()


def test_a_new_person_signs_up_from_the_mail_and_accepts(client, club, mailbox, django_capture_on_commit_callbacks):
    _, link = mailed(club, mailbox, django_capture_on_commit_callbacks, email="fresh@example.com")
    assert urlparse(link).path == "/accounts/signup/"
    form = client.get(path_of(link))
    assert form.status_code == 200 and "You were invited" in form.content.decode()

    created = client.post(
        path_of(link),
        {"username": "fresh", "email": "fresh@example.com", "role": "athlete", "password": "a-Long-passw0rd!"},
    )

    query = parse_qs(urlparse(link).query)
    invitation_id, token = query["invitation"][0], query["token"][0]
    assert created["Location"] == f"/invitations/{invitation_id}/?token={quote(token)}"
    fresh = User.objects.get(username="fresh")
    assert fresh.check_password("a-Long-passw0rd!")
    client.post(f"/invitations/{invitation_id}/", {"answer": "accept", "token": token})
    assert Membership.objects.filter(organization=club["org"], user=fresh, active=True).exists()


def test_sign_up_applies_the_password_rules_and_refuses_a_taken_username(client, club):
    weak = client.post(
        "/accounts/signup/", {"username": "x1", "email": "x1@example.com", "role": "athlete", "password": "12345678"}
    )
    taken = client.post(
        "/accounts/signup/",
        {"username": "NINA", "email": "n2@example.com", "role": "athlete", "password": "a-Long-passw0rd!"},
    )
    assert weak.status_code == taken.status_code == 200
    assert "too common" in weak.content.decode() or "entirely numeric" in weak.content.decode()
    assert "That username is already taken." in taken.content.decode()
    assert not User.objects.filter(username="x1").exists()


def test_a_verified_address_sees_its_email_invitations(api, club):
    from tests.conftest import bearer_client

    invite(club, email="NINA@example.com")
    nina = club["nina"]
    assert bearer_client(nina).get("/api/v1/invitations").json()["data"] == []  # not verified: the link only
    User.objects.filter(pk=nina.pk).update(verified_email="nina@example.com", email_verified_at=timezone.now())
    nina.refresh_from_db()

    listed = bearer_client(nina).get("/api/v1/invitations").json()["data"]
    assert [row["organization"] for row in listed] == ["Harbour Runners"]
    accepted = bearer_client(nina).post(f"/api/v1/invitations/{listed[0]['invitation_id']}/accept")
    assert accepted.status_code == 200, accepted.content
    assert Invitation.objects.get().invitee == nina


# --- the Athletes page -------------------------------------------------------------------------


def test_the_athletes_page_lists_invited_people_without_metrics(client, club):
    invite(club, invitee=club["nina"])
    invite(club, email="pending@example.org")
    client.force_login(club["coach"])

    html = client.get("/athletes/").content.decode()

    invited = html[html.index('id="invited-title"') :]
    roster = html[: html.index('id="invited-title"')]
    assert "Nina Noor" in invited and "pending@example.org" in invited
    assert invited.count(">invited<") == 2 and invited.count(">Revoke<") == 2
    assert "Nina Noor" not in roster  # not a member: no row, no numbers


def test_the_coach_invites_and_revokes_from_the_athletes_page(
    client, club, mailbox, django_capture_on_commit_callbacks
):
    client.force_login(club["coach"])
    org_id = club["org"].public_id

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post("/athletes/invite/", {"org_id": org_id, "email": "new@example.org", "role": "athlete"})

    assert sent["Location"] == f"/athletes/?org_id={org_id}"
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.status, invitation.invited_by) == ("new@example.org", "pending", club["coach"])
    assert mailbox.wait_for(1)[0]["To"] == "new@example.org"
    client.post(f"/athletes/invitations/{invitation.public_id}/revoke/", {"org_id": org_id})
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED


@pytest.mark.parametrize("who", ["anonymous", "athlete", "other_coach", "invited_coach"])
def test_only_the_organizations_staff_invite_or_revoke(client, club, who):
    pending = invite(club, email="keep@example.org")
    org_id = club["org"].public_id
    if who == "athlete":
        client.force_login(club["nina"])
    elif who == "other_coach":
        other = CoachFactory()
        MembershipFactory(user=other, organization=OrganizationFactory(), role="admin")
        client.force_login(other)
    elif who == "invited_coach":
        invited = CoachFactory()
        invitation_create(
            organization=club["org"], inviter=club["coach"], actor_role="admin", role="coach", invitee=invited
        )
        client.force_login(invited)
    before = sorted(Invitation.objects.values_list("email", "status"))

    sent = client.post("/athletes/invite/", {"org_id": org_id, "email": "x@example.org", "role": "athlete"})
    revoked = client.post(f"/athletes/invitations/{pending.public_id}/revoke/", {"org_id": org_id})

    expected = 302 if who == "anonymous" else 403
    assert sent.status_code == revoked.status_code == expected
    if who == "anonymous":
        assert sent["Location"].startswith("/accounts/login/")
    assert sorted(Invitation.objects.values_list("email", "status")) == before


def test_the_invite_form_needs_its_csrf_token(club):
    client = Client(enforce_csrf_checks=True)
    client.force_login(club["coach"])
    response = client.post("/athletes/invite/", {"org_id": club["org"].public_id, "email": "x@example.org"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_the_athletes_page_query_count_does_not_grow_with_invitations(client, club):
    client.force_login(club["coach"])

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/athletes/").status_code == 200
        return len(captured)

    invite(club, email="one@example.org")
    client.get("/athletes/")
    few = count()
    for index in range(60):
        invite(club, invitee=UserFactory(username=f"inv{index}"))
    many = count()
    assert few == many
    assert "Showing 50 of 61 open invitations." in client.get("/athletes/").content.decode()
