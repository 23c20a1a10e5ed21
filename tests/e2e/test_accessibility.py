"""WCAG 2.2 AA in Chromium: axe-core on every kind of page, at 1280 and 375 px, light and dark.

One test a width (1280 px and 375 px) walks the site as a visitor and then as a member (sign up,
a whole audit through htmx swaps, a result, history with two finished audits, compare, a share
link and the shared page as the friend who opens it sees it) and checks each page on the way in
the light and the dark colour scheme (`prefers-color-scheme` is switched on the same page, so each
page is loaded once). Every problem
is collected and reported at the end, so one run lists them all: page, width, scheme, axe rule id,
impact and the offending selectors.

- In the light scheme every axe rule runs (axe's default set: WCAG 2.0–2.2 A/AA and best
  practices). In the dark scheme only the rules that depend on colour run: the dark scheme changes
  colour custom properties only (static/css/site.css), not the DOM, ARIA or layout, and the
  structural rules would repeat the light run at twice the cost.
- At 375 px nothing may scroll sideways (the document is no wider than the viewport).
- What axe skips: text inside SVG has 4.5:1 contrast (the white symbol on each track badge on its
  disc, the charts' labels on the card behind them), and no id is used twice (axe only reports
  repeated ids that ARIA refers to), also after htmx has swapped a step in.
"""

import json
import re
from pathlib import Path

import axe_playwright_python
import pytest
from account_helpers import MEMBER_ACCOUNT_PAGES
from allauth.account.models import EmailAddress
from answers import EVALS_ANSWERS
from audit_helpers import audit_until
from browser_helpers import answer_step, save_and_continue, sign_up, start_audit
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from audits import flows
from reminders import services as reminder_services

AXE_SCRIPT = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
# Only violations come back: passes and incomplete results are large and slow to serialise.
AXE_ALL = "axe.run(document, {resultTypes: ['violations']}).then((r) => r.violations)"
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
AXE_COLOUR = (
    "axe.run(document, {runOnly: {type: 'rule', values: "
    + json.dumps(COLOUR_RULES)
    + "}, resultTypes: ['violations']}).then((r) => r.violations)"
)
DARK = "matchMedia('(prefers-color-scheme: dark)').matches"
WIDE, NARROW = 1280, 375
HEIGHT = 900
USERNAME = "ada"


# Elements wider than the viewport, outside a scroll container: why a page scrolls sideways.
WIDE_ELEMENTS = """(limit) => {
  const wide = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= limit + 0.5) { continue; }
    let parent = el.parentElement, clipped = false;
    while (parent && parent !== document.body) {
      if (getComputedStyle(parent).overflowX !== "visible") { clipped = true; break; }
      parent = parent.parentElement;
    }
    if (!clipped) {
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        (el.classList.length ? "." + [...el.classList].join(".") : "");
      wide.push(name + " (right edge " + Math.round(box.right) + "px)");
    }
  }
  return wide.slice(0, 8);
}"""

# What axe skips: text inside SVG (the badges' symbols on their discs, the charts' labels on the
# card behind them) and ids repeated where no ARIA attribute refers to them.
SVG_CONTRAST_AND_IDS = """() => {
  const channel = (c) => {
    c /= 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const rgba = (colour) => (colour.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const ratio = (a, b) => {
    const [x, y] = [luminance(rgba(a)), luminance(rgba(b))];
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  };
  const backdrop = (el) => {
    for (; el; el = el.parentElement) {
      const colour = rgba(getComputedStyle(el).backgroundColor);
      if (colour.length && (colour.length < 4 || colour[3] > 0.9)) {
        return getComputedStyle(el).backgroundColor;
      }
    }
    return "rgb(255, 255, 255)";
  };
  const problems = new Set();
  for (const badge of document.querySelectorAll("svg.badge")) {
    const disc = badge.querySelector("circle"), symbol = badge.querySelector("text");
    if (!disc || !symbol) { continue; }
    const r = ratio(getComputedStyle(disc).fill, getComputedStyle(symbol).fill);
    if (r < 4.5) {
      problems.add("badge symbol on " + getComputedStyle(disc).fill + ": " + r.toFixed(2) + ":1");
    }
  }
  for (const label of document.querySelectorAll("svg.chart text")) {
    const back = backdrop(label.closest("svg").parentElement);
    const r = ratio(getComputedStyle(label).fill, back);
    if (r < 4.5) {
      problems.add("chart text " + JSON.stringify(label.textContent) + " " + r.toFixed(2) + ":1");
    }
  }
  const seen = new Map();
  for (const el of document.querySelectorAll("[id]")) {
    seen.set(el.id, (seen.get(el.id) || 0) + 1);
  }
  for (const [id, count] of seen) {
    if (count > 1) { problems.add("id " + JSON.stringify(id) + " used " + count + " times"); }
  }
  return [...problems];
}"""


def describe(violation):
    """One line for an axe violation: rule id, impact, help and the offending selectors."""
    nodes = violation["nodes"]
    targets = "; ".join(" ".join(map(str, node["target"])) for node in nodes[:6])
    more = f" (+{len(nodes) - 6} more)" if len(nodes) > 6 else ""
    detail = ""
    if violation["id"] == "color-contrast":
        checks = nodes[0].get("any") or [{}]
        detail = f" [{checks[0].get('message', '')}]"
    return (
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> {targets}{more}{detail}"
    )


class Scanner:
    """scan(name) checks the page in both schemes and remembers every problem.

    The page is left as it was found: light scheme.
    """

    def __init__(self, page: Page, width: int):
        self.page = page
        self.width = width
        self.scanned = []
        self.problems = []

    def problem(self, name, scheme, text):
        self.problems.append(f"{name} @ {self.width}px {scheme}: {text}")

    def __call__(self, name: str):
        page, width = self.page, self.width
        page.wait_for_load_state("load")
        self.scanned.append(name)
        for scheme, script in (("light", AXE_ALL), ("dark", AXE_COLOUR)):
            page.emulate_media(color_scheme=scheme)
            assert page.evaluate(DARK) == (scheme == "dark")
            for violation in page.evaluate(script):
                self.problem(name, scheme, describe(violation))
            if width == WIDE:
                for text in page.evaluate(SVG_CONTRAST_AND_IDS):
                    self.problem(name, scheme, text)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            wide = ", ".join(page.evaluate(WIDE_ELEMENTS, width))
            self.problem(name, "", f"scrolls sideways ({scroll_width}px): {wide}")
        page.emulate_media(color_scheme="light")


@pytest.mark.walk
@pytest.mark.parametrize("width", (WIDE, NARROW))
def test_every_page_in_both_schemes(new_context, live_server, db, password, width):
    context = new_context(viewport={"width": width, "height": HEIGHT}, color_scheme="light")
    context.add_init_script(script=AXE_SCRIPT)
    page = context.new_page()
    base = live_server.url
    scan = Scanner(page, width)

    # The catalogue, as a visitor.
    for name, path in [
        ("home", "/"),
        ("tracks", "/tracks/"),
        ("track", "/tracks/retrieval/"),
        ("companies", "/companies/"),
        ("company", "/companies/glean/"),
        ("conferences", "/conferences/"),
        ("projects", "/projects/"),
        ("guide", "/guide/"),
        ("not found", "/no-such-page/"),
        ("log in", "/accounts/login/"),
        ("sign up", "/accounts/signup/"),
        ("password reset", "/accounts/password/reset/"),
        ("password reset sent", "/accounts/password/reset/done/"),
        ("password reset, bad link", "/accounts/password/reset/key/x-not-a-key/"),
        ("email confirmation, bad link", "/accounts/confirm-email/not-a-key/"),
        ("unsubscribe, bad link", "/reminders/unsubscribe/not-a-token/"),
    ]:
        page.goto(base + path)
        scan(name)

    page.goto(base + "/tracks/?q=Glean")
    scan("tracks filtered")
    page.goto(base + "/tracks/?q=nothing-matches-this")
    scan("tracks, no match")

    # The guide's quick check, answered (right and wrong feedback) and submitted empty (error).
    page.goto(base + "/guide/")
    checks = page.locator("form.check")
    first, second = checks.nth(0), checks.nth(1)
    first.locator("input[type=radio]").first.check()
    first.get_by_role("button", name="Check answer").click()
    expect(first.locator(".feedback")).to_be_visible()
    second.locator("input[type=radio]").last.check()
    second.get_by_role("button", name="Check answer").click()
    expect(second.locator(".feedback")).to_be_visible()
    scan("guide, quick check answered")

    # The audit as a visitor: a step filtered by typing, and a result offering to keep it.
    start_audit(page, base)
    scan("visitor, step 1")
    for index in range(4):
        answer_step(page, index)
        save_and_continue(page, index)
    page.get_by_label("Filter companies by name").fill("gle")
    expect(page.locator("#company-choices label")).not_to_have_count(0)
    scan("visitor, step 5 filtered")
    answer_step(page, 4)
    save_and_continue(page, 4)
    answer_step(page, 5)
    page.get_by_role("button", name="Finish and see my result").click()
    expect(page.get_by_role("complementary", name="Keep this result")).to_be_visible()
    scan("visitor, result")
    context.clear_cookies()  # the member below starts from a browser of their own

    # Log in refused, and the page a rate limit answers with (429).
    page.goto(base + "/accounts/login/")
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    scan("log in, errors")
    for attempt in range(6):  # five reset requests an hour from one address
        page.goto(base + "/accounts/password/reset/")
        page.get_by_label(re.compile(r"^Email")).fill(f"nobody{attempt}@example.com")
        page.get_by_role("button", name="Send me a reset link").click()
    expect(page.get_by_role("heading", name="Too many attempts from here")).to_be_visible()
    scan("too many attempts (429)")

    # Sign up with errors, then for real.
    page.goto(base + "/accounts/signup/")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("alert")).to_be_visible()
    scan("sign up, errors")
    sign_up(page, base, USERNAME, password)
    scan("history, empty")
    page.goto(base + "/audits/new/")
    scan("new audit")

    # The audit: step 1 by a full page load, with errors, then every step through htmx.
    start_audit(page, base)
    scan("step 1")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    scan("step 1, errors")
    for index in range(5):
        answer_step(page, index)
        save_and_continue(page, index)
        scan(f"step {index + 2}")
    answer_step(page, 5)
    page.get_by_role("button", name="Finish and see my result").click()
    expect(page).to_have_url(re.compile(r"/result/$"))
    expect(page.locator("#recommendation")).to_contain_text("Retrieval")
    expect(page.locator("details[open]").get_by_text("Scores as a table")).to_be_visible()
    scan("result")
    page.get_by_role("link", name="Print-friendly page").click()
    expect(page.locator("#recommendation")).to_contain_text("Retrieval")
    scan("print")
    page.get_by_role("link", name="download it as a PDF").click()
    expect(page.get_by_role("heading", name="Your PDF", level=1)).to_be_visible()
    scan("PDF")

    # A second finished audit and a draft: the trend chart, compare boxes and both statuses.
    member = get_user_model().objects.get(username=USERNAME)
    evals = audit_until(member, 5, EVALS_ANSWERS)
    flows.start_audit(member)
    page.goto(f"{base}/audits/{evals.id}/result/")
    expect(page.locator("#recommendation")).to_contain_text("Evals")
    scan("result with warnings")
    page.goto(base + "/audits/")
    expect(page.locator("svg.chart")).to_be_visible()
    page.get_by_text("The scores as a table").press("Enter")
    scan("history, two finished and a draft")
    boxes = page.locator("input[name=audit]")
    expect(boxes).to_have_count(2)
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_role("button", name="Compare the two ticked").click()
    expect(page).to_have_url(re.compile(r"/audits/compare/\?"))
    scan("compare")
    page.goto(f"{base}/audits/{evals.id}/delete/")
    scan("delete an audit")
    # The retake reminder: on a result, in the account, and its unsubscribe page from the mail.
    EmailAddress.objects.update_or_create(
        user=member, email=member.email, defaults={"verified": True, "primary": True}
    )
    page.goto(f"{base}/audits/{evals.id}/result/")
    scan("result with the reminder offer")
    page.get_by_role("button", name="Remind me").click()
    expect(page.get_by_role("region", name="Retake it as you grow")).to_contain_text("We will")
    scan("result with a reminder set")
    page.goto(base + "/reminders/")
    scan("retake reminder")
    unsubscribe = f"{base}/reminders/unsubscribe/"
    page.goto(unsubscribe + reminder_services.unsubscribe_token(member.retake_reminder) + "/")
    scan("unsubscribe")
    page.get_by_role("button", name="Stop my reminders").click()
    expect(page.get_by_role("heading", name="You're unsubscribed")).to_be_visible()
    scan("unsubscribed")
    # Every account page of the member's.
    for name, path in MEMBER_ACCOUNT_PAGES.items():
        page.goto(base + path)
        scan(name)
    page.get_by_label(re.compile(r"^Password:?$")).fill(password)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Delete your account?")).to_be_visible()
    scan("delete account")
    # allauth sets up a second factor only for a verified address (the browser test of the
    # account flow verifies it by the mailed link).
    member.emailaddress_set.update(verified=True)
    page.goto(base + "/accounts/2fa/totp/activate/")
    scan("authenticator app set-up")
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_role("alert")).to_be_visible()
    scan("authenticator app set-up, errors")
    page.goto(base + "/accounts/2fa/webauthn/add/")
    scan("passkey")

    # The result shared by a private link, as the friend who opens it sees it.
    page.goto(f"{base}/audits/{evals.id}/result/")
    page.get_by_role("button", name="Make a private link").click()
    scan("result with its share link")
    shared_url = page.get_by_label("Your private link").input_value()
    context.clear_cookies()
    page.goto(shared_url)
    expect(page.get_by_role("link", name="Take the audit yourself")).to_be_visible()
    page.get_by_text("Scores as a table").press("Enter")
    scan("shared result")

    assert len(scan.scanned) == 60, scan.scanned
    assert not scan.problems, (
        f"{len(scan.problems)} accessibility problems on {len(scan.scanned)} pages:\n"
        + "\n".join(scan.problems)
    )
