"""Members' rules: what we hold about them, ending their sessions, deleting them."""

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.db import transaction

from audits.exports import member_audit_counts, member_audits
from logbook.exports import member_log
from reminders.services import reminder_for


def member_data(user):
    """Everything we hold about a member, ready for JSON."""
    return {
        "username": user.get_username(),
        "email": user.email,
        "date_joined": user.date_joined.isoformat(),
        "audits": member_audits(user),
        "log": member_log(user),
    }


def account_summary(user):
    return {"audit_counts": member_audit_counts(user), "reminder": reminder_for(user)}


def keep_email_address(sender, instance, created, raw=False, **kwargs):
    """post_save of a user: the address on the user has an allauth address row, as a member's
    has from sign-up, so a user made by `createsuperuser` or in admin logs in by any spelling of
    it (allauth looks log-ins up in its rows, lower case). allauth adds the rows of those it
    signs up itself, and refuses a new user who has one already: AccountAdapter.new_user marks
    them.

    A staff member's address was given by whoever runs the site (createsuperuser, admin), and
    staff need a second factor before the admin opens, which allauth allows only with verified
    addresses: theirs counts as verified. Anyone else's waits for its owner's confirmation."""
    email = (instance.email or "").strip().lower()
    if raw or not email or getattr(instance, "addresses_by_allauth", False):
        return
    if EmailAddress.objects.filter(email__iexact=email).exists():
        return  # this user's already, or another account's (one account per address)
    with transaction.atomic():
        EmailAddress.objects.filter(user=instance, primary=True).update(primary=False)
        EmailAddress.objects.create(
            user=instance, email=email, primary=True, verified=instance.is_staff
        )


def end_sessions(user, keep=None):
    """Log the member out on every device (but the session `keep`)."""
    for user_session in UserSession.objects.filter(user=user):
        if keep is None or user_session.session_key != keep:
            user_session.end()


def end_other_sessions(sender, request, user, **kwargs):
    """allauth's password_changed and password_reset: other devices need the new password."""
    session = getattr(request, "session", None)
    end_sessions(user, keep=session.session_key if session is not None else None)


@transaction.atomic
def delete_member(user):
    """Delete an account and every personal row: audits, log entries, sessions on all devices, email
    addresses, second factors, GitHub links (the last ones cascade with the user)."""
    end_sessions(user)
    user.delete()
