"""No public page shows a heading with nothing under it: an empty list keeps its heading away."""

from html.parser import HTMLParser

import pytest
from django.test import Client

from tracks.models import Company, Conference, Project, Track

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


class EmptyHeadings(HTMLParser):
    """Finds empty headings, and <section>s or list cards whose only text is their heading."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # [tag, heading text, other text]
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        self.stack.append([tag, "", ""])

    def handle_endtag(self, tag):
        while self.stack:
            name, heading, other = self.stack.pop()
            if name in HEADINGS and not heading.strip():
                self.problems.append(f"empty <{name}>")
            if name in ("section", "article", "aside") and heading.strip() and not other.strip():
                self.problems.append(f"<{name}> with only its heading: {heading.strip()!r}")
            if self.stack:
                self.stack[-1][1] += heading
                self.stack[-1][2] += other
            if name == tag:
                break

    def handle_data(self, data):
        if not self.stack:
            return
        in_heading = any(name in HEADINGS for name, _, _ in self.stack)
        self.stack[-1][1 if in_heading else 2] += data


def problems(url, client):
    response = client.get(url)
    assert response.status_code == 200, url
    parser = EmptyHeadings()
    parser.feed(response.content.decode())
    return parser.problems


def public_urls():
    return [
        "/",
        "/tracks/",
        "/tracks/?q=knitting",
        "/companies/",
        "/companies/?track=voice",
        "/conferences/",
        "/projects/",
        "/guide/",
        "/accounts/login/",
        "/accounts/signup/",
        *[track.get_absolute_url() for track in Track.objects.filter(published=True)],
        *[company.get_absolute_url() for company in Company.objects.all()],
    ]


@pytest.mark.django_db
def test_no_public_page_has_an_empty_heading(db):
    client = Client()
    found = {url: problems(url, client) for url in public_urls()}
    assert not {url: p for url, p in found.items() if p}


@pytest.mark.django_db
def test_a_bare_new_track_and_an_unlisted_company_show_no_empty_headings(db):
    Track.objects.create(number=9, slug="bare", name="Bare", owns="nothing yet.")
    company = Company.objects.create(name="Lonely", slug="lonely")
    Conference.objects.create(name="Empty Conf", slug="empty-conf", kind="industry")
    Project.objects.create(name="Empty Project", slug="empty-project")
    client = Client()
    for url in ["/tracks/bare/", company.get_absolute_url(), "/conferences/", "/projects/"]:
        assert not problems(url, client), url


def test_the_checker_finds_a_bare_heading():
    parser = EmptyHeadings()
    parser.feed("<section><h2>Conferences worth attending</h2><ul></ul></section><h3> </h3>")
    assert parser.problems == [
        "<section> with only its heading: 'Conferences worth attending'",
        "empty <h3>",
    ]
