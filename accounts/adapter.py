"""The site's rules for django-allauth: the client's address, rate-limit keys, messages, mail."""

import ipaddress

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import (
    DefaultSocialAccountAdapter,
    _build_apps_from_settings,  # noqa: PLC2701
)
from django.contrib import messages

from audits.services import client_address

from . import tasks


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        """The address rate limits count: the same one the audit's visitor limit counts
        (behind DJANGO_PROXY_COUNT proxies, the one the outermost of them saw)."""
        address = client_address(request)
        try:
            return str(ipaddress.ip_address(address))
        except ValueError:
            # Only requests made in code (Django's force_login) come without an address.
            return "0.0.0.0"  # noqa: S104  # nosec B104: a placeholder, never bound to

    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth counts failed log-ins per login across all addresses, so ten failures from
        # anywhere would shut the owner out everywhere. Counting them per address and login
        # keeps an attacker's failures on the attacker's address ("login_failed" also limits
        # each address on its own).
        login = credentials.get("email", credentials.get("username", "")).lower()
        return f"{self.get_client_ip(request)}:{login}"

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
        apps = _build_apps_from_settings(provider=provider, client_id=client_id)
        return [app for provider_apps in apps.values() for app in provider_apps]
