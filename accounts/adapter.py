"""The site's rules for django-allauth: the client's address, rate-limit keys, messages, mail."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import filter_users_by_email, filter_users_by_username
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.contrib import messages

from audits.client_address import client_address

from . import tasks


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        """The address rate limits and the list of sessions show: the same one the audit's
        visitor limit counts. A request without one is refused (a 403), never counted."""
        if not request.META:
            # Django's force_login builds a request in code, with no META at all, and the
            # list of sessions records an address for it; no client ever sends one like it.
            return "0.0.0.0"  # noqa: S104  # nosec B104: a placeholder, never bound to
        return client_address(request)

    # allauth 65.22 has no public hook for the key "login_failed" counts failures by (nor for
    # the one a password reset clears): this private method makes both, and
    # tests/test_account_findings.py fails if allauth stops calling it.
    def _get_login_attempts_cache_key(self, request, **credentials):
        """Failures are counted per address and account: every spelling of an account (its
        username or any of its addresses, in any case) is one count, an unknown name is
        counted as typed. allauth would count per login across all addresses, so that ten
        failures from anywhere would shut the owner out everywhere; per address, an
        attacker's failures stay on the attacker's address ("login_failed" also limits each
        address on its own)."""
        login = credentials.get("email", credentials.get("username", "")).strip()
        if "email" in credentials:
            users = filter_users_by_email(login)
        else:
            users = list(filter_users_by_username(login))
        account = f"account:{users[0].pk}" if len(users) == 1 else f"login:{login.lower()}"
        return f"{self.get_client_ip(request)}:{account}"

    def new_user(self, request):
        """A user allauth signs up (by password or GitHub): allauth adds their address rows
        itself (accounts.services.keep_email_address leaves them to it)."""
        user = super().new_user(request)
        user.addresses_by_allauth = True
        return user

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        request.careerguide_signed_up = True
        return user

    def add_message(
        self, request, level, message_template=None, message_context=None, extra_tags="", **kw
    ):
        """The site's own words after logging in, signing up and out; allauth's otherwise."""
        user = (message_context or {}).get("user") or getattr(request, "user", None)
        if message_template == "account/messages/logged_in.txt" and user is not None:
            name = user.get_username()
            if getattr(request, "careerguide_signed_up", False):
                text = f"Welcome to careerguide, {name}. Your account is ready."
            else:
                text = f"Welcome back, {name}."
            messages.add_message(request, level, text, extra_tags=extra_tags)
            return
        if message_template == "account/messages/logged_out.txt":
            messages.add_message(request, level, "You have logged out.", extra_tags=extra_tags)
            return
        super().add_message(
            request, level, message_template, message_context, extra_tags=extra_tags, **kw
        )

    def send_mail(self, template_prefix, email, context):
        """Queue the mail for a worker: a reset for a known address then answers as fast as
        one for an unknown address, and a slow or failing mail server never holds up or
        breaks the page."""
        message = self.render_mail(template_prefix, email, context)
        tasks.send_account_mail.enqueue(tasks.message_as_data(message))


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        """GitHub is configured by the environment only (settings.SOCIALACCOUNT_PROVIDERS), never
        by rows in the admin: no query for them on every log-in and account page."""
        return [
            SocialApp(provider=name, **app)
            for name, config in settings.SOCIALACCOUNT_PROVIDERS.items()
            for app in config.get("APPS", [])
            if provider in (None, name) and client_id in (None, app["client_id"])
        ]
