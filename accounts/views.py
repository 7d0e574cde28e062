"""Web (session) login, throttled exactly like the API login."""

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm

from accounts.services import login_failure_record, login_is_throttled
from astral.client_ip import UNKNOWN, client_ip


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": "Too many failed login attempts; try again in 15 minutes.",
    }

    def clean(self):
        login = self.data.get("username", "")
        ip = client_ip(self.request) if self.request else UNKNOWN
        if login_is_throttled(login=login, ip=ip):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            return super().clean()
        except forms.ValidationError:
            login_failure_record(login=login, ip=ip)
            raise


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True
