"""The reminder form: how many months from now."""

from django import forms

from .models import Reminder


class ReminderForm(forms.Form):
    months = forms.TypedChoiceField(
        label="Remind me to retake the audit",
        choices=Reminder.Months.choices,
        coerce=int,
        initial=Reminder.Months.TWELVE,
        widget=forms.RadioSelect,
    )
