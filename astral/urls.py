"""Top-level routes: the API under /api/v1/, its schema and docs, admin, and the web UI."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from accounts import lifecycle_web
from accounts import views as account_views
from astral import views
from astral.api import openapi  # noqa: F401  (registers the auth schemes with drf-spectacular)
from organizations import web as organization_web

api_v1 = [
    path("", include("accounts.api.urls")),
    path("", include("organizations.api.urls")),
    path("", include("analytics.api.urls")),
    path("", include("plans.api.urls")),
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    re_path(r"^api/", views.api_not_found),
    path("admin/", admin.site.urls),
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/", lifecycle_web.password_reset_request, name="password-reset"),
    path("accounts/reset/", lifecycle_web.password_reset_confirm, name="password-reset-confirm"),
    path("accounts/verify-email/", lifecycle_web.verify_email_confirm, name="verify-email"),
    path("accounts/password-change/", lifecycle_web.password_change, name="password-change"),
    path("healthz", views.health, name="health"),
    path("readyz", views.ready, name="ready"),
    path("accounts/signup/", account_views.signup, name="signup"),
    path("", include("organizations.urls")),  # before analytics' athletes/<user_id>/
    path("", include("analytics.web.download_urls")),
    path("", include("analytics.web.attention_urls")),
    path("", include("analytics.web.conversation_urls")),
    path("", include("analytics.web.urls")),
    path("", organization_web.home, name="home"),
]

handler404 = "astral.views.not_found"
handler500 = "astral.views.server_error"
handler403 = "astral.views.forbidden"
handler400 = "astral.views.bad_request"
