"""Member pages beside allauth's: my account, my data, deleting it, the inline username check."""

from allauth.account import views as allauth_views
from allauth.account.adapter import get_adapter
from allauth.account.decorators import reauthentication_required
from allauth.core import ratelimit
from allauth.mfa.base import views as mfa_views
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import services


@never_cache
@login_required
def account(request):
    return render(request, "account/account.html", services.account_summary(request.user))


@require_GET
@login_required
@never_cache
def account_data(request):
    response = JsonResponse(services.member_data(request.user), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"careerguide-{request.user.get_username()}.json"
    )
    return response


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
@reauthentication_required
def account_delete(request):
    """Asks to confirm; allauth has asked who it is (the password, a second factor or a code
    by mail) within the last few minutes, so an unattended session cannot delete the account."""
    user = request.user
    if request.method == "POST":
        logout(request)
        services.delete_member(user)
        messages.success(request, "Your account and all your audits were deleted.")
        return redirect("tracks:home")
    summary = services.account_summary(user)
    return render(request, "account/account_delete.html", summary)


@require_POST
@never_cache
def username_check(request):
    """The sign-up form's inline check: whether this username can be taken, in a sentence."""
    limited = ratelimit.consume_or_429(request, action="username_check")
    if limited:
        return limited
    username = request.POST.get("username", "").strip()
    message, ok = "", True
    if username:
        try:
            get_adapter(request).clean_username(username)
            message = f"“{username}” is available."
        except ValidationError as error:
            message, ok = " ".join(error.messages), False
    template = "account/signup.html#username-check"
    return render(request, template, {"message": message, "ok": ok}, status=200 if ok else 400)


class BadInputStatusMixin:
    """Re-render an invalid form with status 400 (429 when a rate limit refused it): bad input
    gets a clear message on the form and a 4xx, as on every other form of the site."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        codes = {error.code for errors in form.errors.as_data().values() for error in errors}
        response.status_code = 429 if "too_many_login_attempts" in codes else 400
        return response


class LoginView(BadInputStatusMixin, allauth_views.LoginView):
    pass


class SignupView(BadInputStatusMixin, allauth_views.SignupView):
    pass


class PasswordChangeView(BadInputStatusMixin, allauth_views.PasswordChangeView):
    pass


class PasswordResetView(BadInputStatusMixin, allauth_views.PasswordResetView):
    pass


class PasswordResetFromKeyView(BadInputStatusMixin, allauth_views.PasswordResetFromKeyView):
    pass


class ReauthenticateView(BadInputStatusMixin, allauth_views.ReauthenticateView):
    pass


class EmailView(BadInputStatusMixin, allauth_views.EmailView):
    pass


class MfaAuthenticateView(BadInputStatusMixin, mfa_views.AuthenticateView):
    """The second factor at log-in: a wrong code is a 400, too many wrong codes a 429."""


class MfaReauthenticateView(BadInputStatusMixin, mfa_views.ReauthenticateView):
    pass
