"""The scheduler: queue a reminder mail for each due reminder, and again for sends that failed
or whose worker died (reminders.services.deliver sends them)."""

from itertools import batched

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import tasks
from .models import ReminderSend
from .services import BATCH, LEASE, due_reminders


def send_due_reminders(as_of, now=None):
    """Queue one mail per due reminder, retries whose wait is over, and sends whose worker
    died. Safe to run often and on several machines at once: the unique (reminder, due_on)
    of ReminderSend decides who queues a new mail, a conditional update who queues a retry.
    Returns what it queued, by kind."""
    now = now or timezone.now()
    counts = {"new": 0, "retries": 0, "requeued": 0}
    for chunk in batched(due_reminders(as_of).values_list("pk", "due_on"), BATCH):
        with transaction.atomic():
            for reminder_id, due_on in chunk:
                # Inside its own savepoint; a twin run that inserted first makes this a get.
                send, created = ReminderSend.objects.get_or_create(
                    reminder_id=reminder_id, due_on=due_on, defaults={"queued_at": now}
                )
                if created:
                    # Same transaction as the send record: both are there, or neither.
                    tasks.send_reminder.enqueue(send.pk)
                    counts["new"] += 1

    again = {
        "retries": Q(state=ReminderSend.State.RETRY, next_attempt_at__lte=now),
        "requeued": Q(state=ReminderSend.State.QUEUED, queued_at__lt=now - LEASE)
        | Q(state=ReminderSend.State.SENDING, claimed_at__lt=now - LEASE),
    }
    for kind, condition in again.items():
        pks = list(ReminderSend.objects.filter(condition).values_list("pk", flat=True))
        for chunk in batched(pks, BATCH):
            with transaction.atomic():
                for pk in chunk:
                    # Only the run whose update matched queues it.
                    if (
                        ReminderSend.objects.filter(condition, pk=pk).update(
                            state=ReminderSend.State.QUEUED, queued_at=now
                        )
                        == 1
                    ):
                        tasks.send_reminder.enqueue(pk)
                        counts[kind] += 1
    return counts
