"""auth/register, auth/login (with throttling), auth/logout, auth/me and the Bearer token rules."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AccessToken, User
from tests.conftest import bearer_client
from tests.factories import TEST_PASSWORD, CoachFactory, MembershipFactory, OrganizationFactory, UserFactory

REGISTER = "/api/v1/auth/register"
LOGIN = "/api/v1/auth/login"
LOGOUT = "/api/v1/auth/logout"
ME = "/api/v1/auth/me"

pytestmark = pytest.mark.django_db


def register(api, **overrides):
    body = {"username": "maria.lopez", "email": "maria@example.com", "password": "tempo-run-2026", **overrides}
    return api.post(REGISTER, body, format="json")


class TestRegister:
    def test_creates_user_and_returns_token_at_top_level(self, api):
        response = register(api, display_name="María", role="coach")

        assert response.status_code == 201
        body = response.json()
        user = User.objects.get(username="maria.lopez")
        assert body["user_id"] == user.public_id
        assert body["user_id"].startswith("usr_")
        assert body["token_type"] == "Bearer"
        assert body["access_token"].startswith("ast_")
        assert "data" not in body
        assert user.role == "coach"
        assert user.display_name == "María"
        assert user.check_password("tempo-run-2026")
        assert user.password != "tempo-run-2026"
        # The token works straight away.
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {body['access_token']}")
        assert api.get(ME).json()["username"] == "maria.lopez"

    def test_default_role_is_athlete(self, api):
        register(api)
        assert User.objects.get(username="maria.lopez").role == "athlete"

    def test_token_is_stored_only_as_sha256(self, api):
        token = register(api).json()["access_token"]

        row = AccessToken.objects.get()
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        stored = [str(value) for value in AccessToken.objects.values().get().values()]
        assert all(token not in value for value in stored)

    def test_expires_at_is_thirty_days_out(self, api):
        before = timezone.now()
        register(api)
        row = AccessToken.objects.get()
        assert timedelta(days=29, hours=23) < row.expires_at - before <= timedelta(days=30, seconds=5)

    @pytest.mark.parametrize(
        ("existing", "body", "code", "field"),
        [
            ({"username": "maria.lopez"}, {}, "USERNAME_TAKEN", "username"),
            ({"username": "Maria.Lopez"}, {}, "USERNAME_TAKEN", "username"),
            ({"email": "MARIA@example.com"}, {"username": "other"}, "EMAIL_TAKEN", "email"),
        ],
    )
    def test_duplicates_are_409(self, api, existing, body, code, field):
        UserFactory(**existing)
        before = User.objects.count()

        response = register(api, **body)

        assert response.status_code == 409
        assert response.json()["details"] == {"code": code, "field": field}
        assert User.objects.count() == before

    @pytest.mark.parametrize(
        ("body", "field", "code"),
        [
            ({"email": "not-an-email"}, "email", "INVALID"),
            ({"password": "short"}, "password", "WEAK_PASSWORD"),
            ({"password": "12345678901"}, "password", "WEAK_PASSWORD"),
            ({"password": "password123"}, "password", "WEAK_PASSWORD"),
            ({"username": "a b"}, "username", "INVALID"),
            ({"username": ""}, "username", "BLANK"),
            ({"role": "admin"}, "role", "INVALID_CHOICE"),
        ],
    )
    def test_bad_input_is_400_with_field_and_nothing_stored(self, api, body, field, code):
        response = register(api, **body)

        assert response.status_code == 400
        payload = response.json()
        assert payload["details"] == {"code": code, "field": field}
        assert isinstance(payload["error"], str) and payload["error"]
        assert not User.objects.exists()

    def test_missing_fields(self, api):
        response = api.post(REGISTER, {}, format="json")
        assert response.status_code == 400
        assert response.json()["details"] == {"code": "REQUIRED", "field": "username"}


class TestLogin:
    def test_by_username_and_by_email(self, api):
        user = UserFactory(username="kip", email="kip@example.com")
        for login in ("kip", "KIP", "kip@example.com", "Kip@Example.com"):
            response = api.post(LOGIN, {"username": login, "password": TEST_PASSWORD}, format="json")
            assert response.status_code == 200, login
            body = response.json()
            assert body["user_id"] == user.public_id
            assert body["token_type"] == "Bearer"
            assert body["expires_at"]
        by_email_key = api.post(LOGIN, {"email": "kip@example.com", "password": TEST_PASSWORD}, format="json")
        assert by_email_key.status_code == 200
        assert AccessToken.objects.filter(user=user).count() == 5

    def test_unknown_user_and_wrong_password_look_the_same(self, api):
        UserFactory(username="kip")
        wrong = api.post(LOGIN, {"username": "kip", "password": "nope-nope-1"}, format="json")
        unknown = api.post(LOGIN, {"username": "ghost", "password": "nope-nope-1"}, format="json")

        assert wrong.status_code == unknown.status_code == 401
        assert wrong.json() == unknown.json()
        assert wrong.json()["details"]["code"] == "INVALID_CREDENTIALS"
        assert not AccessToken.objects.exists()

    def test_inactive_user_cannot_log_in(self, api):
        UserFactory(username="kip", is_active=False)
        response = api.post(LOGIN, {"username": "kip", "password": TEST_PASSWORD}, format="json")
        assert response.status_code == 401

    def test_missing_password_is_400(self, api):
        response = api.post(LOGIN, {"username": "kip"}, format="json")
        assert response.status_code == 400
        assert response.json()["details"] == {"code": "REQUIRED", "field": "password"}

    def test_sixth_failure_for_one_username_is_throttled(self, api):
        UserFactory(username="kip")
        for attempt in range(5):
            response = api.post(
                LOGIN, {"username": "kip", "password": "bad"}, format="json", REMOTE_ADDR=f"10.0.0.{attempt}"
            )
            assert response.status_code == 401
        # Sixth attempt, from yet another address and with the right password: still refused.
        sixth = api.post(LOGIN, {"username": "kip", "password": TEST_PASSWORD}, format="json", REMOTE_ADDR="10.0.0.99")
        assert sixth.status_code == 429
        assert sixth.json()["details"]["code"] == "RATE_LIMITED"
        assert not AccessToken.objects.exists()
        # Another user from a fresh address is unaffected.
        UserFactory(username="zola")
        ok = api.post(LOGIN, {"username": "zola", "password": TEST_PASSWORD}, format="json", REMOTE_ADDR="10.0.1.1")
        assert ok.status_code == 200

    def test_sixth_failure_from_one_ip_is_throttled(self, api):
        UserFactory(username="zola")
        for attempt in range(5):
            response = api.post(
                LOGIN, {"username": f"guess{attempt}", "password": "bad"}, format="json", REMOTE_ADDR="10.9.9.9"
            )
            assert response.status_code == 401
        blocked = api.post(
            LOGIN, {"username": "zola", "password": TEST_PASSWORD}, format="json", REMOTE_ADDR="10.9.9.9"
        )
        assert blocked.status_code == 429
        elsewhere = api.post(
            LOGIN, {"username": "zola", "password": TEST_PASSWORD}, format="json", REMOTE_ADDR="10.9.9.8"
        )
        assert elsewhere.status_code == 200

    def test_five_failures_are_still_allowed_and_window_expires(self, api, settings):
        from django.core.cache import cache

        UserFactory(username="kip")
        for _ in range(4):
            api.post(LOGIN, {"username": "kip", "password": "bad"}, format="json")
        fifth_try_ok = api.post(LOGIN, {"username": "kip", "password": TEST_PASSWORD}, format="json")
        assert fifth_try_ok.status_code == 200
        # Window expiry: the counters are cache entries with the window as their timeout.
        for _ in range(5):
            api.post(LOGIN, {"username": "kip", "password": "bad"}, format="json")
        assert api.post(LOGIN, {"username": "kip", "password": TEST_PASSWORD}, format="json").status_code == 429
        cache.clear()  # what the 15-minute expiry does
        assert api.post(LOGIN, {"username": "kip", "password": TEST_PASSWORD}, format="json").status_code == 200

    def test_failures_count_per_installation(self, api, installation_switch):
        """Another installation on the same Redis (here: another installation id) neither sees nor
        adds to this one's counters; back on this one, the lock is still there."""
        UserFactory(username="zola")
        for _ in range(5):
            api.post(LOGIN, {"username": "zola", "password": "bad"}, format="json")
        assert api.post(LOGIN, {"username": "zola", "password": TEST_PASSWORD}, format="json").status_code == 429
        original = installation_switch.installation_id()
        installation_switch.installation_id_rotate()
        assert api.post(LOGIN, {"username": "zola", "password": TEST_PASSWORD}, format="json").status_code == 200
        installation_switch._memo = original
        assert api.post(LOGIN, {"username": "zola", "password": TEST_PASSWORD}, format="json").status_code == 429


class TestTokens:
    def test_logout_revokes_the_presented_token_only(self):
        user = UserFactory()
        first, second = bearer_client(user), bearer_client(user)

        response = first.post(LOGOUT)

        assert response.status_code == 200
        assert response.json()["status"] == "ok"
        again = first.get(ME)
        assert again.status_code == 401
        assert again.json()["details"]["code"] == "TOKEN_REVOKED"
        assert second.get(ME).status_code == 200

    def test_expired_token(self):
        user = UserFactory()
        client = bearer_client(user)
        AccessToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

        response = client.get(ME)

        assert response.status_code == 401
        assert response.json()["details"]["code"] == "TOKEN_EXPIRED"
        assert response["WWW-Authenticate"].startswith("Bearer")

    @pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer", "Token abc", "Bearer a b", "Basic dXNlcjpwYXNz"])
    def test_garbage_credentials(self, api, header):
        api.credentials(HTTP_AUTHORIZATION=header)
        response = api.get(ME)
        assert response.status_code == 401
        assert response.json()["details"]["code"] == "INVALID_TOKEN"
        assert response["WWW-Authenticate"].startswith("Bearer")

    def test_anonymous(self, api):
        response = api.get(ME)
        assert response.status_code == 401
        assert response.json() == {
            "error": "Authentication credentials were not provided.",
            "details": {"code": "NOT_AUTHENTICATED"},
        }
        assert response["WWW-Authenticate"].startswith("Bearer")

    def test_deactivated_user_token_stops_working(self):
        user = UserFactory()
        client = bearer_client(user)
        User.objects.filter(pk=user.pk).update(is_active=False)
        assert client.get(ME).status_code == 401


class TestMe:
    def test_fields_at_top_level(self):
        coach = CoachFactory(username="coach.k", email="k@example.com", display_name="Coach K")
        org = OrganizationFactory()
        MembershipFactory(user=coach, organization=org, role="admin")

        body = bearer_client(coach).get(ME).json()

        assert body["status"] == "ok"
        assert body["user_id"] == coach.public_id
        assert body["username"] == "coach.k"
        assert body["email"] == "k@example.com"
        assert body["display_name"] == "Coach K"
        assert body["role"] == "coach"
        assert body["org_id"] == org.public_id
        assert body["timezone"] == "UTC"
        assert body["unit_system"] == "metric"

    def test_org_id_is_null_without_membership_and_ignores_inactive(self):
        athlete = UserFactory()
        MembershipFactory(user=athlete, active=False)
        assert bearer_client(athlete).get(ME).json()["org_id"] is None

    def test_coach_primary_org_prefers_staff_membership(self):
        coach = CoachFactory()
        as_athlete = OrganizationFactory()
        as_coach = OrganizationFactory()
        MembershipFactory(user=coach, organization=as_athlete, role="athlete")
        MembershipFactory(user=coach, organization=as_coach, role="coach")
        assert bearer_client(coach).get(ME).json()["org_id"] == as_coach.public_id
