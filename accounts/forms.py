"""allauth's forms as the site's forms: labels without placeholders, the log-in and sign-up in
the site's words, and the inline username check on sign-up."""

from allauth.account import forms as allauth_forms
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.account.utils import filter_users_by_email
from django.urls import reverse_lazy


class SiteFormMixin:
    """Labels do the talking (placeholders repeat them and vanish as one types), and the pages
    offer "Forgot your password?" themselves, next to the button."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)
            if getattr(field.widget, "input_type", "") == "checkbox":
                field.label_suffix = ""  # "Keep me logged in", not "Keep me logged in:"
            if getattr(field.widget, "input_type", "") == "password" and "Forgot" in str(
                field.help_text
            ):
                field.help_text = ""


class LoginForm(SiteFormMixin, allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = "Username or email"
        login.widget.attrs.update({"autocomplete": "username", "autofocus": True})
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me logged in on this device"


class SignupForm(SiteFormMixin, allauth_forms.SignupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.label = "Username"
        username.help_text = (
            "Letters, digits and @ . + - _ only. You can log in with it or with your email."
        )
        # Inline check of the username as it is typed; only #username-check is replaced, so
        # nothing the member has typed elsewhere is touched.
        username.widget.attrs.update(
            {
                "autocomplete": "username",
                "autofocus": True,
                "hx-post": reverse_lazy("username_check"),
                "hx-trigger": "input changed delay:400ms, change",
                "hx-target": "#username-check",
                "hx-swap": "outerHTML",
                "hx-sync": "this:replace",
                # The check's verdict ("taken") describes the field, after its help and errors.
                "aria-describedby": "id_username_helptext id_username_error username-check",
            }
        )
        email = self.fields["email"]
        email.label = "Email"
        email.help_text = "For log-in and password resets. One account per address; never shared."
        email.widget.attrs.update({"autocomplete": "email"})
        self.fields["password1"].label = "Password"
        self.fields["password2"].label = "Password confirmation"


class ReauthenticateForm(SiteFormMixin, allauth_forms.ReauthenticateForm):
    pass


class ChangePasswordForm(SiteFormMixin, allauth_forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["oldpassword"].label = "Current password"
        self.fields["password1"].label = "New password"
        self.fields["password2"].label = "New password (again)"


class ResetPasswordForm(SiteFormMixin, allauth_forms.ResetPasswordForm):
    def clean_email(self):
        """Reset mail goes to the account whose address it is (its main or a verified one),
        never to accounts that only hold it unverified (as the younger of two accounts that
        shared an address does): one request, one mail."""
        email = super().clean_email()
        verified = set(
            EmailAddress.objects.filter(email__iexact=email, verified=True).values_list(
                "user_id", flat=True
            )
        )
        self.users = [
            user
            for user in self.users
            if user.email.lower() == email.lower() or user.pk in verified
        ]
        return email


class ResetPasswordKeyForm(SiteFormMixin, allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = "New password"
        self.fields["password2"].label = "New password (again)"


class AddEmailForm(SiteFormMixin, allauth_forms.AddEmailForm):
    def clean_email(self):
        """One account per address here too: allauth would add another account's address,
        unverified, to hide that it exists; sign-up says so already, so this page does too."""
        email = super().clean_email()
        others = [user for user in filter_users_by_email(email) if user.pk != self.user.pk]
        if others:
            raise get_adapter().validation_error("email_taken")
        return email


class SetPasswordForm(SiteFormMixin, allauth_forms.SetPasswordForm):
    pass
