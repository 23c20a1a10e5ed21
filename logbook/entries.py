"""Keeping a member's log: adding within the daily limit, the one-tap entry, the listing."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from . import items
from .models import Entry

# Entries a member may add in 24 hours by hand or in one tap, and import from files.
DAILY_LIMIT = 100
DAILY_IMPORT_LIMIT = 5000


def over_daily_limit(member, adding=1, imported=False):
    since = timezone.now() - timedelta(days=1)
    recent = Entry.objects.filter(member=member, created_at__gte=since, imported=imported).count()
    return recent + adding > (DAILY_IMPORT_LIMIT if imported else DAILY_LIMIT)


def quick_add(member, reference):
    """Log a catalogue item today, as its kind (a session is a talk finished); None when the
    reference names nothing."""
    found = items.resolve(reference)
    if found is None:
        return None
    field, item = found
    return Entry.objects.create(
        member=member,
        kind=items.kind_of(field, item),
        title=items.title_of(field, item),
        **{field: item},
    )


def member_entries(member, kind="", track=None):
    """The member's entries, newest first, with what they point to (one query per page)."""
    entries = Entry.objects.filter(member=member).select_related(
        "session__conference", "project", "company", "option"
    )
    if kind:
        entries = entries.filter(kind=kind)
    if track is not None:
        entries = entries.filter(
            Q(session__track=track)
            | Q(project__listings__track=track)
            | Q(company__hiring__track=track)
            | Q(option__weights__track=track)
        ).distinct()
    return entries
