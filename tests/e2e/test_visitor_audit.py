"""A visitor takes the whole audit without an account, keeps the result by signing up, and
loses nothing on the way: Back keeps ticks, the companies filter works from the keyboard."""

import re

from browser_helpers import (
    answer_step,
    choice,
    expect_answers_kept,
    expect_step,
    finish,
    save_and_continue,
    start_audit,
)
from playwright.sync_api import Page, expect

from audits.models import Audit


def sign_up_to_keep(page: Page, username: str, password: str):
    page.get_by_role("link", name="Sign up to keep it").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label(re.compile(r"^Password:?$")).fill(password)
    page.get_by_label(re.compile(r"^Password confirmation:?$")).fill(password)
    page.get_by_role("button", name="Sign up").click()


def test_a_visitor_takes_the_audit_and_finds_it_in_the_history_after_signing_up(
    page: Page, live_server, db, password
):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Take the curiosity audit").first.click()
    expect(page.get_by_role("heading", name="The curiosity audit")).to_be_visible()
    start_audit(page, live_server.url)
    for index in range(5):
        answer_step(page, index)
        save_and_continue(page, index)
    answer_step(page, 5)
    finish(page)
    expect(page.get_by_role("complementary", name="Keep this result")).to_be_visible()
    result_url = page.url

    sign_up_to_keep(page, "newbie", password)
    expect(page).to_have_url(result_url)  # back on the result, now the member's
    page.get_by_role("link", name="My audits").first.click()
    expect(page.locator("table.history-table")).to_contain_text("Retrieval")
    audit = Audit.objects.get()
    assert audit.member.username == "newbie" and audit.visitor_key == ""


def test_a_visitor_takes_the_audit_without_javascript(new_context, live_server, db, password):
    page = new_context(java_script_enabled=False).new_page()
    start_audit(page, live_server.url)
    for index in range(5):
        answer_step(page, index)
        with page.expect_navigation():
            page.get_by_role("button", name="Save and continue").click()
        expect_step(page, index + 1)
    answer_step(page, 5)
    finish(page)
    sign_up_to_keep(page, "nojs", password)
    expect(page.locator("#recommendation")).to_contain_text("Retrieval")
    assert Audit.objects.get().member.username == "nojs"


def test_back_keeps_what_was_ticked_with_and_without_htmx(new_context, live_server, db):
    for javascript in (True, False):
        page = new_context(java_script_enabled=javascript).new_page()
        start_audit(page, live_server.url)
        answer_step(page, 0)
        page.get_by_role("button", name="Save and continue").click()
        expect_step(page, 1)
        answer_step(page, 1)  # ticked and typed, not saved with Continue
        page.get_by_role("button", name="Back").click()
        expect_step(page, 0)
        expect_answers_kept(page, 0)
        page.get_by_role("button", name="Save and continue").click()
        expect_step(page, 1)
        expect_answers_kept(page, 1)
        expect(page).to_have_title(re.compile(r"^Step 2 of 6: "))
        page.context.close()


def test_the_companies_filter_by_keyboard_keeps_the_ticks(page: Page, live_server, db):
    start_audit(page, live_server.url)
    for index in range(4):
        answer_step(page, index)
        save_and_continue(page, index)
    palantir = choice(page, "Palantir (the original)")
    palantir.focus()
    page.keyboard.press("Space")
    expect(palantir).to_be_checked()

    page.get_by_label("Filter companies by name").focus()
    page.keyboard.type("gle")
    expect(choice(page, "Glean")).to_be_visible()
    expect(choice(page, "Sierra")).to_have_count(0)
    expect(choice(page, "Palantir (the original)")).to_be_checked()  # kept, and listed first
    first = page.locator("#company-choices input").first
    expect(first).to_have_attribute("value", "palantir")
    page.keyboard.press("Tab")  # the Filter button
    page.keyboard.press("Tab")  # the first company: Palantir
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # Glean
    expect(choice(page, "Glean")).to_be_checked()
    page.get_by_role("button", name="Save and continue").click()
    expect_step(page, 5)
    stored = Audit.objects.get().answers.get(step=4).data
    assert sorted(stored["companies"]) == ["glean", "palantir"]
