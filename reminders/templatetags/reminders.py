"""{% retake_reminder %}: the reminder box on a member's result page."""

from django import template

from .. import services
from ..forms import ReminderForm

register = template.Library()


@register.inclusion_tag("reminders/optin.html", takes_context=True)
def retake_reminder(context):
    request = context["request"]
    reminder = services.reminder_for(request.user)
    initial = {"months": reminder.months} if reminder else None
    return {
        "reminder": reminder,
        "address": services.verified_address(request.user),
        "form": ReminderForm(initial=initial, auto_id="reminder_%s"),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
