"""Atom feeds of the catalogue's changes (Django's syndication framework): the whole catalogue,
and one per track. Only what changed and when, never who."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from . import changes, selectors


class CatalogueFeed(Feed):
    feed_type = Atom1Feed
    title = "careerguide: what changed in the catalogue"
    subtitle = (
        "Companies, conferences, sessions and projects our curators added, renamed or removed."
    )

    def link(self):
        return reverse("tracks:track_list")

    def items(self):
        return changes.catalogue_changes()

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_guid(self, item):
        return f"careerguide-change-{item.key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.when

    def item_updateddate(self, item):
        return item.when


class TrackFeed(CatalogueFeed):
    def get_object(self, request, slug):
        return get_object_or_404(selectors.published_tracks(), slug=slug)

    def title(self, track):
        return f"careerguide: what changed in {track.name}"

    def link(self, track):
        return track.get_absolute_url()

    def items(self, track):
        return changes.catalogue_changes(tracks=[track.pk])
