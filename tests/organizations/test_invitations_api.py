"""Coaching by consent: invitations (create, renew, list, revoke), the invitee's answer, leaving,
and who can see my data."""

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import tokens
from accounts.models import User
from organizations.models import Invitation, InvitationStatus, MemberRole, Membership
from tests.access import key_client
from tests.conftest import bearer_client
from tests.factories import CoachFactory, MembershipFactory, OrganizationFactory, UserFactory
from tests.organizations.checks import API, assert_error, data_state
from tests.smtp import body_of, link_in

pytestmark = pytest.mark.django_db


def invite(client, org, **body):
    return client.post(f"{API}/organizations/{org.public_id}/members", body, format="json")


def answer(client, invitation_id: str, verb: str, **body):
    return client.post(f"{API}/invitations/{invitation_id}/{verb}", body, format="json")


def token_of(link: str) -> str:
    [token] = parse_qs(urlparse(link).query)["token"]
    return token


def coach_reads(coach, athlete) -> int:
    """The status a coach gets for the athlete's activities (an athlete-data endpoint)."""
    return bearer_client(coach).get(f"{API}/activities", {"user_id": athlete.public_id}).status_code


@pytest.fixture
def nina(db):
    return UserFactory(username="nina", email="nina@example.com", display_name="Nina Noor")


# --- creating ----------------------------------------------------------------------------------


def test_inviting_an_account_answers_202_and_mails_a_one_time_link(
    org, coach, coach_client, nina, mailbox, django_capture_on_commit_callbacks
):
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(coach_client, org, user_id=nina.public_id)

    assert response.status_code == 202, response.content
    invitation = Invitation.objects.get()
    body = response.json()
    assert body == {
        "status": "ok",
        "data": {
            "invitation_id": invitation.public_id,
            "status": "pending",
            "role": "athlete",
            "expires_at": invitation.expires_at.isoformat(),
        },
    }
    assert invitation.public_id.startswith("inv_") and len(invitation.public_id) == 20
    assert timedelta(days=7) <= invitation.expires_at - before < timedelta(days=7, seconds=5)
    assert (invitation.invitee, invitation.invited_by, invitation.email) == (nina, coach, "nina@example.com")
    assert not Membership.objects.filter(user=nina).exists()

    [mail] = mailbox.wait_for(1)
    assert mail["To"] == "nina@example.com"
    assert mail["Subject"] == "Invitation to join Tempo Club on Astral"
    link = link_in(mail)
    assert link.startswith(f"http://127.0.0.1:8000/invitations/{invitation.public_id}/?token=asti_")
    assert invitation.token_hash == tokens.digest(token_of(link))  # stored hashed, never in clear
    assert token_of(link) not in str(Invitation.objects.values_list().get())
    assert f"{coach.name} invited you to join Tempo Club" in body_of(mail)


def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(
    org, admin, admin_client, nina, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = invite(admin_client, org, email="NINA@example.com")
        unknown = invite(admin_client, org, email="nobody@example.com")

    assert known.status_code == unknown.status_code == 202
    shape = {key: type(value) for key, value in known.json()["data"].items()}
    assert shape == {key: type(value) for key, value in unknown.json()["data"].items()}
    assert known.json()["data"]["status"] == unknown.json()["data"]["status"] == "pending"
    # Neither is bound to an account: the organization learns nothing about who has one.
    assert sorted(Invitation.objects.values_list("email", "invitee")) == [
        ("NINA@example.com", None),
        ("nobody@example.com", None),
    ]
    listed = admin_client.get(f"{API}/organizations/{org.public_id}/invitations").json()["data"]
    assert [(row["email"], row["invitee"]) for row in listed] == [
        ("nobody@example.com", None),
        ("NINA@example.com", None),
    ]
    mails = {mail["To"]: link_in(mail) for mail in mailbox.wait_for(2)}
    assert "/invitations/inv_" in mails["NINA@example.com"]  # log in, then accept
    assert mails["nobody@example.com"].startswith("http://127.0.0.1:8000/accounts/signup/?invitation=inv_")
    assert "token=asti_" in mails["nobody@example.com"]


def test_inviting_again_renews_the_open_invitation(
    org, admin, admin_client, nina, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = invite(admin_client, org, user_id=nina.public_id).json()["data"]
    Invitation.objects.update(expires_at=timezone.now() + timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        second = invite(admin_client, org, username="NINA", role="athlete").json()["data"]

    assert second["invitation_id"] == first["invitation_id"]
    assert Invitation.objects.count() == 1
    assert second["expires_at"] > first["expires_at"] or second["expires_at"] == first["expires_at"]
    old_link, new_link = (link_in(mail) for mail in mailbox.wait_for(2))
    assert old_link != new_link
    nina_client = bearer_client(nina)
    stale = answer(nina_client, first["invitation_id"], "decline", token=token_of(old_link))
    assert stale.status_code == 200  # made out to nina's account: her login is enough
    assert Invitation.objects.get().status == InvitationStatus.DECLINED


def test_an_expired_invitation_is_replaced_by_a_new_one(org, admin, admin_client, nina):
    first = invite(admin_client, org, user_id=nina.public_id).json()["data"]
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    second = invite(admin_client, org, user_id=nina.public_id).json()["data"]

    assert second["invitation_id"] == first["invitation_id"]  # renewed: one open invitation per person
    assert second["status"] == "pending"


# --- the invitee's answer --------------------------------------------------------------------


def test_the_invitee_lists_accepts_and_only_then_the_coach_reads_their_data(org, admin, coach, nina):
    invitation_id = invite(bearer_client(coach), org, user_id=nina.public_id).json()["data"]["invitation_id"]
    nina_client = bearer_client(nina)
    invitation = Invitation.objects.get()

    listed = nina_client.get(f"{API}/invitations")
    assert listed.json() == {
        "status": "ok",
        "data": [
            {
                "invitation_id": invitation_id,
                "status": "pending",
                "role": "athlete",
                "expires_at": invitation.expires_at.isoformat(),
                "org_id": org.public_id,
                "organization": "Tempo Club",
                "invited_by": {"user_id": coach.public_id, "display_name": coach.display_name},
                "created_at": invitation.created_at.isoformat(),
            }
        ],
    }
    assert coach_reads(coach, nina) == 403

    accepted = answer(nina_client, invitation_id, "accept")

    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["data"]["status"] == "accepted"
    membership = Membership.objects.get(organization=org, user=nina)
    assert (membership.role, membership.active) == (MemberRole.ATHLETE, True)
    assert coach_reads(coach, nina) == 200
    assert nina_client.get(f"{API}/invitations").json()["data"] == []
    again = answer(nina_client, invitation_id, "accept")
    assert_error(again, 409, "INVITATION_ACCEPTED")


def test_an_email_invitation_is_accepted_with_the_mailed_token(org, admin, admin_client, nina):
    invite(admin_client, org, email="someone@example.org")
    invitation = Invitation.objects.get()
    secret = tokens.new_secret("asti_")
    Invitation.objects.update(token_hash=tokens.digest(secret))
    nina_client = bearer_client(nina)

    without = answer(nina_client, invitation.public_id, "accept")
    wrong = answer(nina_client, invitation.public_id, "accept", token="asti_wrong")
    assert_error(without, 404, "INVITATION_NOT_FOUND")
    assert_error(wrong, 404, "INVITATION_NOT_FOUND")

    accepted = answer(nina_client, invitation.public_id, "accept", token=secret)

    assert accepted.status_code == 200, accepted.content
    invitation.refresh_from_db()
    assert (invitation.status, invitation.invitee, invitation.responded_by) == ("accepted", nina, nina)
    assert Membership.objects.filter(organization=org, user=nina, active=True).exists()
    reused = answer(bearer_client(UserFactory()), invitation.public_id, "accept", token=secret)
    assert_error(reused, 404, "INVITATION_NOT_FOUND")  # the link worked once


def test_a_new_account_registers_from_the_mail_and_accepts(
    org, admin, admin_client, api, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(admin_client, org, email="fresh@example.com")
    link = link_in(mailbox.wait_for(1)[0])
    query = parse_qs(urlparse(link).query)
    registered = api.post(
        f"{API}/auth/register",
        {"username": "fresh", "email": "fresh@example.com", "password": "a-Long-passw0rd!"},
        format="json",
    )
    assert registered.status_code == 201, registered.content
    fresh = bearer_client(User.objects.get(username="fresh"))

    accepted = answer(fresh, query["invitation"][0], "accept", token=query["token"][0])

    assert accepted.status_code == 200, accepted.content
    assert Membership.objects.filter(organization=org, user__username="fresh", active=True).exists()


@pytest.mark.parametrize(
    ("state", "code"),
    [("expired", "INVITATION_EXPIRED"), ("revoked", "INVITATION_REVOKED"), ("declined", "INVITATION_DECLINED")],
)
@pytest.mark.parametrize("verb", ["accept", "decline"])
def test_an_invitation_that_is_no_longer_pending_cannot_be_answered(org, admin, admin_client, nina, state, code, verb):
    invitation_id = invite(admin_client, org, user_id=nina.public_id).json()["data"]["invitation_id"]
    if state == "expired":
        Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    elif state == "revoked":
        admin_client.delete(f"{API}/organizations/{org.public_id}/invitations/{invitation_id}")
    else:
        answer(bearer_client(nina), invitation_id, "decline")
    before = data_state()

    response = answer(bearer_client(nina), invitation_id, verb)

    assert_error(response, 409, code)
    assert data_state() == before
    assert coach_reads(admin, nina) == 403


def test_someone_elses_invitation_is_404_and_changes_nothing(org, admin, admin_client, nina):
    invitation_id = invite(admin_client, org, user_id=nina.public_id).json()["data"]["invitation_id"]
    stranger = bearer_client(UserFactory())
    before = data_state()

    for verb in ("accept", "decline"):
        response = answer(stranger, invitation_id, verb)
        assert_error(response, 404, "INVITATION_NOT_FOUND")
    unknown = answer(bearer_client(nina), "inv_0000000000000000", "accept")

    assert_error(unknown, 404, "INVITATION_NOT_FOUND")
    assert data_state() == before


def test_a_link_made_out_to_another_account_is_refused(org, admin, admin_client, nina):
    invite(admin_client, org, user_id=nina.public_id)
    secret = tokens.new_secret("asti_")
    Invitation.objects.update(token_hash=tokens.digest(secret))
    stranger = bearer_client(UserFactory())
    before = data_state()

    response = answer(stranger, Invitation.objects.get().public_id, "accept", token=secret)

    assert_error(response, 403, "INVITATION_FOR_ANOTHER_ACCOUNT")
    assert data_state() == before


def test_an_athlete_account_cannot_accept_a_coach_role(org, admin, admin_client, nina):
    invite(admin_client, org, email="staff@example.org", role="coach")
    secret = tokens.new_secret("asti_")
    Invitation.objects.update(token_hash=tokens.digest(secret))
    before = data_state()

    response = answer(bearer_client(nina), Invitation.objects.get().public_id, "accept", token=secret)

    assert_error(response, 403, "INVALID_ROLE")
    assert data_state() == before


def test_declining_leaves_the_coach_outside(org, coach, nina):
    invitation_id = invite(bearer_client(coach), org, user_id=nina.public_id).json()["data"]["invitation_id"]

    declined = answer(bearer_client(nina), invitation_id, "decline")

    assert declined.json()["data"]["status"] == "declined"
    assert not Membership.objects.filter(user=nina).exists()
    assert coach_reads(coach, nina) == 403


# --- the organization's list and revoke ---------------------------------------------------------


def test_staff_list_every_status_and_filter_by_it(org, admin, coach, admin_client):
    people = {state: UserFactory(username=f"p_{state}") for state in ("pending", "accepted", "declined", "expired")}
    ids = {}
    for state, person in people.items():
        ids[state] = invite(admin_client, org, user_id=person.public_id).json()["data"]["invitation_id"]
    answer(bearer_client(people["accepted"]), ids["accepted"], "accept")
    answer(bearer_client(people["declined"]), ids["declined"], "decline")
    Invitation.objects.filter(public_id=ids["expired"]).update(expires_at=timezone.now() - timedelta(seconds=1))
    revoked = invite(admin_client, org, email="gone@example.org").json()["data"]["invitation_id"]
    admin_client.delete(f"{API}/organizations/{org.public_id}/invitations/{revoked}")

    listed = bearer_client(coach).get(f"{API}/organizations/{org.public_id}/invitations").json()

    statuses = {row["invitation_id"]: row["status"] for row in listed["data"]}
    assert statuses == {**{ids[s]: s for s in ids}, revoked: "revoked"}
    assert listed["meta"]["pagination"]["total"] == 5
    accepted = next(row for row in listed["data"] if row["invitation_id"] == ids["accepted"])
    invitation = Invitation.objects.get(public_id=ids["accepted"])
    assert accepted == {
        "invitation_id": ids["accepted"],
        "status": "accepted",
        "role": "athlete",
        "email": people["accepted"].email,
        "invitee": {"user_id": people["accepted"].public_id, "display_name": people["accepted"].display_name},
        "invited_by": {"user_id": admin.public_id, "display_name": admin.display_name},
        "created_at": invitation.created_at.isoformat(),
        "expires_at": invitation.expires_at.isoformat(),
        "responded_at": invitation.responded_at.isoformat(),
    }
    for state in ("pending", "expired", "revoked"):
        rows = admin_client.get(f"{API}/organizations/{org.public_id}/invitations", {"status": state}).json()["data"]
        assert [row["status"] for row in rows] == [state]
    bad = admin_client.get(f"{API}/organizations/{org.public_id}/invitations", {"status": "maybe"})
    assert_error(bad, 400, "INVALID_CHOICE", field="status")


def test_invitation_list_query_count_does_not_grow():
    def queries(count: int) -> int:
        organization = OrganizationFactory()
        admin = CoachFactory()
        MembershipFactory(user=admin, organization=organization, role="admin")
        client = bearer_client(admin)
        for index in range(count):
            invite(client, organization, email=f"person{index}@example.org")
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{API}/organizations/{organization.public_id}/invitations", {"per_page": 200})
        assert len(response.json()["data"]) == count
        return len(captured)

    assert queries(1) == queries(200)


def test_revoking_a_pending_invitation(org, admin, admin_client, nina):
    invitation_id = invite(admin_client, org, user_id=nina.public_id).json()["data"]["invitation_id"]
    url = f"{API}/organizations/{org.public_id}/invitations/{invitation_id}"

    revoked = admin_client.delete(url)

    assert revoked.status_code == 200
    assert revoked.json()["data"]["status"] == "revoked"
    assert bearer_client(nina).get(f"{API}/invitations").json()["data"] == []
    assert_error(admin_client.delete(url), 409, "INVITATION_NOT_PENDING")
    assert_error(answer(bearer_client(nina), invitation_id, "accept"), 409, "INVITATION_REVOKED")


def test_another_organizations_invitation_cannot_be_revoked(org, admin, admin_client, other_org):
    other_admin = CoachFactory()
    MembershipFactory(user=other_admin, organization=other_org, role="admin")
    invitation_id = invite(bearer_client(other_admin), other_org, email="x@example.org").json()["data"]["invitation_id"]
    before = data_state()

    response = admin_client.delete(f"{API}/organizations/{org.public_id}/invitations/{invitation_id}")

    assert_error(response, 404, "INVITATION_NOT_FOUND")
    assert data_state() == before


# --- leaving and who can see my data -----------------------------------------------------------


def test_an_athlete_leaves_and_access_ends_at_once_cached_answers_included(org, coach, runner, runner_client):
    coach_client = bearer_client(coach)
    profile = f"{API}/analytics/athlete_profile"
    roster = f"{API}/analytics/coach_athletes_metrics"
    assert coach_client.get(profile, {"user_id": runner.public_id}).status_code == 200
    assert coach_client.get(profile, {"user_id": runner.public_id})["X-Cache"] == "HIT"
    listed = coach_client.get(roster, {"org_id": org.public_id}).json()["data"]
    assert [a["user_id"] for a in listed["athletes"]] == [runner.public_id]

    left = runner_client.post(f"{API}/organizations/{org.public_id}/leave")

    assert left.status_code == 200, left.content
    membership = Membership.objects.get(organization=org, user=runner)
    assert left.json() == {"status": "ok", "data": {"org_id": org.public_id, "left_at": membership.left_at.isoformat()}}
    assert membership.active is False  # the row stays as history
    assert_error(coach_client.get(profile, {"user_id": runner.public_id}), 403, "FORBIDDEN")
    assert coach_reads(coach, runner) == 403
    after = coach_client.get(roster, {"org_id": org.public_id}).json()["data"]
    assert after["athletes"] == []
    assert_error(runner_client.post(f"{API}/organizations/{org.public_id}/leave"), 404, "NOT_A_MEMBER")


def test_the_last_admin_cannot_leave(org, admin, admin_client, runner):
    before = data_state()

    response = admin_client.post(f"{API}/organizations/{org.public_id}/leave")

    assert_error(response, 409, "LAST_ADMIN")
    assert data_state() == before


def test_users_me_access_lists_who_can_see_my_data(org, admin, coach, runner, runner_client, other_org):
    other_coach = CoachFactory(display_name="Olga Other")
    MembershipFactory(user=other_coach, organization=other_org, role="coach")
    MembershipFactory(user=runner, organization=other_org)
    MembershipFactory(user=UserFactory(), organization=org)  # a teammate cannot see me
    from organizations.services import api_key_create

    api_key_create(organization=org, name="sync", created_by=admin)
    own = {m.organization_id: m for m in Membership.objects.filter(user=runner)}
    staff = {m.user_id: m for m in Membership.objects.filter(role__in=["coach", "admin"])}

    response = runner_client.get(f"{API}/users/me/access")

    assert response.json() == {
        "status": "ok",
        "data": [
            {
                "org_id": org.public_id,
                "organization": "Tempo Club",
                "role": "athlete",
                "member_since": own[org.pk].joined_at.isoformat(),
                "staff": [
                    {
                        "user_id": admin.public_id,
                        "display_name": admin.display_name,
                        "role": "admin",
                        "since": staff[admin.pk].joined_at.isoformat(),
                    },
                    {
                        "user_id": coach.public_id,
                        "display_name": coach.display_name,
                        "role": "coach",
                        "since": staff[coach.pk].joined_at.isoformat(),
                    },
                ],
                "api_keys": 1,
            },
            {
                "org_id": other_org.public_id,
                "organization": "Other Club",
                "role": "athlete",
                "member_since": own[other_org.pk].joined_at.isoformat(),
                "staff": [
                    {
                        "user_id": other_coach.public_id,
                        "display_name": "Olga Other",
                        "role": "coach",
                        "since": staff[other_coach.pk].joined_at.isoformat(),
                    }
                ],
                "api_keys": 0,
            },
        ],
    }
    runner_client.post(f"{API}/organizations/{other_org.public_id}/leave")
    assert [row["org_id"] for row in runner_client.get(f"{API}/users/me/access").json()["data"]] == [org.public_id]


# --- who may call -----------------------------------------------------------------------------


PERSONAL = [("get", "invitations"), ("post", "invitations/inv_0000000000000000/accept"), ("get", "users/me/access")]


@pytest.mark.parametrize(("method", "path"), PERSONAL)
def test_personal_endpoints_need_a_person(org, api, method, path):
    from organizations.services import api_key_create

    secret, _ = api_key_create(organization=org, name="k", created_by=None)
    assert getattr(api, method)(f"{API}/{path}").status_code == 401
    assert_error(getattr(key_client(secret), method)(f"{API}/{path}"), 403, "FORBIDDEN")


def test_a_not_yet_accepted_coach_cannot_list_or_revoke_invitations(org, admin, admin_client):
    invited = CoachFactory()
    invite(admin_client, org, user_id=invited.public_id, role="coach")
    invitation_id = Invitation.objects.get().public_id
    client = bearer_client(invited)
    before = data_state()

    listed = client.get(f"{API}/organizations/{org.public_id}/invitations")
    revoked = client.delete(f"{API}/organizations/{org.public_id}/invitations/{invitation_id}")

    assert_error(listed, 403, "FORBIDDEN")
    assert_error(revoked, 403, "FORBIDDEN")
    assert data_state() == before
    accepted = answer(client, invitation_id, "accept")
    assert accepted.json()["data"]["role"] == "coach"
    assert client.get(f"{API}/organizations/{org.public_id}/invitations").status_code == 200


def test_my_invitations_and_my_access_query_counts_do_not_grow():
    def queries(count: int) -> tuple[int, int]:
        person = UserFactory()
        for _ in range(count):
            organization, admin = OrganizationFactory(), CoachFactory()
            MembershipFactory(user=admin, organization=organization, role="admin")
            MembershipFactory(user=CoachFactory(), organization=organization, role="coach")
            invite(bearer_client(admin), organization, user_id=person.public_id)
            joined = OrganizationFactory()  # a member there, with a coach who sees the data
            MembershipFactory(user=CoachFactory(), organization=joined, role="coach")
            MembershipFactory(user=person, organization=joined)
        client = bearer_client(person)
        client.get(f"{API}/invitations")  # the token's last_used_at is written once
        counts = []
        for path, expected in (("invitations", count), ("users/me/access", count)):
            with CaptureQueriesContext(connection) as captured:
                assert len(client.get(f"{API}/{path}").json()["data"]) == expected
            counts.append(len(captured))
        return tuple(counts)

    assert queries(1) == queries(30)
