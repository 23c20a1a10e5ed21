"""A member's retake reminder, and one record per reminder mail with what became of it."""

from django.conf import settings
from django.db import models


class Reminder(models.Model):
    """ "Remind me to retake the audit": off until a member asks, one per member.

    The due date is `months` after the day the member asked, then `months` after the due date of
    the last reminder sent (so a yearly reminder stays on the same day of the year).
    """

    class Months(models.IntegerChoices):
        SIX = 6, "In 6 months"
        TWELVE = 12, "In a year"

    class State(models.TextChoices):
        ACTIVE = "active", "Active"
        STOPPED = "stopped", "Stopped"

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="retake_reminder"
    )
    months = models.PositiveSmallIntegerField(choices=Months.choices, default=Months.TWELVE)
    due_on = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(
                fields=["due_on"],
                name="reminder_active_due",
                condition=models.Q(state="active"),
            )
        ]

    def __str__(self):
        return f"Retake reminder for {self.member} ({self.get_state_display()}, due {self.due_on})"

    @property
    def is_active(self):
        return self.state == self.State.ACTIVE


class ReminderSend(models.Model):
    """The reminder mail for one due date. The unique (reminder, due_on) pair is what makes
    every scheduler run, on any number of machines, queue it once."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        RETRY = "retry", "Failed, will retry"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed, no retries left"
        CANCELLED = "cancelled", "Cancelled"

    # No index of its own: one_send_per_due_date starts with the reminder.
    reminder = models.ForeignKey(
        Reminder, on_delete=models.CASCADE, related_name="sends", db_index=False
    )
    due_on = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    queued_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-queued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["reminder", "due_on"], name="one_send_per_due_date")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="reminder_send_state")]

    def __str__(self):
        return f"Reminder mail due {self.due_on} ({self.get_state_display()})"
