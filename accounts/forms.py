"""Forms for members on top of allauth's: log-in, and sign-up with the inline username check."""

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django.urls import reverse_lazy


class SignupForm(AllauthSignupForm):
    """allauth's sign-up (username, email, password twice), with labels and hints of our own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.label = "Username"
        username.help_text = (
            "Letters, digits and @ . + - _ only. You can log in with it or your email."
        )
        # Inline check of the username as it is typed; only #username-check is replaced, so
        # nothing the member has typed elsewhere is touched.
        username.widget.attrs.update(
            {
                "placeholder": "",
                "autocomplete": "username",
                "autofocus": True,
                "hx-post": reverse_lazy("username_check"),
                "hx-trigger": "input changed delay:400ms, change",
                "hx-target": "#username-check",
                "hx-swap": "outerHTML",
                "hx-sync": "this:replace",
            }
        )
        email = self.fields["email"]
        email.label = "Email"
        email.help_text = (
            "For log-in and password resets. One account per address; we never share it."
        )
        email.widget.attrs.update({"placeholder": "", "autocomplete": "email"})
        self.fields["password1"].label = "Password"
        self.fields["password1"].widget.attrs.pop("placeholder", None)
        self.fields["password2"].label = "Password confirmation"
        self.fields["password2"].widget.attrs.pop("placeholder", None)


class LoginForm(AllauthLoginForm):
    """allauth's log-in (username or email, password), labelled in the site's words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = "Username or email"
        login.widget.attrs.update(
            {"placeholder": "", "autocomplete": "username", "autofocus": True}
        )
        self.fields["password"].widget.attrs.pop("placeholder", None)
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me logged in on this device"
