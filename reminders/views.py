"""A member's retake reminder: set, change or stop it; stop it from the mail without logging in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import services
from .forms import ReminderForm


def back_to(request):
    """Where the form came from (the result page), or the reminder page."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "reminders:settings"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def reminder_settings(request):
    member = request.user
    reminder = services.reminder_for(member)
    address = services.verified_address(member)
    form = ReminderForm(initial={"months": reminder.months} if reminder else None)
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "stop":
            if reminder and services.stop(reminder):
                messages.success(request, "Your retake reminder is stopped. No more mail.")
            else:
                messages.info(request, "You had no reminder running: nothing to stop.")
            return redirect(back_to(request))
        form = ReminderForm(request.POST)
        if address is None:
            messages.warning(
                request, "Verify your email address first: reminders go only to a verified one."
            )
            status = 400
        elif form.is_valid():
            reminder = services.opt_in(member, form.cleaned_data["months"])
            messages.success(
                request,
                f"Done: we will remind you on {reminder.due_on:%-d %B %Y} at {address}.",
            )
            return redirect(back_to(request))
        else:
            status = 400
    context = {"reminder": reminder, "address": address, "form": form}
    return render(request, "reminders/settings.html", context, status=status)


@csrf_exempt  # the signed token is the credential; mail clients post here (RFC 8058)
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET shows a button (link scanners fetch links); POST stops, with the button or as a mail
    client's one-click `List-Unsubscribe=One-Click`. Stopping twice says the same thing."""
    try:
        reminder = services.reminder_from_token(token)
    except services.BadToken as error:
        return render(
            request, "reminders/unsubscribe_invalid.html", {"expired": error.expired}, status=400
        )
    stopped_now = False
    if request.method == "POST" and reminder is not None:
        stopped_now = services.stop(reminder)
        reminder.refresh_from_db()
    context = {
        "reminder": reminder,
        "token": token,
        "stopped": reminder is None or not reminder.is_active,
        "stopped_now": stopped_now,
        "posted": request.method == "POST",
    }
    return render(request, "reminders/unsubscribe.html", context)
