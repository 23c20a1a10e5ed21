"""The curiosity audit in Chromium: the journey, history navigation, resuming, no JavaScript."""

import re

import pytest
from answers import EVALS_ANSWERS
from audit_helpers import audit_until
from browser_helpers import (
    UUID,
    answer_step,
    expect_answers_kept,
    expect_step,
    finish,
    log_in,
    log_out,
    save_and_continue,
    sign_up,
    start_audit,
)
from playwright.sync_api import Page, expect

from audits.models import Audit

MARK_PAGE = "window.__e2ePageMark = 'still here'"
PAGE_MARK = "window.__e2ePageMark"


def history_row(page: Page, status: str):
    """The row of My audits with the given status (only one audit of that status expected)."""
    rows = page.locator("table.data-table tbody tr").filter(
        has=page.locator(".status", has_text=status)
    )
    expect(rows).to_have_count(1)
    return rows


def walk_with_htmx(page: Page, steps: int):
    """Answer and save the first `steps` steps through htmx swaps; ends on step `steps`.

    Returns {step number reached: id of the element focused after the swap}.
    """
    focus = {}
    for index in range(steps):
        answer_step(page, index)
        focus[index + 2] = save_and_continue(page, index)
    return focus


def test_full_journey_sign_up_audit_log_out_and_back_in(page: Page, live_server, db, password):
    sign_up(page, live_server.url, "ada", password)

    page.get_by_role("link", name="careerguide home").click()
    page.locator(".hero").get_by_role("link", name="Take the curiosity audit").click()
    expect(page).to_have_url(live_server.url + "/audits/new/")
    page.get_by_role("button", name="Start a new audit").click()
    expect_step(page, 0)
    # The step says where you are; no message about starting stays on the screen.
    expect(page.locator("#messages .message")).to_have_count(0)
    page.evaluate(MARK_PAGE)

    focus = walk_with_htmx(page, 5)
    expect(page.locator("#messages")).to_be_hidden()
    # Five swaps, no page load: the mark set on the first step's page is still there.
    assert page.evaluate(PAGE_MARK) == "still here"
    answer_step(page, 5)
    finish(page)
    expect(page.locator("#recommendation")).to_contain_text("Retrieval")

    page.locator(".account-nav").get_by_role("link", name="My audits").click()
    expect(page).to_have_url(live_server.url + "/audits/")
    expect(history_row(page, "Finished")).to_contain_text("Retrieval")

    log_out(page)
    expect(page).to_have_url(live_server.url + "/")
    log_in(page, live_server.url, "ada", password)
    row = history_row(page, "Finished")
    expect(row).to_contain_text("Retrieval")
    row.get_by_role("link", name="Open").click()
    expect(page).to_have_url(re.compile(rf"/audits/{UUID}/result/$"))
    expect(page.locator("#recommendation")).to_contain_text("Retrieval")

    # Checked last so that the rest of the journey is still verified if it fails: after each
    # htmx swap the new step's heading has the focus, so a screen reader announces the step.
    assert focus == dict.fromkeys(range(2, 7), "step-heading"), (
        f"focused element after each swap, by step reached: {focus}"
    )


def test_back_forward_and_reload_during_the_audit(
    page: Page, live_server, db, make_member, password
):
    make_member("ada")
    log_in(page, live_server.url, "ada", password)
    start_audit(page, live_server.url)
    walk_with_htmx(page, 2)  # on "Step 3 of 6", reached through two htmx swaps

    page.go_back()
    expect_step(page, 1)
    expect_answers_kept(page, 1)

    page.go_forward()
    expect_step(page, 2)

    page.reload()
    expect_step(page, 2)
    # The step can still be answered and saved after all that travelling.
    answer_step(page, 2)
    save_and_continue(page, 2)


def test_draft_resumes_in_a_new_browser_context(
    new_context, live_server, db, make_member, password
):
    make_member("ada")
    first = new_context()
    page = first.new_page()
    log_in(page, live_server.url, "ada", password)
    start_audit(page, live_server.url)
    walk_with_htmx(page, 3)  # steps 1–3 saved; the member is looking at step 4
    first.close()

    page = new_context().new_page()
    log_in(page, live_server.url, "ada", password)
    row = history_row(page, "Draft")
    expect(row).to_contain_text("step 4 of 6")
    row.get_by_role("link", name="Resume").click()
    expect_step(page, 3)

    steps_nav = page.get_by_role("list", name="Steps")
    steps_nav.get_by_role("link", name="1. Context").click()
    expect_step(page, 0)
    expect_answers_kept(page, 0)
    page.get_by_role("list", name="Steps").get_by_role("link", name="2. Problems").click()
    expect_step(page, 1)
    expect_answers_kept(page, 1)
    page.get_by_role("list", name="Steps").get_by_role("link", name="3. Reading").click()
    expect_step(page, 2)
    expect_answers_kept(page, 2)


def test_whole_audit_without_javascript(new_context, live_server, db, make_member, password):
    make_member("ada")
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, live_server.url, "ada", password)
    start_audit(page, live_server.url)

    for index in range(5):
        answer_step(page, index)
        with page.expect_navigation():  # a real form post and redirect, not an htmx swap
            page.get_by_role("button", name="Save and continue").click()
        expect_step(page, index + 1)
    answer_step(page, 5)
    finish(page)
    expect(page.locator("#recommendation")).to_contain_text("Retrieval")
    assert Audit.objects.get().status == Audit.Status.FINISHED


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-javascript"])
def test_double_clicking_finish_keeps_one_result(
    new_context, live_server, db, make_member, password, javascript
):
    audit = audit_until(make_member("ada"), 4)
    page = new_context(java_script_enabled=javascript).new_page()
    log_in(page, live_server.url, "ada", password)
    page.goto(f"{live_server.url}/audits/{audit.id}/step/5/")
    expect_step(page, 5)
    answer_step(page, 5)

    # Without htmx nothing disables the button: the browser may post the form twice.
    page.get_by_role("button", name="Finish and see my result").dblclick()

    expect(page).to_have_url(f"{live_server.url}/audits/{audit.id}/result/")
    expect(page.locator("#recommendation")).to_contain_text("Retrieval")
    assert Audit.objects.filter(status="finished").count() == 1
    assert Audit.objects.count() == 1


# Text in an SVG chart that sticks out of the chart's own box: a label cut off by the viewBox.
LABELS_OUTSIDE = """(svg) => {
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll("text")].filter((text) => {
    const b = text.getBoundingClientRect();
    return b.left < box.left - 0.5 || b.right > box.right + 0.5 ||
      b.top < box.top - 0.5 || b.bottom > box.bottom + 0.5;
  }).map((text) => text.textContent);
}"""
FDE = "Forward-Deployed Engineer (FDE) / Applied AI"


def test_every_chart_label_is_whole_at_1280_and_375_px(
    new_context, live_server, db, make_member, password
):
    member = make_member("ada")
    audit_until(member, 5, EVALS_ANSWERS)
    audit = audit_until(member, 5)
    page = new_context().new_page()
    log_in(page, live_server.url, "ada", password)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for path, selector in (
            (f"/audits/{audit.id}/result/", "svg.chart-bars"),
            ("/audits/", "svg.trend-chart"),
        ):
            page.goto(live_server.url + path)
            chart = page.locator(selector)
            expect(chart).to_be_visible()
            assert chart.evaluate(LABELS_OUTSIDE) == [], (width, path)
            # Long names take two lines, never an ellipsis.
            words = " ".join(chart.locator("text").all_text_contents())
            assert FDE in words and "…" not in words, (width, path)


def test_share_open_in_a_fresh_browser_then_revoke(
    new_context, live_server, db, make_member, password
):
    audit = audit_until(make_member("ada"), 5)
    owner = new_context().new_page()
    log_in(owner, live_server.url, "ada", password)
    owner.goto(f"{live_server.url}/audits/{audit.id}/result/")
    owner.get_by_role("button", name="Make a private link").click()
    link = owner.get_by_label("Your private link")
    expect(link).to_have_value(re.compile(r"/r/[\w-]{32,}/$"))
    url = link.input_value()

    friend = new_context(viewport={"width": 375, "height": 800}).new_page()
    assert friend.goto(url).status == 200
    expect(friend.locator("#recommendation")).to_contain_text("Retrieval")
    expect(friend.get_by_role("link", name="Take the audit yourself")).to_be_visible()
    expect(friend.get_by_role("heading", name="Your answers")).to_have_count(0)
    assert "ada@example.com" not in friend.content()

    owner.get_by_role("button", name="Revoke this link").click()
    expect(owner.get_by_role("button", name="Make a private link")).to_be_visible()
    assert friend.reload().status == 404
    expect(friend.get_by_role("heading", level=1)).not_to_contain_text("specialization")
