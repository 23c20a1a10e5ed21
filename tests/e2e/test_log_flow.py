"""The curiosity log in Chromium: a member logs two talks from catalogue pages (htmx, with an
undo) and a project without JavaScript, finds them on /log/, starts an audit that comes ticked
from the log, unticks one, finishes, and reads which answers were logged."""

import re
from pathlib import Path

from browser_helpers import (
    answer_step,
    expect_step,
    finish,
    log_in,
    save_and_continue,
)
from playwright.sync_api import Page, expect

from tracks.models import ProjectTrack

ARTIFACTS = Path(__file__).parent / "artifacts"


def shoot(page: Page, name: str):
    """The page at desktop and phone width, for people to look at (tests/e2e/artifacts/)."""
    ARTIFACTS.mkdir(exist_ok=True)
    for label, width in (("desktop", 1280), ("phone", 375)):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=ARTIFACTS / f"{name}-{label}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_log_from_catalogue_pages_then_an_audit_starts_from_it(
    page: Page, new_context, live_server, make_member, password
):
    make_member("ada")
    log_in(page, live_server.url, "ada", password)

    # With JavaScript: one tap on the track page, confirmed in place and announced; undo; again.
    page.goto(live_server.url + "/tracks/retrieval/")
    sigir = page.get_by_role("button", name="I finished this talk: SIGIR", exact=True)
    sigir.click()
    confirmed = page.locator(".log-quick-done")
    expect(confirmed).to_contain_text("✓ Logged today.")
    expect(page.locator("#log-announcer")).to_have_text(re.compile("Logged “SIGIR” in your log"))
    confirmed.get_by_role("button", name="Undo “SIGIR”").click()
    expect(page.locator("#log-announcer")).to_have_text(re.compile("no longer in your log"))
    page.get_by_role("button", name="I finished this talk: SIGIR", exact=True).click()
    expect(page.locator(".log-quick-done")).to_have_count(1)

    page.goto(live_server.url + "/conferences/")
    page.get_by_role("button", name="I finished this talk: Search Engines Day").first.click()
    expect(page.locator(".log-quick-done")).to_have_count(1)

    # Without JavaScript: the same button is an ordinary form that comes back to the page.
    project = ProjectTrack.objects.filter(track__slug="retrieval").first().project.name
    plain = new_context(java_script_enabled=False).new_page()
    log_in(plain, live_server.url, "ada", password)
    plain.goto(live_server.url + "/projects/")
    plain.get_by_role("button", name=f"I contributed: {project}").click()
    expect(plain).to_have_url(live_server.url + "/projects/")
    expect(plain.locator("#messages")).to_contain_text(f"Logged “{project}” for today.")

    page.goto(live_server.url + "/log/")
    entries = page.locator(".log-entry")
    expect(entries).to_have_count(3)
    for title in ("SIGIR", "Search Engines Day", project):
        expect(entries.filter(has_text=title)).to_have_count(1)
    shoot(page, "log")

    # The audit starts ticked from the log.
    page.goto(live_server.url + "/audits/new/")
    page.get_by_role("button", name="Start a new audit").click()
    expect_step(page, 0)
    answer_step(page, 0)
    for index in range(3):
        save_and_continue(page, index)
    expect_step(page, 3)
    for talk in ("SIGIR", "Search Engines Day"):
        expect(page.get_by_label(talk, exact=False)).to_be_checked()
    expect(page.locator(".choice", has_text="SIGIR")).to_contain_text("In your log: once, last")
    expect(page.get_by_text("Ticked from")).to_be_visible()
    shoot(page, "audit-step-prefilled")
    page.locator(".choice", has_text="Search Engines Day").click()  # unticked
    expect(page.get_by_label("Search Engines Day", exact=False)).not_to_be_checked()
    save_and_continue(page, 3)
    page.get_by_label("Glean", exact=True).check()
    save_and_continue(page, 4)
    answer_step(page, 5)
    finish(page)
    answers = page.locator(".answers-card")
    expect(answers).to_contain_text("Logged as it happened: SIGIR.")
    expect(answers).to_contain_text("From memory today: Glean.")
    expect(answers).not_to_contain_text("Search Engines Day")
    shoot(page, "result-from-log")
    page.goto(live_server.url + "/tracks/retrieval/")
    shoot(page, "track-member")
