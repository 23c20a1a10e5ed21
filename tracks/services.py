"""Curators' changes that touch more than one row: a track's place in the order, its old address."""

from django.db import transaction

from .models import FormerSlug, Track


@transaction.atomic
def place_track(placed):
    """Number the tracks 1, 2, 3… in order, `placed` at the number it was just given.

    The tracks from that number on move one place along, so two tracks swap in one save. Each
    renumbered track is saved on its own: its history notes the move and the cache is renewed.
    """
    others = [track for track in Track.objects.order_by("number", "id") if track.pk != placed.pk]
    position = min(max(placed.number, 1), len(others) + 1)
    others.insert(position - 1, placed)
    for number, track in enumerate(others, start=1):
        if track.number != number:
            track.number = number
            track.save(update_fields=["number"])


@transaction.atomic
def keep_old_address(track, old_slug):
    """After a slug change, /tracks/<old_slug>/ answers with a redirect to the track.

    The new slug is live again, so a redirect that an earlier rename left on it is dropped.
    """
    FormerSlug.objects.filter(slug=track.slug).delete()
    if old_slug and old_slug != track.slug:
        FormerSlug.objects.update_or_create(slug=old_slug, defaults={"track": track})
