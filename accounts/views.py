"""Web (session) login, throttled exactly like the API login, and sign-up."""

from urllib.parse import urlencode

from django import forms
from django.contrib.auth import login, password_validation
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.models import Role, User
from accounts.services import login_failure_record, login_is_throttled, user_register
from astral.client_ip import UNKNOWN, client_ip
from astral.exceptions import ApplicationError
from astral.ids import is_public_id
from astral.web_errors import form_error


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


class SignupForm(forms.Form):
    username = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"}))
    email = forms.EmailField(max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    display_name = forms.CharField(label="Your name", max_length=150, required=False)
    role = forms.ChoiceField(
        label="I am", choices=[(Role.ATHLETE, "an athlete"), (Role.COACH, "a coach")], initial=Role.ATHLETE
    )
    password = forms.CharField(
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters, not a common password, not only digits, not like your username.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("username"):
            probe = User(username=cleaned["username"], email=cleaned.get("email", ""))
            try:
                password_validation.validate_password(cleaned["password"], probe)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


def _invitation_link(params) -> str | None:
    """Where a sign-up from an invitation mail continues: the invitation's page, with its token."""
    invitation, token = params.get("invitation", ""), params.get("token", "")[:128]
    if is_public_id(invitation, "inv") and token:
        return f"/invitations/{invitation}/?{urlencode({'token': token})}"
    return None


@require_http_methods(["GET", "POST"])
def signup(request):
    """Create an account (the same service as POST auth/register) and log in; from an invitation
    mail, go on to that invitation's page to accept or decline it."""
    follow = _invitation_link(request.GET)
    if request.user.is_authenticated:
        return redirect(follow or "home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_register(**form.cleaned_data)
        except ApplicationError as error:
            form_error(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(follow or "home")
    return render(
        request,
        "registration/account_form.html",
        {
            "title": "Create your Astral account",
            "intro": "You were invited: create an account, then accept or decline." if follow else "",
            "form": form,
            "submit": "Create account",
        },
    )
