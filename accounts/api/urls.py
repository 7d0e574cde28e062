from accounts.api import views
from astral.api.routing import endpoint

urlpatterns = [
    endpoint("auth/register", views.RegisterView.as_view(), "auth-register"),
    endpoint("auth/login", views.LoginView.as_view(), "auth-login"),
    endpoint("auth/logout", views.LogoutView.as_view(), "auth-logout"),
    endpoint("auth/me", views.MeView.as_view(), "auth-me"),
    endpoint("users/me", views.UsersMeView.as_view(), "users-me"),
    endpoint("users/me/integrations/<provider>", views.IntegrationView.as_view(), "users-me-integration"),
]
