"""WCAG 2.2 AA criteria that axe cannot judge, each checked on every kind of page at 1280 and
375 px in Chromium: target size (2.5.8), focus visible and not obscured (2.4.7, 2.4.11), reflow
at 320 px (1.4.10), text spacing (1.4.12), text at 200 % (1.4.4), accessible authentication
(3.3.8), dragging alternatives (2.5.7) and consistent help (3.2.6).

Each width is one walk: every page is loaded once and every criterion measured on it, then each
criterion is reported as a subtest of its own, listing every page that fails it.

Exceptions are named where they apply, never hidden:
- SENTENCE_LINK: a link inside a sentence or a block of text is exempt from 2.5.8 (its size is
  set by the line of text), as the criterion says.
- SCROLL_REGION: a table that scrolls sideways in its own labelled region (role=region with a
  name, focusable) does not count against 1.4.10 or 1.4.4.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from answers import EVALS_ANSWERS, RETRIEVAL_ANSWERS
from audit_helpers import PASSWORD, audit_until, start, walk
from browser_helpers import log_in as browser_log_in
from browser_helpers import log_in_with_second_factor
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from audits import flows, shares
from tracks.models import Track

WIDTHS = (1280, 375)
HEIGHT = 900
SENTENCE_LINK = "a link inside a sentence or block of text (2.5.8 inline exception)"
SCROLL_REGION = "content that scrolls in its own labelled region (1.4.10 exception)"


@pytest.fixture
def site(live_server, db, make_member, superuser):
    """Every kind of page, as (name, path, who): who is None (anyone), "visitor" (someone
    walking the audit without an account), "member" or "admin"."""
    member = make_member("ada")
    # A verified address, as allauth asks before it sets up an authenticator app.
    EmailAddress.objects.filter(user=member, email=member.email).update(verified=True)
    first = audit_until(member, 5, RETRIEVAL_ANSWERS)
    second = audit_until(member, 5, EVALS_ANSWERS)
    draft = flows.start_audit(member)
    retrieval = Track.objects.get(slug="retrieval")
    shared = shares.create_share_link(second)
    visitor = Client()
    visitor_result = walk(visitor)
    visitor_draft = start(visitor)
    pages = [
        ("home", "/", None),
        ("tracks", "/tracks/", None),
        ("track", "/tracks/retrieval/", None),
        ("companies", "/companies/", None),
        ("company", "/companies/glean/", None),
        ("conferences", "/conferences/", None),
        ("projects", "/projects/", None),
        ("guide", "/guide/", None),
        ("log in", "/accounts/login/", None),
        ("sign up", "/accounts/signup/", None),
        ("start the audit", "/audits/new/", None),
        ("password reset", "/accounts/password/reset/", None),
        ("a shared result", shared.get_absolute_url(), None),
        ("a visitor's step", f"/audits/{visitor_draft.id}/step/0/", "visitor"),
        ("a visitor's result", f"/audits/{visitor_result.id}/result/", "visitor"),
        ("history", "/audits/", "member"),
        ("a step", f"/audits/{draft.id}/step/0/", "member"),
        ("a result", f"/audits/{first.id}/result/", "member"),
        ("compare", f"/audits/compare/?audit={first.id}&audit={second.id}", "member"),
        ("account", "/accounts/", "member"),
        ("account: email", "/accounts/email/", "member"),
        ("account: second factor", "/accounts/2fa/", "member"),
        ("account: sessions", "/accounts/sessions/", "member"),
        ("account: set up an authenticator app", "/accounts/2fa/totp/activate/", "member"),
        ("account: confirm it is you", "/accounts/reauthenticate/", "member"),
        ("admin: tracks", "/admin/tracks/track/", "admin"),
        ("admin: a track", f"/admin/tracks/track/{retrieval.pk}/change/", "admin"),
        ("admin: a track's history", f"/admin/tracks/track/{retrieval.pk}/history/", "admin"),
    ]
    return {
        "base": live_server.url,
        "visitor": visitor.cookies[settings.SESSION_COOKIE_NAME].value,
        "pages": pages,
        "member": member,
        "admin": superuser,
        "track": retrieval,
    }


def browse(new_context, site, width, **options):
    """One page per kind at `width`: yields (name, page) with each page loaded."""
    contexts = {}
    for name, path, who in site["pages"]:
        if who not in contexts:
            context = new_context(viewport={"width": width, "height": HEIGHT}, **options)
            if who:
                log_in(context, site, who)
            contexts[who] = context.new_page()
        page = contexts[who]
        response = page.goto(site["base"] + path)
        assert response.ok and page.url == site["base"] + path, f"{name}: not the page itself"
        yield name, page
    for page in contexts.values():
        page.context.close()


def log_in(context, site, who):
    if who == "visitor":
        cookie = {"name": settings.SESSION_COOKIE_NAME, "value": site["visitor"]}
        context.add_cookies([cookie | {"url": site["base"]}])
        return
    page = context.new_page()
    if who == "admin":
        log_in_with_second_factor(page, site["base"], site["admin"], PASSWORD, then="/admin/")
    else:
        browser_log_in(page, site["base"], site["member"].username, PASSWORD)
        # Setting up an authenticator asks for the password again first.
        page.goto(site["base"] + "/accounts/2fa/totp/activate/")
        page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()
        expect(page).to_have_url(site["base"] + "/accounts/2fa/totp/activate/")
    page.close()


def report(problems, criterion):
    assert not problems, f"{criterion}: {len(problems)} problems\n" + "\n".join(problems)


# 2.5.8 Target size (minimum) -------------------------------------------------------------

# What a person can see: not clipped to nothing (the visually-hidden pattern) and not scrolled
# out of a scroll container.
SEEN = """
  const seen = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1 || getComputedStyle(el).visibility === "hidden") {
      return false;
    }
    for (let box = el.parentElement; box; box = box.parentElement) {
      const style = getComputedStyle(box);
      if (style.clip !== "auto" && style.position === "absolute") { return false; }
      if (style.overflowX === "visible" && style.overflowY === "visible") { continue; }
      const b = box.getBoundingClientRect();
      if (r.bottom <= b.top || r.top >= b.bottom || r.right <= b.left || r.left >= b.right) {
        return false;
      }
    }
    return true;
  };
"""
TARGETS = (
    """() => {
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary, "
    + "[role=button]";"""
    + SEEN
    + """
  const visible = seen;
  const targets = [...document.querySelectorAll(selector)].filter(visible);
  const boxes = targets.map((el) => el.getBoundingClientRect());
  const inSentence = (el) => {
    if (el.tagName !== "A") { return false; }
    const block = el.closest("p, li, dd, td, figcaption, label, .hint, .note");
    return !!block && block.textContent.trim().length > el.textContent.trim().length + 2;
  };
  const describe = (el) => el.tagName.toLowerCase() + ' "'
    + (el.textContent || el.value || el.name || "").trim().slice(0, 40) + '"';
  const problems = [];
  targets.forEach((el, i) => {
    const r = boxes[i];
    if (r.width >= 24 && r.height >= 24) { return; }
    if (inSentence(el)) { return; }
    // Spacing exception: a 24 px circle on the target's centre meets no other target.
    const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    const clash = boxes.some((o, j) => {
      if (j === i || targets[j].contains(el) || el.contains(targets[j])) { return false; }
      const nx = Math.max(o.left, Math.min(cx, o.right));
      const ny = Math.max(o.top, Math.min(cy, o.bottom));
      return Math.hypot(nx - cx, ny - cy) < 12;
    });
    if (clash) { problems.push(`${describe(el)} ${Math.round(r.width)}x${Math.round(r.height)}`); }
  });
  return problems;
}"""
)


def targets_are_24_px_or_spaced(page, width):
    """Exception: SENTENCE_LINK."""
    return page.evaluate(TARGETS)


# 2.4.7 Focus visible, 2.4.11 Focus not obscured ------------------------------------------

FOCUS = """(key) => {
  // Focusing scrolls the element into view at once (no smooth scrolling on the site).
  const el = document.activeElement;
  if (!el || el === document.body) { return null; }
  // Marked on its first visit in this direction: meeting it again means the walk went round.
  const again = el.dataset.focusWalk === key;
  el.dataset.focusWalk = key;
  const r = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  const visible = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) ||
    style.boxShadow !== "none";
  const points = [[0.5, 0.5], [0.1, 0.1], [0.9, 0.1], [0.1, 0.9], [0.9, 0.9]].map(
    ([x, y]) => [r.left + r.width * x, r.top + r.height * y]);
  // Shown when, at one of five points of its box at least, the element itself is on top.
  const tops = points.map(([x, y]) => document.elementFromPoint(x, y));
  const shown = tops.some((top) => top && (top === el || el.contains(top)));
  const sticky = tops.some((top) => {
    for (let node = top; node; node = node.parentElement) {
      const position = getComputedStyle(node).position;
      if (position === "sticky" || position === "fixed") { return !node.contains(el); }
    }
    return false;
  });
  // 2.4.11 is about author-made parts over the focus: a sticky header, a fixed bar.
  const covered = !shown && sticky ? "hidden by a sticky part" : "";
  const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + ' "'
    + (el.textContent || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 40)
    + `" at ${Math.round(r.top)}px of ${innerHeight}`;
  return {name, visible, covered, again};
}"""
MOST_STOPS = 400  # more than any page has; the walk ends when focus comes round again


def every_focus_stop_is_visible_and_not_hidden(page, width):
    """Every stop, walking forwards from the top and backwards from the end of the page."""
    problems = []
    for key in ("Tab", "Shift+Tab"):
        if key == "Shift+Tab":
            page.keyboard.press("End")
        for _ in range(MOST_STOPS):
            page.keyboard.press(key)
            stop = page.evaluate(FOCUS, key)
            if stop is None:
                continue
            if stop["again"]:
                break
            if not stop["visible"]:
                problems.append(f"{key}: {stop['name']} has no focus indicator")
            if stop["covered"]:
                problems.append(f"{key}: {stop['name']} is {stop['covered']}")
    page.keyboard.press("Home")
    return problems


# 1.4.10 Reflow ---------------------------------------------------------------------------

WIDER_THAN_VIEWPORT = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) { return []; }
  const wide = [];
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (r.right <= width + 0.5 || r.width === 0) { continue; }
    if (el.closest("[role=region][aria-label], [role=region][aria-labelledby]")) { continue; }
    wide.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.right)}px`);
  }
  return wide.slice(0, 5).concat([`page ${document.documentElement.scrollWidth}px`]);
}"""


def nothing_scrolls_sideways_at_320_px(page, width):
    """Exception: SCROLL_REGION (the companies matrix and data tables). The phone-width page
    narrowed to 320 px, as 400 % zoom on a 1280 px screen lays it out."""
    if width != min(WIDTHS):
        return []
    page.set_viewport_size({"width": 320, "height": HEIGHT})
    try:
        wide = page.evaluate(WIDER_THAN_VIEWPORT)
    finally:
        page.set_viewport_size({"width": width, "height": HEIGHT})
    return [", ".join(wide)] if wide else []


# 1.4.12 Text spacing and 1.4.4 Resize text -----------------------------------------------

TEXT_SPACING = """() => {
  const style = document.createElement("style");
  style.id = "wcag-text-spacing";
  style.textContent = `* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }`;
  document.head.append(style);
}"""
UNDO_TEXT_SPACING = """() => document.getElementById("wcag-text-spacing").remove()"""
DOUBLE_TEXT = """() => { document.documentElement.style.fontSize = "200%"; }"""
UNDO_DOUBLE_TEXT = """() => { document.documentElement.style.fontSize = ""; }"""
CLIPPED = (
    """() => {"""
    + SEEN
    + """
  const clipped = [];
  const hiding = ["hidden", "clip"];
  for (const el of document.querySelectorAll("body *")) {
    const style = getComputedStyle(el);
    const hides = hiding.includes(style.overflowX) || hiding.includes(style.overflowY);
    if (!hides || !seen(el) || el.closest(".visually-hidden, .skip-link, svg")) { continue; }
    if (el.scrollHeight > el.clientHeight + 2 || el.scrollWidth > el.clientWidth + 2) {
      if (el.textContent.trim()) {
        const text = el.textContent.trim().slice(0, 30);
        clipped.push(`${el.tagName.toLowerCase()}.${el.className} "${text}"`);
      }
    }
  }
  return clipped;
}"""
)


def no_text_is_clipped_with_more_text_spacing(page, width):
    page.evaluate(TEXT_SPACING)
    clipped = page.evaluate(CLIPPED)
    page.evaluate(UNDO_TEXT_SPACING)
    return [f"{el} clips its text" for el in clipped]


def text_at_200_percent_neither_clips_nor_scrolls_sideways(page, width):
    """Exception: SCROLL_REGION."""
    page.evaluate(DOUBLE_TEXT)
    problems = [f"{el} clips its text" for el in page.evaluate(CLIPPED)]
    if width == max(WIDTHS) and (wide := page.evaluate(WIDER_THAN_VIEWPORT)):
        problems.append(f"scrolls sideways: {', '.join(wide)}")
    page.evaluate(UNDO_DOUBLE_TEXT)
    return problems


# 3.3.8 Accessible authentication ---------------------------------------------------------

PASTE = """(selector) => {
  const input = document.querySelector(selector);
  const data = new DataTransfer();
  data.setData("text/plain", "pasted-secret");
  const event = new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true});
  return input.dispatchEvent(event);  // false when a script refused the paste
}"""


@pytest.mark.parametrize(
    "path, fields",
    [
        ("/accounts/login/", {"login": "username", "password": "current-password"}),
        (
            "/accounts/signup/",
            {"username": "username", "email": "email", "password1": "new-password"},
        ),
    ],
)
def test_log_in_and_sign_up_allow_password_managers_and_paste(page, live_server, path, fields):
    page.goto(live_server.url + path)
    for name, token in fields.items():
        field = page.locator(f"input[name={name}]")
        expect(field).to_have_attribute("autocomplete", token)
        assert page.evaluate(PASTE, f"input[name={name}]"), f"{name} refuses paste"
        assert field.get_attribute("onpaste") is None


# 2.5.7 Dragging movements ----------------------------------------------------------------


def every_drag_has_a_keyboard_or_click_alternative(page, name, site):
    """The only dragging is the admin's track order; a track's own page sets its number.
    Run last on a page: it may leave it."""
    if not page.locator("[draggable=true], .sortable, .handle, .drag").count():
        return []
    if name != "admin: tracks":
        return [f"{name} has dragging nobody checked"]
    page.goto(site["base"] + f"/admin/tracks/track/{site['track'].pk}/change/")
    if not page.get_by_label(re.compile("^Number")).is_editable():
        return ["the track order can only be changed by dragging"]
    return []


# 3.2.6 Consistent help -------------------------------------------------------------------

HELP = """() => [...document.querySelectorAll("footer a")].map((a) => a.textContent.trim())"""


def help_is_in_the_same_place_on_every_page(help_links):
    """help_links: the footer's links of each page but the admin's (Django's admin has its own
    header, the same on each admin page)."""
    first = next(iter(help_links.values()))
    if "The guide" not in first:
        return [f"the footer has no link to the guide: {first}"]
    return [f"{name}: {links}" for name, links in help_links.items() if links != first]


# One walk per width ----------------------------------------------------------------------

# Run on each page in this order: the ones that change the page put it back as it was.
ON_EACH_PAGE = {
    "2.5.8 target size": targets_are_24_px_or_spaced,
    "2.4.7 focus visible, 2.4.11 focus not obscured": every_focus_stop_is_visible_and_not_hidden,
    "1.4.12 text spacing": no_text_is_clipped_with_more_text_spacing,
    "1.4.4 resize text": text_at_200_percent_neither_clips_nor_scrolls_sideways,
    "1.4.10 reflow": nothing_scrolls_sideways_at_320_px,
}
DRAGGING, HELP_CRITERION = "2.5.7 dragging movements", "3.2.6 consistent help"


@pytest.mark.walk
@pytest.mark.parametrize("width", WIDTHS)
def test_every_kind_of_page_meets_each_criterion(new_context, site, width, subtests):
    """Each page is loaded once; each criterion is reported on its own (a subtest each)."""
    problems = {criterion: [] for criterion in [*ON_EACH_PAGE, DRAGGING, HELP_CRITERION]}
    help_links = {}
    for name, page in browse(new_context, site, width, bypass_csp=True):
        for criterion, check in ON_EACH_PAGE.items():
            problems[criterion] += [f"{name} @{width}: {p}" for p in check(page, width)]
        if not name.startswith("admin"):
            help_links[name] = page.evaluate(HELP)
        problems[DRAGGING] += every_drag_has_a_keyboard_or_click_alternative(page, name, site)
    problems[HELP_CRITERION] = help_is_in_the_same_place_on_every_page(help_links)
    for criterion, found in problems.items():
        with subtests.test(criterion):
            report(found, criterion)


# A save that fails (3.3.1 error identification, 4.1.3 status messages) ------------------------


NOTE = "Hybrid search that kept missing acronyms, typed before the session ended"


def test_a_failed_step_save_is_announced_with_what_to_do_and_nothing_typed_is_lost(
    page, live_server, db, make_member, password
):
    from browser_helpers import answer_step, expect_step, save_and_continue, start_audit

    make_member("ada")
    browser_log_in(page, live_server.url, "ada", password)
    start_audit(page, live_server.url)
    answer_step(page, 0)
    save_and_continue(page, 0)
    step_address = page.url
    note = page.locator("textarea")
    note.fill(NOTE)

    # Offline: the site cannot be reached.
    page.context.set_offline(True)
    page.get_by_role("button", name="Save and continue").click()
    alert = page.locator("#save-error")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("This step was not saved")
    expect(alert).to_contain_text("check your connection")
    expect(alert).to_be_focused()
    expect(note).to_have_value(NOTE)
    page.context.set_offline(False)

    # Logged out in another tab.
    other = page.context.new_page()
    other.goto(live_server.url + "/audits/")
    other.locator(".account-nav").get_by_role("button", name="Log out").click()
    other.close()
    page.get_by_role("button", name="Save and continue").click()
    expect(alert).to_contain_text("You are no longer logged in")
    expect(alert).to_be_focused()
    expect(note).to_have_value(NOTE)

    # Logging in again comes back to the same step with what was typed.
    alert.get_by_role("link", name="log in again").click()
    page.get_by_label("Username or email").fill("ada")
    page.get_by_label(re.compile(r"^Password:?$")).fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page).to_have_url(step_address)
    expect_step(page, 1)
    expect(page.locator("textarea")).to_have_value(NOTE)


# Findings beyond the per-page walk, one test each ----------------------------------------

CONTRAST = """([selector, pseudo]) => {
  const el = document.querySelector(selector);
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const fg = lum(rgb(getComputedStyle(el, pseudo).color));
  const bg = lum(rgb(getComputedStyle(el).backgroundColor));
  return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
}"""


def company_step(page, live_server):
    from browser_helpers import answer_step, save_and_continue, start_audit

    start_audit(page, live_server.url)
    for index in range(4):
        answer_step(page, index)
        save_and_continue(page, index)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_company_filter_has_a_visible_label_and_a_readable_placeholder(
    page, live_server, db, scheme
):
    """1.4.3: placeholder text at 4.5:1 in both schemes; the placeholder is not the label."""
    page.emulate_media(color_scheme=scheme)
    company_step(page, live_server)

    label = page.locator('label[for="company-filter"]')
    expect(label).to_be_visible()
    expect(label).to_have_text("Filter companies by name")
    assert label.bounding_box()["width"] > 50  # seen, not only read out (visually-hidden is 1 px)
    assert page.evaluate(CONTRAST, ["#company-filter", "::placeholder"]) >= 4.5


def test_after_step_errors_focus_is_on_the_error_summary_with_links_to_the_fields(
    page, live_server, db
):
    """3.3.1: the summary names what needs attention, and a keyboard user lands on it."""
    from browser_helpers import start_audit

    start_audit(page, live_server.url)
    page.get_by_role("button", name="Save and continue").click()

    summary = page.locator("#step-errors")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).not_to_have_count(0)
    first = summary.get_by_role("link").first
    assert page.locator(first.get_attribute("href")).count() == 1


def test_log_out_stays_on_screen_at_375_px_with_text_at_200_percent(
    page, live_server, db, make_member, password
):
    """1.4.4 and 1.4.10: every control of the header can be reached without scrolling sideways."""
    make_member("ada")
    browser_log_in(page, live_server.url, "ada", password)
    page.set_viewport_size({"width": 375, "height": HEIGHT})
    page.evaluate(DOUBLE_TEXT)

    box = page.locator(".account-nav").get_by_role("button", name="Log out").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375, box


def test_admin_filter_links_are_at_least_24_px_tall(page, live_server, db, superuser):
    """2.5.8: the list filters of the admin, 20 px tall at a 22 px pitch before."""
    log_in_with_second_factor(
        page, live_server.url, superuser, PASSWORD, then="/admin/tracks/track/"
    )
    links = page.locator("#changelist-filter li a")
    assert links.count() > 2
    heights = [links.nth(i).bounding_box()["height"] for i in range(links.count())]
    assert min(heights) >= 24, heights


def test_the_quick_check_moves_focus_to_its_feedback_and_names_the_right_answer(
    page, live_server, db
):
    """2.4.3 and 4.1.3: answered by keyboard, focus lands on the feedback (read out), not on
    the body; 1.4.1: after a wrong answer the right option says so in words, not only a tint."""
    page.goto(live_server.url + "/guide/")
    check = page.locator("#check-wrong-reason")
    check.get_by_label("It keeps you up debugging at 11pm because you enjoy it").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    feedback = page.locator("#check-wrong-reason .feedback")
    expect(feedback).to_contain_text("Not quite.")
    expect(feedback).to_be_focused()
    right = page.locator("#check-wrong-reason label", has_text="(the right answer)")
    expect(right).to_have_count(1)
    expect(page.locator("#check-wrong-reason label", has_text="(your answer)")).to_have_count(1)


def test_the_username_taken_message_describes_the_username_field(
    page, live_server, db, make_member
):
    """1.3.1 and 4.1.3: the inline check's verdict is part of the field's description."""
    make_member("grace")
    page.goto(live_server.url + "/accounts/signup/")
    field = page.get_by_label("Username")
    field.fill("grace")

    expect(page.locator("#username-check")).to_contain_text("already exists")
    expect(field).to_have_accessible_description(re.compile("already exists"))


LIVE_REGIONS = """() => [...document.querySelectorAll("[aria-live], [role=status], [role=alert]")]
  .filter((el) => el.closest("main")).map((el) => el.textContent.trim().length)"""


@pytest.mark.parametrize(
    "path, target, act",
    [
        (
            "/companies/",
            "#company-matrix",
            lambda page: page.select_option("#track-select", "voice"),
        ),
        ("/tracks/", "#track-results", lambda page: page.fill("#track-filter", "Glean")),
    ],
)
def test_a_filter_announces_its_count_once_not_the_whole_list(
    page, live_server, db, path, target, act
):
    """4.1.3: after filtering, one region with the new content (no copy nested in itself with
    the same id), and what is read out is the count, not a table of 1,500 characters."""
    page.goto(live_server.url + path)
    act(page)
    announcer = page.locator("#filter-announcer")
    expect(announcer).to_have_text(re.compile(r"\d"))

    assert page.locator(target).count() == 1
    assert page.locator(f"{target} {target}").count() == 0
    lengths = page.evaluate(LIVE_REGIONS)
    assert lengths and max(lengths) < 80, lengths
    act(page)  # the same again: still one region
    assert page.locator(target).count() == 1


def test_trend_dates_stay_whole_with_wider_text_spacing(
    page, live_server, db, make_member, password
):
    """1.4.12: with WCAG's text spacing the rotated dates of My audits' trend keep their time
    ("…19:04", not "…19:0")."""
    member = make_member("ada")
    from datetime import UTC, datetime

    from audits.models import Audit

    for answers, day in ((RETRIEVAL_ANSWERS, 27), (EVALS_ANSWERS, 28)):
        audit = audit_until(member, 5, answers)
        # The widest dates: two-digit days and hours.
        wide = datetime(2026, 11, day, 19, 44, tzinfo=UTC)
        Audit.objects.filter(pk=audit.pk).update(finished_at=wide)
    browser_log_in(page, live_server.url, "ada", password)
    page.evaluate(TEXT_SPACING)

    chart = page.locator("svg.trend-chart").bounding_box()
    dates = page.locator("svg.trend-chart .trend-date")
    expect(dates).to_have_count(2)
    for index in range(2):
        box = dates.nth(index).bounding_box()
        assert box["y"] >= chart["y"] - 0.5, (box, chart)


def test_the_note_counts_its_characters_as_they_are_typed(page, live_server, db):
    """3.3.2: the limit is stated and the count follows the typing (a paste is never cut)."""
    from browser_helpers import answer_step, save_and_continue, start_audit

    start_audit(page, live_server.url)
    answer_step(page, 0)
    save_and_continue(page, 0)
    count = page.locator("#id_note-count")
    expect(count).to_have_text("0 of 500 characters")
    page.locator("textarea").fill("x" * 520)
    expect(count).to_have_text("520 of 500 characters: 20 too many")
    expect(page.locator("textarea")).to_have_value("x" * 520)


def test_on_a_phone_each_company_names_its_tracks_without_scrolling_sideways(page, live_server, db):
    """1.4.10: at 375 px the companies are a list, each with the tracks it hires for named
    beside it, not a matrix whose names scroll away from its dots."""
    page.set_viewport_size({"width": 375, "height": HEIGHT})
    page.goto(live_server.url + "/companies/")
    matrix = page.locator(".matrix-scroll")
    assert matrix.evaluate("(el) => el.scrollWidth <= el.clientWidth + 1")
    row = page.locator(".matrix tbody tr", has=page.get_by_role("link", name="Glean", exact=True))
    expect(row.get_by_text("Retrieval", exact=True)).to_be_visible()
    box = row.get_by_text("Retrieval", exact=True).bounding_box()
    assert box["x"] + box["width"] <= 375
