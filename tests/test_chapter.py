"""Every track page lists what the chapter lists, as the chapter writes it (casing included),
and no public page shows a heading with nothing under it.

The chapter (tests/data/specialization-tracks-chapter.txt, a copy of the product's source
document) is read line by line: for each track, its "Companies hiring …", "Conferences worth
attending" and "Open-source projects to contribute to" lines are split into items and compared
with the rendered page. Most items are shown exactly as the chapter writes them; the few that the
catalogue stores as separate rows (a team, a session, a steward) are spelled out in RENDERED.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tracks.models import Company, GuideSection, Track

CHAPTER = Path(__file__).parent / "data" / "specialization-tracks-chapter.txt"

# Chapter item -> the list items the track page shows for it.
RENDERED = {
    # Companies
    "vLLM project itself (Berkeley → now hosted by LF AI)": [
        "vLLM project (Berkeley → now hosted by LF AI)"
    ],
    "Inspect AI (UK AISI)@companies": ["Inspect AI (UK AISI)"],
    "the multimodal teams at Anthropic / OpenAI / Google": [
        "Anthropic (multimodal team)",
        "OpenAI (multimodal team)",
        "Google (multimodal team)",
    ],
    "document-AI companies (Reducto, Unstructured, Mendable, Mathpix)": [
        "Reducto (document-AI company)",
        "Unstructured (document-AI company)",
        "Mendable (document-AI company)",
        "Mathpix (document-AI company)",
    ],
    "UK AISI / US AISI": ["UK AISI", "US AISI"],
    "Fireworks (managed fine-tuning)": ["Fireworks AI (managed fine-tuning)"],
    # Conferences: the session after the name; the kind in brackets where the chapter gives it
    "SIGIR (academic)": ["SIGIR (academic)"],
    "Search Engines Day (industry)": ["Search Engines Day (industry)"],
    "Vector Search talks at QCon": ["QCon — Vector Search talks"],
    "the Pinecone / Weaviate user days": ["Pinecone user days", "Weaviate user days"],
    (
        "AI Engineer Summit / AI Engineer World's Fair "
        "(the agent track is the headliner in 2025–2026)"
    ): [
        "AI Engineer Summit — agent track (the headliner in 2025–2026)",
        "AI Engineer World's Fair — agent track (the headliner in 2025–2026)",
    ],
    "NeurIPS agent workshops": ["NeurIPS — agent workshops"],
    "NeurIPS evaluation workshops": ["NeurIPS — evaluation workshops"],
    "NeurIPS systems track": ["NeurIPS — systems track"],
    "NeurIPS safety workshops": ["NeurIPS — safety workshops"],
    "DEF CON's AI Village": ["DEF CON — AI Village"],
    "USENIX Security AI workshops": ["USENIX Security — AI workshops"],
    "SIGGRAPH (for image / video generation)": ["SIGGRAPH — image / video generation"],
    # Projects: the steward or the note in brackets
    "smolagents (HF)": ["smolagents (Hugging Face)"],
    "Inspect AI@projects": ["Inspect AI (UK AISI)"],
    "TGI": ["TGI (Hugging Face)"],
    "Daily's daily-python": ["daily-python (Daily)"],
    "Llama Index multimodal": ["LlamaIndex (multimodal)"],
    "ColPali / ColQwen retrieval": ["ColPali / ColQwen (retrieval)"],
}
# Phrases about whole groups of employers: kept as the track's note, never as companies.
CATCH_ALL = re.compile(r"^(every |most |frontier labs)")


def split_items(text):
    """Split a chapter list at the commas that are not inside brackets."""
    items, depth, current = [], 0, ""
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            items.append(current.strip())
            current = ""
        else:
            current += char
    items.append(current.strip().rstrip("."))
    return [item for item in items if item]


def chapter_tracks():
    """{track number: {"companies": (heading, items), "conferences": […], "projects": […]}}."""
    tracks, number = {}, None
    for line in CHAPTER.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("→ Going deeper"):  # the nine tracks end here
            break
        if heading := re.match(r"^(\d)\. \S", line):
            number = int(heading.group(1))
            tracks[number] = {"conferences": [], "projects": []}
            continue
        if number is None or not line.startswith("• "):
            continue
        label, _, rest = line[2:].partition(": ")
        if label.startswith("Companies hiring"):
            tracks[number]["companies"] = (label, split_items(rest))
        elif label == "Conferences worth attending":
            tracks[number]["conferences"] = split_items(rest)
        elif label == "Open-source projects to contribute to":
            tracks[number]["projects"] = split_items(rest)
    return tracks


def expected(items, section):
    rendered = []
    for item in items:
        rendered += RENDERED.get(f"{item}@{section}") or RENDERED.get(item) or [item]
    return rendered


class Sections(HTMLParser):
    """The heading and list-item texts of each <section id=…> of a page; labels (the kind of a
    conference) are left out of the items and kept apart."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections, self.current, self.depth = {}, None, 0
        self.in_heading = self.in_item = self.in_pill = False
        self.note = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and attrs.get("id") in ("companies", "conferences", "projects"):
            self.current = self.sections[attrs["id"]] = {
                "heading": "",
                "items": [],
                "pills": [],
                "note": "",
            }
            self.depth = 0
        if self.current is None:
            return
        if tag == "section":
            self.depth += 1
        self.in_heading |= tag == "h2"
        if tag == "li":
            self.in_item = True
            self.current["items"].append("")
            self.current["pills"].append("")
        self.in_pill |= tag == "span" and "pill" in (attrs.get("class") or "")
        self.note |= tag == "p" and "note" in (attrs.get("class") or "")

    def handle_endtag(self, tag):
        if self.current is None:
            return
        if tag == "section":
            self.depth -= 1
            if self.depth == 0:
                self.current = None
        self.in_heading &= tag != "h2"
        self.in_item &= tag != "li"
        self.in_pill &= tag != "span"
        self.note &= tag != "p"

    def handle_data(self, data):
        if self.current is None:
            return
        if self.in_heading:
            self.current["heading"] += data
        elif self.in_item and self.in_pill:
            self.current["pills"][-1] += data
        elif self.in_item:
            self.current["items"][-1] += data
        elif self.note:
            self.current["note"] += data


def squash(text):
    return re.sub(r"\s+", " ", text).strip()


def quotes(text):
    return text.replace("“", '"').replace("”", '"')


def track_page(client, number):
    track = Track.objects.get(number=number)
    parser = Sections()
    parser.feed(client.get(track.get_absolute_url()).content.decode())
    return {
        name: {
            "heading": squash(section["heading"]),
            "items": [squash(item) for item in section["items"]],
            "pills": [squash(pill) for pill in section["pills"]],
            "note": squash(section["note"]),
        }
        for name, section in parser.sections.items()
    }


def test_the_chapter_copy_lists_nine_tracks():
    tracks = chapter_tracks()
    assert sorted(tracks) == list(range(1, 10))
    assert all("companies" in track for track in tracks.values())


@pytest.mark.parametrize("number", range(1, 10))
def test_track_page_lists_the_chapters_companies_as_written(client, db, number):
    heading, items = chapter_tracks()[number]["companies"]
    page = track_page(client, number)["companies"]
    assert page["heading"] == heading
    companies = [item for item in items if not CATCH_ALL.match(item)]
    assert page["items"] == expected(companies, "companies")
    for phrase in (item for item in items if CATCH_ALL.match(item)):
        assert quotes(phrase) in quotes(page["note"]), phrase


@pytest.mark.parametrize(
    ("listing", "heading"),
    [
        ("conferences", "Conferences worth attending"),
        ("projects", "Open-source projects to contribute to"),
    ],
)
@pytest.mark.parametrize("number", range(1, 10))
def test_track_page_lists_the_chapters_listings_as_written(client, db, number, listing, heading):
    items = chapter_tracks()[number][listing]
    page = track_page(client, number).get(listing)
    if not items:
        assert page is None, f"a track without {listing} shows no {listing} heading"
        return
    assert page["heading"] == heading
    assert page["items"] == expected(items, listing)


def test_company_pages_name_teams_and_products_as_the_chapter_does(client, db):
    anthropic = client.get("/companies/anthropic/").content.decode()
    assert "Anthropic (post-training)" in anthropic
    assert "Anthropic (Claude Code)" in anthropic
    for slug, words in [("reducto", "Reducto (document-AI company)"), ("cognition", "Devin")]:
        page = client.get(f"/companies/{slug}/").content.decode()
        assert words in page
    uk_aisi = client.get("/companies/uk-aisi/").content.decode()
    assert "Inspect AI (UK AISI)" in uk_aisi
    # Labels the chapter does not use are not added.
    for page in (anthropic, uk_aisi):
        assert "Team:" not in page and "Product:" not in page


def test_track_names_keep_their_casing_in_headings_and_sentences(client, db):
    safety = client.get("/tracks/safety/").content.decode()
    assert "Companies hiring deep safety roles" in safety
    fde = client.get("/tracks/forward-deployed/").content.decode()
    assert "Companies hiring FDE / Applied AI" in fde
    for page in (safety, fde):
        assert "responsible ai" not in page and "(fde)" not in page


def test_guide_names_the_next_chapter_and_says_what_it_is(client, db):
    page = client.get("/guide/").content.decode()
    assert "AI system-design interviews: AI system-design interviews" not in page
    assert "Next: AI system-design interviews" in page
    next_section = GuideSection.objects.get(kind=GuideSection.Kind.NEXT)
    for paragraph in next_section.paragraphs:
        assert paragraph in page


def test_notes_are_shown_where_the_item_is_listed(client, db):
    inference = client.get("/tracks/inference/").content.decode()
    assert 'vLLM project</a> <span class="muted">(Berkeley → now hosted by LF AI)' in inference
    assert 'GTC</a> <span class="muted">(NVIDIA)' in inference
    voice = client.get("/tracks/voice/").content.decode()
    assert 'Voice &amp; AI conference</a> <span class="muted">(London)' in voice
    assert "(Cisco)" in client.get("/tracks/safety/").content.decode()
    assert "(new in 2025)" in client.get("/tracks/evals/").content.decode()
    assert "(the original)" in client.get("/tracks/forward-deployed/").content.decode()


def test_projects_companies_and_conferences_sort_without_regard_to_case(client, db):
    page = client.get("/projects/").content.decode()
    names = re.findall(r'<h2 class="card-title">([^<]+?)(?: <span|</h2>)', page)
    assert names == sorted(names, key=str.lower)
    assert names.index("candle") < names.index("ColPali / ColQwen")
    companies = list(Company.objects.values_list("name", flat=True))
    assert companies == sorted(companies, key=str.lower)


def test_home_cards_say_what_each_track_owns(client, db):
    page = client.get("/").content.decode()
    assert "Owns: RAG quality across an org&#x27;s products." in page


def test_prose_keeps_the_chapters_meaning_and_american_spelling(client, db):
    pages = " ".join(
        client.get(url).content.decode()
        for url in ["/", "/guide/", *[t.get_absolute_url() for t in Track.objects.all()]]
    )
    assert "one of about nine durable 2026 tracks" in pages
    for drift in [
        "roughly nine tracks",
        "anything slower than",
        "above all, designing each tool",
        "proving a tuned model beats",
        "Choosing a track for its pay premium backfires",
    ]:
        assert drift not in pages, drift
    assert "you live or die at &lt;500ms" in pages
    assert "if you don&#x27;t enjoy reading those release notes" in pages
    for british in ["recognised", "organisation", "towards", "defences", "colour"]:
        assert british not in pages.lower().replace("--colour", ""), british


def test_each_page_has_its_own_meta_description(client, db):
    descriptions = set()
    for url in ["/", "/tracks/", "/tracks/voice/", "/tracks/agents/", "/companies/",
                "/companies/glean/", "/conferences/", "/projects/", "/guide/",
                "/accounts/login/", "/accounts/signup/"]:  # fmt: skip
        page = client.get(url).content.decode()
        description = re.search(r'<meta name="description" content="([^"]+)"', page).group(1)
        descriptions.add(description)
    assert len(descriptions) == 11
