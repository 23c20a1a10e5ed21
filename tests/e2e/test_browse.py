"""Browsing the catalogue in Chromium: tiles, links, the back button, the htmx filter and quiz."""

import re

from playwright.sync_api import Page, expect

from tracks.selectors import tracks_for_cards

# Set on the window after a full page load: it survives htmx swaps and is gone after a page load.
MARK_PAGE = "window.__e2ePageMark = 'still here'"
PAGE_MARK = "window.__e2ePageMark"


def test_home_to_track_to_company_and_back(page: Page, live_server, db):
    page.goto(live_server.url + "/")
    tile = page.locator(".track-tile").filter(
        has=page.locator(".track-tile-name", has_text=re.compile(r"^Retrieval$"))
    )
    expect(tile).to_have_count(1)
    tile.click()

    expect(page).to_have_url(live_server.url + "/tracks/retrieval/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Retrieval")
    page.locator(".company-list").get_by_role("link", name="Glean", exact=True).click()

    expect(page).to_have_url(live_server.url + "/companies/glean/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Glean")
    expect(
        page.locator(".card-grid").get_by_role("link", name="Retrieval", exact=True)
    ).to_be_visible()

    page.go_back()
    expect(page).to_have_url(live_server.url + "/tracks/retrieval/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Retrieval")


def test_track_filter_updates_results_in_place(page: Page, live_server, db):
    expected = len(tracks_for_cards("Glean"))
    assert 0 < expected < 9, expected  # Glean hires for some tracks, not all nine

    page.goto(live_server.url + "/tracks/")
    count = page.locator("#track-results .result-count")
    expect(count).to_have_text("All 9 tracks.")
    page.evaluate(MARK_PAGE)

    page.get_by_label("Filter tracks").fill("Glean")

    plural = "" if expected == 1 else "s"
    expect(count).to_have_text(f"{expected} track{plural} match “Glean”.")
    expect(page).to_have_url(live_server.url + "/tracks/?q=Glean")
    expect(page.locator("#track-results .track-card")).to_have_count(expected)
    expect(
        page.locator("#track-results").get_by_role("link", name=re.compile(r"\bRetrieval$"))
    ).to_be_visible()
    assert page.evaluate(PAGE_MARK) == "still here", "the filter reloaded the page"


def test_guide_quick_check_answers_inline(page: Page, live_server, db):
    page.goto(live_server.url + "/guide/")
    check = page.locator("#check-when-to-specialize")
    expect(check).to_be_visible()
    page.evaluate(MARK_PAGE)

    check.get_by_label("In years 2–3, after shipping several features as a generalist").check()
    check.get_by_role("button", name="Check answer").click()

    feedback = page.locator("#check-when-to-specialize").get_by_role("status")
    expect(feedback).to_contain_text("Right.")
    expect(page).to_have_url(live_server.url + "/guide/")
    assert page.evaluate(PAGE_MARK) == "still here", "the quick check reloaded the page"

    wrong = page.locator("#check-wrong-reason")
    wrong.get_by_label("It keeps you up debugging at 11pm because you enjoy it").check()
    wrong.get_by_role("button", name="Check answer").click()
    expect(page.locator("#check-wrong-reason").get_by_role("status")).to_contain_text("Not quite.")
    expect(page).to_have_url(live_server.url + "/guide/")
    assert page.evaluate(PAGE_MARK) == "still here"
