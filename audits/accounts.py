"""Member accounts: Django's auth views with our messages, sign-up, data export, deletion."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods
from django.views.generic.edit import FormView

from audits import services
from audits.forms import AccountDeleteForm, SignUpForm
from audits.models import Audit
from audits.services import audit_as_dict

# Two backends are configured (axes, then ours); a member who has just signed up is logged in
# without a password check, so login() must be told which backend vouches for them.
MEMBER_BACKEND = "django.contrib.auth.backends.ModelBackend"


class BadInputStatusMixin:
    """Re-render an invalid form with status 400: bad input gets a clear message and a 4xx."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


@method_decorator([sensitive_post_parameters(), csrf_protect, never_cache], name="dispatch")
class SignUpView(BadInputStatusMixin, auth_views.RedirectURLMixin, FormView):
    """Create an account, log the new member in and send them on (to a safe `next` if given)."""

    form_class = SignUpForm
    template_name = "registration/signup.html"
    next_page = settings.LOGIN_REDIRECT_URL

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect(settings.LOGIN_REDIRECT_URL)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if request.htmx and request.POST.get("validate_only"):
            return self.validate_only(self.get_form())
        return super().post(request, *args, **kwargs)

    def validate_only(self, form):
        """The inline username check: whether this username can be taken, in a sentence."""
        form.is_valid()
        username = self.request.POST.get("username", "").strip()
        errors = form.errors.get("username")
        if not username:
            message = ""
        elif errors:
            message = " ".join(errors)
        else:
            message = f"“{username}” is available."
        status = 400 if username and errors else 200
        template = "registration/signup.html#username-check"
        return render(self.request, template, {"message": message, "ok": not errors}, status=status)

    def form_valid(self, form):
        user = form.save()
        login(self.request, user, backend=MEMBER_BACKEND)
        messages.success(
            self.request,
            f"Welcome to careerguide, {user.get_username()}. Your account is ready.",
        )
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context[self.redirect_field_name] = self.get_redirect_url()
        return context


class LoginView(BadInputStatusMixin, auth_views.LoginView):
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, f"Welcome back, {form.get_user().get_username()}.")
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        # logout() flushed the session; the message goes into the fresh one.
        messages.success(request, "You have logged out.")
        return response


class PasswordChangeView(BadInputStatusMixin, SuccessMessageMixin, auth_views.PasswordChangeView):
    success_message = "Your password was changed."


class PasswordResetView(BadInputStatusMixin, SuccessMessageMixin, auth_views.PasswordResetView):
    # The same words whether or not an account uses the address: nothing to learn from it.
    success_message = (
        "If an account uses that address, we have sent it a link to choose a new password."
    )


class PasswordResetConfirmView(
    BadInputStatusMixin, SuccessMessageMixin, auth_views.PasswordResetConfirmView
):
    success_message = "Your new password is set. You can log in with it now."


@never_cache
@login_required
def account(request):
    counts = request.user.audits.aggregate(
        total=Count("id"), finished=Count("id", filter=Q(status=Audit.Status.FINISHED))
    )
    return render(request, "registration/account.html", {"audit_counts": counts})


def member_data(user):
    """Everything we hold about a member, ready for JSON."""
    return {
        "username": user.get_username(),
        "email": user.email,
        "date_joined": user.date_joined.isoformat(),
        "audits": [audit_as_dict(audit) for audit in user.audits.prefetch_related("answers")],
    }


@require_GET
@login_required
@never_cache
def account_data(request):
    response = JsonResponse(member_data(request.user), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"careerguide-{request.user.get_username()}.json"
    )
    return response


@require_http_methods(["GET", "POST"])
@login_required
@sensitive_post_parameters("password")
@never_cache
def account_delete(request):
    user = request.user
    form = AccountDeleteForm(user, data=request.POST if request.method == "POST" else None)
    if form.is_valid():
        logout(request)
        services.delete_member(user)
        messages.success(request, "Your account and all your audits were deleted.")
        return redirect("tracks:home")
    return render(
        request,
        "registration/account_delete.html",
        {"form": form, "audit_count": user.audits.count()},
        status=400 if form.is_bound else 200,
    )


def lockout_username(request, credentials=None):
    """The username axes counts failures for, never longer than a username can be."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(username)[:150]
