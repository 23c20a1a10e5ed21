"""The admin site: opens only for active staff who have a second factor, and sends every log-in
through the site's own (rate-limited, second-factor-aware) log-in page."""

from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def has_second_factor(user):
    return get_mfa_adapter().is_mfa_enabled(user, SECOND_FACTORS)


class SecondFactorAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return super().has_permission(request) and has_second_factor(request.user)

    def login(self, request, extra_context=None):
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = reverse("admin:index", current_app=self.name)
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(next_url, resolve_url(settings.LOGIN_URL))
        if not (user.is_active and user.is_staff):
            raise PermissionDenied
        if not has_second_factor(user):
            messages.warning(
                request,
                "The admin opens only with a second factor. Set up an authenticator app or a "
                "passkey, then open the admin again.",
            )
            return redirect("mfa_index")
        return redirect(next_url)
