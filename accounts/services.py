"""Members' rules: what we hold about them, ending their sessions, deleting them."""

from allauth.usersessions.models import UserSession
from django.db import transaction

from audits.exports import member_audit_counts, member_audits
from reminders.services import reminder_for


def member_data(user):
    """Everything we hold about a member, ready for JSON."""
    return {
        "username": user.get_username(),
        "email": user.email,
        "date_joined": user.date_joined.isoformat(),
        "audits": member_audits(user),
    }


def account_summary(user):
    return {"audit_counts": member_audit_counts(user), "reminder": reminder_for(user)}


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
    """Delete an account and every personal row: audits, sessions on all devices, email
    addresses, second factors, GitHub links (the last ones cascade with the user)."""
    end_sessions(user)
    user.delete()
