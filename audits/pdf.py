"""The print page as a PDF, rendered by WeasyPrint with the site's own static files from disk."""

import logging
import os
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# WeasyPrint reports each screen-only CSS rule it skips (htmx animations, media queries, grid
# features) as a warning on every render; only its errors belong in the site's logs.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


class StaticFilesFetcher(URLFetcher):
    """Serves the stylesheets and images the page links to from disk; fetches nothing else, so
    rendering never waits on the network or on this site's own workers."""

    def fetch(self, url, headers=None):
        path = urlparse(url).path
        if not path.startswith(settings.STATIC_URL):
            raise ValueError(f"Not a static file: {url}")
        name = path.removeprefix(settings.STATIC_URL)
        found = None
        if staticfiles_storage.exists(name):
            found = staticfiles_storage.path(name)
        else:
            found = finders.find(name)
        if not found or not os.path.isfile(found):
            raise ValueError(f"No such static file: {url}")
        content_type = "text/css" if name.endswith(".css") else None
        with open(found, "rb") as static_file:
            body = static_file.read()
        headers = {"Content-Type": content_type} if content_type else {}
        return URLFetcherResponse(url, body, headers)


def render_document(html, base_url):
    """The laid-out pages of a rendered page (`base_url` makes its links absolute)."""
    return HTML(string=html, base_url=base_url, url_fetcher=StaticFilesFetcher()).render()


def render_pdf(html, base_url):
    return render_document(html, base_url).write_pdf()
