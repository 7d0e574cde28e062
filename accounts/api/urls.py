from accounts.api import lifecycle_views, views
from astral.api.routing import endpoint

urlpatterns = [
    endpoint("auth/register", views.RegisterView.as_view(), "auth-register"),
    endpoint("auth/login", views.LoginView.as_view(), "auth-login"),
    endpoint("auth/logout", views.LogoutView.as_view(), "auth-logout"),
    endpoint("auth/me", views.MeView.as_view(), "auth-me"),
    endpoint("auth/verify_email", lifecycle_views.VerifyEmailView.as_view(), "auth-verify-email"),
    endpoint(
        "auth/verify_email/confirm", lifecycle_views.VerifyEmailConfirmView.as_view(), "auth-verify-email-confirm"
    ),
    endpoint("auth/password_reset", lifecycle_views.PasswordResetView.as_view(), "auth-password-reset"),
    endpoint(
        "auth/password_reset/confirm",
        lifecycle_views.PasswordResetConfirmView.as_view(),
        "auth-password-reset-confirm",
    ),
    endpoint("auth/password_change", lifecycle_views.PasswordChangeView.as_view(), "auth-password-change"),
    endpoint("users/me", views.UsersMeView.as_view(), "users-me"),
    endpoint("users/me/integrations/<provider>", views.IntegrationView.as_view(), "users-me-integration"),
]
