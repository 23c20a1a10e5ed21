"""Keeping a member's log: adding within the daily limit, the one-tap entry, the listing."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from . import items
from .models import Entry

# Entries a member may add in 24 hours by hand or in one tap, and import from files.
DAILY_LIMIT = 100
DAILY_IMPORT_LIMIT = 5000
# What the log lists of an entry: the listing reads these columns alone.
LISTED = ("id", "kind", "day", "title", "link", "note")


def over_daily_limit(member, adding=1, imported=False):
    since = timezone.now() - timedelta(days=1)
    recent = Entry.objects.filter(member=member, created_at__gte=since, imported=imported).count()
    return recent + adding > (DAILY_IMPORT_LIMIT if imported else DAILY_LIMIT)


def quick_add(member, reference):
    """Log a catalogue item today, as its kind (a session is a talk finished); None when the
    reference names nothing."""
    item = items.resolve(reference)
    if item is None:
        return None
    return Entry.objects.create(
        member=member, kind=item.kind, title=item.title, **{f"{item.field}_id": item.pk}
    )


def member_entries(member, kind="", track=None):
    """The member's entries, newest first, with what the log lists of each (one query per
    page)."""
    entries = Entry.objects.filter(member=member).only(*LISTED)
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
