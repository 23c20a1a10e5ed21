"""The site with the keyboard alone: the skip link, visible focus, and the whole audit.

No mouse: no clicks, no `.check()`, no `.fill()`. Tab and Shift+Tab move the focus, Space ticks
a checkbox or a radio, the arrow keys move within a radio group, Enter follows a link or presses
the focused button, and text is typed key by key at a human pace (slow enough for the sign-up
form's inline validation to come back while the member is still typing).
"""

import re

from browser_helpers import (
    AFTER_SETTLE,
    NOTE,
    REFLECTION,
    RETRIEVAL_CHOICES,
    STEP_TITLES,
    WATCH_SETTLE,
    choice,
    expect_step,
    step_url,
)
from playwright.sync_api import Page, expect

TYPING_DELAY = 40  # ms between keys: a quick typist

# What has the focus, for assertions and failure messages.
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    id: el.id, tag: el.tagName.toLowerCase(), type: el.type || "", name: el.name || "",
    text: (el.innerText || el.value || "").trim().slice(0, 60),
    outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
    focusVisible: el.matches(":focus-visible"),
    inMain: !!el.closest("main"),
  };
}"""
MATCHES = "(selector) => document.activeElement.matches(selector)"


def focused(page: Page):
    return page.evaluate(FOCUSED)


def describe(info):
    return f"<{info['tag']} id={info['id']!r} type={info['type']!r}> {info['text']!r}"


class Keyboard:
    """Moves the focus with Tab and remembers every stop that showed no focus indicator."""

    def __init__(self, page: Page):
        self.page = page
        self.unmarked = []

    def check_indicator(self):
        info = focused(self.page)
        if info["outline"] == "none" or info["outlineWidth"] < 1 or not info["focusVisible"]:
            self.unmarked.append(describe(info))
        return info

    def tab_to(self, selector: str, limit: int = 80, backwards: bool = False):
        """Press Tab (or Shift+Tab) until the focused element matches `selector`."""
        key = "Shift+Tab" if backwards else "Tab"
        seen = []
        for _ in range(limit):
            self.page.keyboard.press(key)
            if self.page.evaluate(MATCHES, selector):
                return self.check_indicator()
            seen.append(describe(focused(self.page)))
        raise AssertionError(f"{limit} x {key} never reached {selector}; passed: {seen[-12:]}")

    def type(self, text: str):
        self.page.keyboard.type(text, delay=TYPING_DELAY)

    def tick(self, label):
        """Tab to the checkbox labelled `label` and tick it with Space."""
        control = choice(self.page, label)
        expect(control).to_have_count(1)
        self.tab_to(f'[id="{control.get_attribute("id")}"]')
        expect(control).not_to_be_checked()
        self.page.keyboard.press("Space")
        expect(control).to_be_checked()

    def pick_radio(self, control, group_selector: str):
        """Tab into a radio group, then choose `control` with the arrow keys (or Space)."""
        target = f'[id="{control.get_attribute("id")}"]'
        self.tab_to(group_selector)
        for _ in range(12):
            if self.page.evaluate(MATCHES, target):
                break
            self.page.keyboard.press("ArrowDown")  # moves to the next radio and selects it
        else:
            raise AssertionError(f"the arrow keys never reached {target}")
        if not control.is_checked():  # the first radio has the focus but is not selected yet
            self.page.keyboard.press("Space")
        expect(control).to_be_checked()
        self.check_indicator()

    def press_button(self, name: str):
        """Tab to the submit button called `name` and press Enter."""
        self.tab_to("main button[type=submit]")
        expect(self.page.locator("*:focus")).to_have_text(re.compile(re.escape(name)))
        self.page.keyboard.press("Enter")


def expect_focus_on_heading_and_announcement(page: Page, announcement: str, on="step-heading"):
    """After an htmx swap: the new step's heading (or, after errors, the error summary) has
    the focus and the announcer spoke."""
    page.evaluate(AFTER_SETTLE)
    info = focused(page)
    assert info["id"] == on, f"focus after the swap is on {describe(info)}"
    expect(page.locator("#audit-announcer")).to_have_text(announcement)


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page: Page, live_server, db):
    page.goto(live_server.url + "/tracks/retrieval/")
    keys = Keyboard(page)

    page.keyboard.press("Tab")
    info = keys.check_indicator()
    assert info["text"] == "Skip to main content", f"first Tab stop: {describe(info)}"
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_in_viewport()  # shown when focused, not left off-screen
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/tracks/retrieval/#main")
    assert focused(page)["id"] == "main"

    # The next Tab stop is inside main, past the header's links.
    page.keyboard.press("Tab")
    info = keys.check_indicator()
    assert info["inMain"], f"after the skip link, Tab went to {describe(info)}"
    assert keys.unmarked == [], f"focused without a visible indicator: {keys.unmarked}"


def is_validation(response):
    return response.request.method == "POST" and response.url.endswith("/accounts/signup/username/")


def test_sign_up_checks_the_username_while_the_member_types_on(
    page: Page, live_server, db, make_member
):
    """The username check answers in its own live region; nothing typed elsewhere is touched."""
    make_member("ada")
    page.goto(live_server.url + "/accounts/signup/")
    expect(page.locator("#id_username")).to_be_focused()  # autofocus, before typing
    keys = Keyboard(page)
    with page.expect_response(is_validation):
        keys.type("ada")
        keys.tab_to("#id_email")
        keys.type("ada@example.com")  # the answer about the username comes back meanwhile
    check = page.locator("#username-check")
    expect(check).to_contain_text("already exists")
    expect(check).to_have_attribute("role", "status")
    assert focused(page)["id"] == "id_email"
    expect(page.locator("#id_email")).to_have_value("ada@example.com")

    keys.tab_to("#id_username", backwards=True)  # focusing by keyboard selects the whole value
    with page.expect_response(is_validation):
        keys.type("ada-lovelace")
    expect(check).to_have_text("“ada-lovelace” is available.")
    expect(page.locator("#id_email")).to_have_value("ada@example.com")


def test_whole_audit_with_the_keyboard_alone(page: Page, live_server, db, password):
    keys = Keyboard(page)
    base = live_server.url

    # Sign up: the username has autofocus; each field is reached with Tab and typed into.
    page.goto(base + "/accounts/signup/")
    assert focused(page)["id"] == "id_username"
    keys.type("ada")
    keys.tab_to("#id_email")
    keys.type("ada@example.com")
    keys.tab_to("#id_password1")
    keys.type(password)
    keys.tab_to("#id_password2")
    keys.type(password)
    page.keyboard.press("Enter")
    expect(page).to_have_url(base + "/audits/")
    expect(page.get_by_role("heading", name="My audits", level=1)).to_be_visible()

    # My audits -> the start page -> a new audit, by links and buttons.
    keys.tab_to('main a[href="/audits/new/"]')
    page.keyboard.press("Enter")
    expect(page).to_have_url(base + "/audits/new/")
    keys.press_button("Start a new audit")
    expect_step(page, 0)

    # Step 1 submitted empty: the error is announced, focus is on the summary, which links to
    # the question; the question is the next Tab stop after that link.
    page.evaluate(WATCH_SETTLE)
    keys.press_button("Save and continue")
    expect_focus_on_heading_and_announcement(
        page, "Step 1 was not saved: some answers need attention.", on="step-errors"
    )
    expect(page.get_by_role("alert")).to_contain_text("Some answers need attention")
    years = page.locator("fieldset#id_years")
    error = page.locator("#id_years-error")
    expect(error).to_have_text("Choose how long you have worked as an AI engineer.")
    expect(years).to_have_attribute("aria-describedby", re.compile(r"(^| )id_years-error( |$)"))
    expect(years.locator("input[type=radio]").first).to_have_attribute("aria-invalid", "true")
    page.keyboard.press("Tab")
    info = keys.check_indicator()
    assert info["text"].startswith("How long"), f"the first Tab went to {describe(info)}"
    page.keyboard.press("Tab")
    info = keys.check_indicator()
    assert info["name"] == "years", f"the second Tab after the error went to {describe(info)}"
    page.keyboard.press("Shift+Tab")  # back out of the form: the walk below starts above it

    # Steps 1-5: tick the choices, then Save and continue; htmx swaps in the next step.
    held = []  # the request that saves step 3, held back to see the button while it is busy

    def hold(route):
        held.append(route)

    for index in range(5):
        expect_step(page, index)
        for label in RETRIEVAL_CHOICES[index]:
            control = choice(page, label)
            if control.get_attribute("type") == "radio":
                keys.pick_radio(control, f'input[name="{control.get_attribute("name")}"]')
            else:
                keys.tick(label)
        if index == 1:
            keys.tab_to("textarea")
            keys.type(NOTE)
        if index == 2:
            # While the step is saved the button is disabled and the spinner turns: hold the
            # request until both are seen, then let it through to the live server.
            page.route(re.compile(r"/step/2/$"), hold)
        page.evaluate(WATCH_SETTLE)
        keys.press_button("Save and continue")
        if index == 2:
            button = page.locator("#audit-step button[value=continue]")
            expect(button).to_be_disabled()
            expect(button.locator(".spinner")).to_be_visible()
            for _ in range(100):  # the route handler runs as Playwright dispatches events
                if held:
                    break
                page.wait_for_timeout(20)
            assert len(held) == 1 and held[0].request.method == "POST", held
            expect(button).to_be_disabled()  # still: the request has not reached the server
            held[0].continue_()
            page.unroute(re.compile(r"/step/2/$"))
        expect(page).to_have_url(step_url(index + 1))
        expect_focus_on_heading_and_announcement(page, f"Step {index + 1} saved.")
        expect(page.locator("#step-heading")).to_have_text(STEP_TITLES[index + 1])
        expect(page.locator("#audit-step button[value=continue]")).to_be_enabled()
        expect(page.locator("#audit-step .spinner")).to_be_hidden()

    # Step 6: one Yes/No radio group per question.
    for legend, answer in REFLECTION.items():
        group = page.get_by_role("group", name=legend)
        control = group.get_by_label(answer, exact=True)
        keys.pick_radio(control, f'input[name="{control.get_attribute("name")}"]')
    keys.press_button("Finish and see my result")

    expect(page).to_have_url(re.compile(r"/audits/[0-9a-f-]{36}/result/$"))
    expect(page.locator("#recommendation")).to_contain_text("Retrieval")
    assert keys.unmarked == [], f"focused without a visible indicator: {keys.unmarked}"
