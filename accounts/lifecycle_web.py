"""Web pages of the account lifecycle: password reset (request and confirm), email verification
and password change. They call the same services as the API (accounts.passwords,
accounts.verification). A mailed link only opens a page: the action is the page's POST
(CSRF-protected), because mail scanners prefetch the links they see."""

from django import forms
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accounts import passwords, verification
from astral.exceptions import ApplicationError, InvalidInput
from astral.web_errors import form_error

TEMPLATE = "registration/account_form.html"
LOGIN_LINK = {"url": "/accounts/login/", "text": "Log in"}
NEW_LINK = {"url": "/accounts/password-reset/", "text": "Ask for a new link"}
PASSWORD_HELP = "At least 8 characters, not a common password, not only digits, not like your username."


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class NewPasswordForm(forms.Form):
    new_password = forms.CharField(
        label="New password",
        max_length=128,
        strip=False,
        help_text=PASSWORD_HELP,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password_again = forms.CharField(
        label="New password, again", max_length=128, strip=False, widget=forms.PasswordInput()
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_password") != cleaned.get("new_password_again"):
            self.add_error("new_password_again", "The two passwords differ.")
        return cleaned


class ResetConfirmForm(NewPasswordForm):
    token = forms.CharField(max_length=128, widget=forms.HiddenInput())


class PasswordChangeForm(NewPasswordForm):
    old_password = forms.CharField(
        label="Current password",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["old_password", "new_password", "new_password_again"]


class TokenForm(forms.Form):
    token = forms.CharField(max_length=128, widget=forms.HiddenInput())


def _page(request, title, *, status=200, **context):
    return render(request, TEMPLATE, {"title": title, **context}, status=status)


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


@require_http_methods(["GET", "POST"])
def password_reset_request(request):
    title = "Reset your password"
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            passwords.password_reset_request(email=form.cleaned_data["email"], ip=_client_ip(request))
        except ApplicationError as error:  # 429: the page says so and sends nothing
            form.add_error(None, error.message)
        else:
            done = "If an account uses that address, a link to reset its password is on its way. It works for one hour."
            return _page(request, title, done=done, next_link=LOGIN_LINK)
    intro = "Enter the email address of your account; we will mail you a link to choose a new password."
    return _page(request, title, form=form, intro=intro, submit="Send the link")


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request):
    title = "Choose a new password"
    token = request.POST.get("token") if request.method == "POST" else request.GET.get("token", "")
    form = ResetConfirmForm(request.POST or None, initial={"token": token})
    try:
        if request.method == "GET":
            passwords.password_reset_token_user(secret=token or "")  # only looks: nothing is spent on a GET
        elif form.is_valid():
            try:
                passwords.password_reset_confirm(
                    secret=form.cleaned_data["token"], password=form.cleaned_data["new_password"]
                )
            except ApplicationError as error:
                if error.field == "token":
                    raise
                form_error(form, error, {"password": "new_password"})
            else:
                done = "Your password is changed, and every session and access token of your account was ended."
                return _page(request, title, done=done, next_link=LOGIN_LINK)
        elif "token" in form.errors:
            raise InvalidInput("This link is invalid.", "INVALID_OR_EXPIRED_TOKEN", field="token")
    except ApplicationError as error:
        return _page(request, title, invalid=error.message, next_link=NEW_LINK, status=400)
    return _page(request, title, form=form, submit="Set the new password")


@require_http_methods(["GET", "POST"])
def verify_email_confirm(request):
    title = "Confirm your email address"
    token = request.POST.get("token") if request.method == "POST" else request.GET.get("token", "")
    form = TokenForm(request.POST or None, initial={"token": token})
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise InvalidInput("This link is invalid.", "INVALID_OR_EXPIRED_TOKEN", field="token")
            user = verification.email_verification_confirm(secret=form.cleaned_data["token"])
        except ApplicationError as error:
            return _page(request, title, invalid=error.message, status=400)
        return _page(
            request,
            title,
            done=f"Thank you: {user.email} is confirmed.",
            next_link={"url": "/", "text": "Go to Astral"},
        )
    intro = "Press the button to confirm that this address is yours."
    return _page(request, title, form=form, intro=intro, submit="Confirm my address")


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    title = "Change your password"
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = passwords.password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
                ip=_client_ip(request),
            )
        except ApplicationError as error:
            form_error(form, error, {"old_password": "old_password", "new_password": "new_password"})
        else:
            update_session_auth_hash(request, user)  # this browser stays logged in; every other session ends
            done = "Your password is changed. Your other sessions and every access token were ended."
            return _page(request, title, done=done, next_link={"url": "/", "text": "Back to Astral"})
    intro = "Changing it logs out every other browser and revokes every API access token."
    return _page(request, title, form=form, intro=intro, submit="Change password")
