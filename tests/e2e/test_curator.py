"""A curator in Chromium: edits a track's name, reorders two tracks by drag and drop, reverts the
edit from its history, is refused the deletion of a track, and changes a slug whose old address
then redirects. Then axe checks every admin page a curator uses."""

import re

import pytest
from browser_helpers import log_in_with_second_factor
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect
from test_accessibility import AXE_ALL, AXE_COLOUR, AXE_SCRIPT, describe

from audits.models import Option, Question
from tracks.models import Track

ADMIN = "/admin/"


def log_in_to_admin(page: Page, base: str, password: str):
    curator = get_user_model().objects.get(username="curie")
    log_in_with_second_factor(page, base, curator, password, then=ADMIN)
    expect(page.get_by_role("heading", name="Content", level=1)).to_be_visible()


def open_track(page: Page, base: str, name: str):
    page.goto(base + "/admin/tracks/track/")
    page.locator("#result_list").get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change track")


def test_curator_edits_reorders_reverts_and_cannot_break_a_url(
    page: Page, live_server, db, curator, password
):
    base = live_server.url
    log_in_to_admin(page, base, password)

    # Edit a track's name.
    open_track(page, base, "Agents")
    page.get_by_label("Name:").fill("Agentic systems")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert Track.objects.get(slug="agents").name == "Agentic systems"

    # Reorder two tracks by drag and drop: Voice (5) above Inference (4).
    page.goto(base + "/admin/tracks/track/")
    rows = page.locator("#result_list tbody tr")
    voice = rows.filter(has_text="Voice").locator("div.drag.handle")
    inference = rows.filter(has_text="Inference / model serving").locator("div.drag.handle")
    with page.expect_response(re.compile(r"adminsortable2_update/$")) as update:
        voice.drag_to(inference)
    assert update.value.status == 200, update.value.text()
    slugs = list(Track.objects.order_by("number").values_list("slug", flat=True))
    assert slugs[3:5] == ["voice", "inference"], slugs
    page.reload()
    expect(rows.nth(3)).to_contain_text("Voice")
    expect(rows.nth(4)).to_contain_text("Inference")

    # Revert the name from the history.
    open_track(page, base, "Agentic systems")
    page.get_by_role("link", name="History").click()
    expect(page.locator("#change-history")).to_contain_text("Agentic systems")
    expect(page.locator("#change-history")).to_contain_text("curie")
    page.locator("#change-history tbody tr").filter(has_text="seed_content").get_by_role(
        "link"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Revert")
    expect(page.get_by_label("Name:")).to_have_value("Agents")
    page.get_by_role("button", name="Revert").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert Track.objects.get(slug="agents").name == "Agents"
    # The revert kept the new order: the number is the track's own, saved with the order.
    assert Track.objects.get(slug="voice").number == 4

    # Try to delete a track: refused, with what depends on it and what to do instead.
    open_track(page, base, "Retrieval")
    page.locator("a.deletelink").click()
    expect(page.locator(".errornote")).to_contain_text("Cannot delete the track")
    expect(page.locator("#content")).to_contain_text("untick “Published”")
    expect(page.locator("#deleted-objects")).to_contain_text("Glean")
    expect(page.get_by_role("button", name="Yes, I’m sure")).to_have_count(0)
    assert Track.objects.filter(slug="retrieval").exists()

    # Change a slug: the old address answers 301 with the new one.
    open_track(page, base, "Voice")
    page.get_by_label("Slug:").fill("voice-ai")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    response = page.request.get(base + "/tracks/voice/", max_redirects=0)
    assert response.status == 301
    assert response.headers["location"] == "/tracks/voice-ai/"
    page.goto(base + "/tracks/voice/")
    expect(page).to_have_url(base + "/tracks/voice-ai/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Voice")


CURATOR_PAGES = [
    ("admin home", "/admin/"),
    ("tracks", "/admin/tracks/track/"),
    ("needs review", "/admin/tracks/track/needs-review/"),
    ("companies", "/admin/tracks/company/"),
    ("company links", "/admin/tracks/companytrack/?review=due"),
    ("conferences", "/admin/tracks/conference/"),
    ("projects", "/admin/tracks/project/"),
    ("guide sections", "/admin/tracks/guidesection/"),
    ("questions", "/admin/audits/question/"),
    ("options", "/admin/audits/option/"),
]


def object_pages():
    track = Track.objects.get(slug="retrieval")
    history = track.history.last()
    question = Question.objects.get(slug="pay-main-draw")
    option = Option.objects.get(question__slug="lost-track-of-time", key="slow-agent")
    company = track.hiring.first().company_id
    conference = track.sessions.first().conference_id
    project = track.project_listings.first().project_id
    return [
        ("track", f"/admin/tracks/track/{track.pk}/change/"),
        ("track history", f"/admin/tracks/track/{track.pk}/history/"),
        ("track revert", f"/admin/tracks/track/{track.pk}/history/{history.pk}/"),
        ("track delete refused", f"/admin/tracks/track/{track.pk}/delete/"),
        ("add track", "/admin/tracks/track/add/"),
        ("company", f"/admin/tracks/company/{company}/change/"),
        ("conference", f"/admin/tracks/conference/{conference}/change/"),
        ("project", f"/admin/tracks/project/{project}/change/"),
        ("question", f"/admin/audits/question/{question.pk}/change/"),
        ("option", f"/admin/audits/option/{option.pk}/change/"),
        ("option delete refused", f"/admin/audits/option/{option.pk}/delete/"),
    ]


@pytest.mark.walk
def test_admin_pages_curators_use_have_no_axe_violations(
    new_context, live_server, db, curator, password
):
    # Reduced motion: the admin's links change colour at once instead of fading between schemes.
    context = new_context(
        viewport={"width": 1280, "height": 900}, color_scheme="light", reduced_motion="reduce"
    )
    context.add_init_script(script=AXE_SCRIPT)
    page = context.new_page()
    base = live_server.url
    log_in_to_admin(page, base, password)
    problems, scanned = [], []
    for name, path in CURATOR_PAGES + object_pages():
        page.goto(base + path)
        page.wait_for_load_state("load")
        scanned.append(name)
        for scheme, script in (("light", AXE_ALL), ("dark", AXE_COLOUR)):
            page.emulate_media(color_scheme=scheme)
            problems += [f"{name} ({scheme}): {describe(v)}" for v in page.evaluate(script)]
        page.emulate_media(color_scheme="light")
    assert len(scanned) == 21
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
