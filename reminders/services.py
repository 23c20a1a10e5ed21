"""Reminder rules: due dates, opting in and out, delivery and unsubscribe links (the scheduler
that queues deliveries is reminders.schedule).

Delivery is at-least-once, never lost: a send is claimed (QUEUED → SENDING) by one worker
before it talks to the mail server and marked SENT after the server accepted it. A worker that
dies in between leaves the send SENDING; after LEASE the scheduler queues it again. The only
way to get a second mail is a crash in the moment after the server accepted the first.
"""

import calendar
import email.policy
import logging
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from audits.models import Audit
from logbook.models import Entry

from .models import Reminder, ReminderSend

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
FIRST_RETRY_AFTER = timedelta(minutes=10)  # then ×4: 10 min, 40 min, 2 h 40, 10 h 40
# A send claimed or queued this long ago without an outcome: its worker died. Queue it again.
LEASE = timedelta(hours=1)
UNSUBSCRIBE_SALT = "reminders.unsubscribe"
BATCH = 500


class BadToken(Exception):
    def __init__(self, expired=False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def add_months(day, months):
    """`day` plus `months` calendar months; a day the target month lacks becomes its last day
    (29 February + 12 months is 28 February; 31 August + 6 months is the end of February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def today():
    """Today in the site's time zone (settings.TIME_ZONE): members have no time zone of their
    own, so a reminder falls due on the same calendar day for everyone."""
    return timezone.localdate()


def verified_address(member):
    """The member's verified address (the primary one first), or None."""
    return (
        EmailAddress.objects.filter(user=member, verified=True)
        .order_by("-primary", "id")
        .values_list("email", flat=True)
        .first()
    )


def reminder_for(member):
    return Reminder.objects.filter(member=member).first()


def opt_in(member, months, on=None):
    """Start (or change) the member's reminder, `months` from today; returns it."""
    on = on or today()
    reminder, _created = Reminder.objects.update_or_create(
        member=member,
        defaults={
            "months": months,
            "due_on": add_months(on, months),
            "state": Reminder.State.ACTIVE,
            "stopped_at": None,
        },
    )
    return reminder


def stop(reminder):
    """Stop a reminder; True if it was running (stopping twice changes nothing)."""
    return bool(
        Reminder.objects.filter(pk=reminder.pk, state=Reminder.State.ACTIVE).update(
            state=Reminder.State.STOPPED, stopped_at=timezone.now()
        )
    )


# The scheduler -------------------------------------------------------------------------------


def due_reminders(as_of):
    """Active reminders due on or before `as_of`, of members with a verified address, whose
    mail for that due date has not been queued yet."""
    already = ReminderSend.objects.filter(reminder=OuterRef("pk"), due_on=OuterRef("due_on"))
    verified = EmailAddress.objects.filter(user=OuterRef("member"), verified=True)
    return (
        Reminder.objects.filter(
            state=Reminder.State.ACTIVE, due_on__lte=as_of, member__is_active=True
        )
        .filter(Exists(verified))
        .exclude(Exists(already))
        .order_by("pk")
    )


# Delivery ------------------------------------------------------------------------------------


def retry_delay(attempts):
    return FIRST_RETRY_AFTER * 4 ** (attempts - 1)


def deliver(send_id):
    """Send one reminder mail (the task's body). Returns what happened, in a word."""
    now = timezone.now()
    claimed = ReminderSend.objects.filter(pk=send_id, state=ReminderSend.State.QUEUED).update(
        state=ReminderSend.State.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return "skipped"  # sent, cancelled, deleted with the account, or another worker has it
    send = ReminderSend.objects.select_related("reminder__member").get(pk=send_id)
    reminder, member = send.reminder, send.reminder.member
    address = verified_address(member)
    if not (reminder.is_active and reminder.due_on == send.due_on and address and member.is_active):
        ReminderSend.objects.filter(pk=send.pk).update(state=ReminderSend.State.CANCELLED)
        return "cancelled"
    message = reminder_message(reminder, address)
    try:
        message.send()
    except Exception as error:  # refused, down, timed out: the reminder stays due
        final = send.attempts >= MAX_ATTEMPTS
        ReminderSend.objects.filter(pk=send.pk).update(
            state=ReminderSend.State.FAILED if final else ReminderSend.State.RETRY,
            next_attempt_at=None if final else now + retry_delay(send.attempts),
            last_error=f"{type(error).__name__}: {error}"[:1000],
        )
        logger.warning("Reminder %s: attempt %s failed: %r", send.pk, send.attempts, error)
        return "failed" if final else "retry"
    with transaction.atomic():
        ReminderSend.objects.filter(pk=send.pk).update(
            state=ReminderSend.State.SENT, sent_at=timezone.now(), last_error=""
        )
        # The next one, `months` after this due date (unless the member changed it meanwhile).
        Reminder.objects.filter(pk=reminder.pk, due_on=send.due_on).update(
            due_on=add_months(send.due_on, reminder.months)
        )
    return "sent"


def absolute(path):
    return f"{settings.SITE_URL}{path}"


def unsubscribe_token(reminder):
    return signing.TimestampSigner(salt=UNSUBSCRIBE_SALT).sign_object({"r": reminder.pk})


def unsubscribe_url(reminder):
    return absolute(reverse("reminders:unsubscribe", args=[unsubscribe_token(reminder)]))


def reminder_from_token(token):
    """The reminder an unsubscribe link names, or BadToken (tampered or expired). None when
    the reminder is gone with its account."""
    signer = signing.TimestampSigner(salt=UNSUBSCRIBE_SALT)
    try:
        data = signer.unsign_object(token, max_age=settings.REMINDER_UNSUBSCRIBE_MAX_AGE)
    except signing.SignatureExpired as error:
        raise BadToken(expired=True) from error
    except (signing.BadSignature, ValueError) as error:
        raise BadToken() from error
    if not isinstance(data, dict) or not isinstance(data.get("r"), int):
        raise BadToken()
    return Reminder.objects.select_related("member").filter(pk=data["r"]).first()


class ReminderMessage(EmailMultiAlternatives):
    """Header lines may be as long as RFC 5322 allows (998): folded at 78, the long URL of
    List-Unsubscribe would be sent as an RFC 2047 encoded word, which RFC 2369 does not allow
    and mail clients do not read."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(max_line_length=998))


def reminder_message(reminder, address):
    """The reminder mail: plain text and HTML from templates, with one-click unsubscribe
    headers (RFC 2369 and RFC 8058)."""
    member = reminder.member
    last = (
        Audit.objects.filter(member=member, status=Audit.Status.FINISHED)
        .order_by("-finished_at")
        .only("id", "finished_at", "top_tracks")
        .first()
    )
    unsubscribe = unsubscribe_url(reminder)
    entries = Entry.objects.filter(member=member)
    if last is not None:
        entries = entries.filter(created_at__gt=last.finished_at)
    context = {
        "member": member,
        "reminder": reminder,
        "next_due_on": add_months(reminder.due_on, reminder.months),
        "last": last,
        "retake_url": absolute(reverse("audits:new")),
        "history_url": absolute(reverse("audits:history")),
        # What the member logged since: the retake starts from it.
        "log_count": entries.count(),
        "log_url": absolute(reverse("logbook:log")),
        "settings_url": absolute(reverse("reminders:settings")),
        "unsubscribe_url": unsubscribe,
        "site_url": settings.SITE_URL,
    }
    message = ReminderMessage(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}time to retake your curiosity audit",
        body=render_to_string("reminders/email/reminder.txt", context),
        to=[address],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        render_to_string("reminders/email/reminder.html", context), "text/html"
    )
    return message
