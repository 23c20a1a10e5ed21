"""Forms for members: their account, and their curiosity audits."""

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.urls import reverse_lazy

# Accounts


class SignUpForm(UserCreationForm):
    """Django's sign-up form (username, password twice, the password validators) plus an email.

    Emails are deliberately not unique: refusing an address that already has an account would
    tell anyone whether that address is registered here. A second account on the same address is
    harmless, and a password reset for it mails a link for each of its accounts.
    """

    email = forms.EmailField(
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="Only used to send you a link if you forget your password.",
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Inline check of the username as it is typed; only #username-check is replaced, so
        # nothing the member has typed elsewhere is touched.
        self.fields["username"].widget.attrs.update(
            {
                "hx-post": reverse_lazy("signup"),
                "hx-trigger": "input changed delay:400ms, change",
                "hx-target": "#username-check",
                "hx-swap": "outerHTML",
                "hx-vals": '{"validate_only": "username"}',
                "hx-sync": "this:replace",
            }
        )


class AccountDeleteForm(forms.Form):
    """Asks for the current password, so an unattended session cannot delete the account."""

    password = forms.CharField(
        label="Your current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                "That is not your current password. Nothing was deleted.",
                code="password_incorrect",
            )
        return password
