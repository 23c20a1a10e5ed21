"""Driving careerguide in a browser: accounts, and the audit answered by clicking labels."""

import re

from playwright.sync_api import Page, expect

from audits.steps import STEPS

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
TOTAL_STEPS = 6

# The step headings, in order.
STEP_TITLES = [step.title for step in STEPS]

# The labels a Retrieval-leaning member clicks on each step (the same leaning as
# tests/audit_helpers.py: 2–3 years, the SIGIR talk, Glean), matched exactly unless marked.
RETRIEVAL_CHOICES = {
    0: ["2–3 years", "Retrieval", "Evals & quality"],
    1: ["A finicky chunking strategy"],
    2: ["Write-ups on search relevance, hybrid search or reranking"],
    3: ["SIGIR"],
    4: ["Glean"],
}
# Django's labels end with a colon ("Password:"); "Password confirmation:" must not match.
PASSWORD_LABEL = re.compile(r"^Password:?$")

NOTE = "Hybrid search that kept missing acronyms"
# Step 6: one Yes/No per question, each question a fieldset named by its legend.
REFLECTION = {
    "Is the pay premium the main reason you want to specialize?": "No",
    "Do you enjoy reading model release notes every week?": "Yes",
    "Does your day job let you spend time going deep in the area you are drawn to?": "Yes",
    "Are you drawn to that area mainly because it is hot this quarter?": "No",
}


# Accounts -------------------------------------------------------------------------------


def sign_up(page: Page, base_url: str, username: str, password: str):
    """Sign up through the header link and the form; lands on My audits, logged in."""
    page.goto(base_url + "/")
    page.locator(".account-nav").get_by_role("link", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label(PASSWORD_LABEL).fill(password)
    page.get_by_label(re.compile(r"^Password confirmation:?$")).fill(password)
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/audits/$"))
    expect(page.locator(".account-nav").get_by_role("button", name="Log out")).to_be_visible()


def log_in(page: Page, base_url: str, username: str, password: str):
    """Log in through the form (by username or email); lands on My audits."""
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label(PASSWORD_LABEL).fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/audits/$"))
    expect(page.get_by_role("heading", name="My audits", level=1)).to_be_visible()


def log_in_with_second_factor(page: Page, base_url: str, user, password: str, then: str):
    """Log a staff member in with a password and an authenticator code, then open `then`."""
    from account_helpers import known_totp, totp_code

    secret = known_totp(user)
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Username or email").fill(user.get_username())
    page.get_by_label(PASSWORD_LABEL).fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_load_state()
    page.goto(base_url + then)


def log_out(page: Page):
    page.locator(".account-nav").get_by_role("button", name="Log out").click()
    expect(page.locator(".account-nav").get_by_role("link", name="Log in")).to_be_visible()


# The audit ------------------------------------------------------------------------------


def step_url(index: int):
    """A regex for the URL of step `index` (0-based) of any audit."""
    return re.compile(rf"/audits/{UUID}/step/{index}/$")


def start_audit(page: Page, base_url: str):
    """From the start page, start a new audit: a full page load of step 1."""
    page.goto(base_url + "/audits/new/")
    page.get_by_role("button", name="Start a new audit").click()
    expect_step(page, 0)


def expect_step(page: Page, index: int):
    """The page shows step `index` (0-based): URL, progress text and heading."""
    expect(page).to_have_url(step_url(index))
    expect(page.locator("#audit-step .progress")).to_contain_text(
        f"Step {index + 1} of {TOTAL_STEPS}"
    )
    expect(page.locator("#step-heading")).to_have_text(STEP_TITLES[index])


def choice(page: Page, label):
    """The input of a choice, by its name as a screen reader reads it (the "ours" marker of an
    editorial option is a description, not part of the name): `label` is the exact name, or
    (text, exact)."""
    text, exact = label if isinstance(label, tuple) else (label, True)
    return page.get_by_role("checkbox", name=text, exact=exact).or_(
        page.get_by_role("radio", name=text, exact=exact)
    )


def click_label(page: Page, label):
    """Tick a choice by clicking its <label> (not the input), then check it took."""
    control = choice(page, label)
    expect(control).to_have_count(1)
    control_id = control.get_attribute("id")
    page.locator(f'label[for="{control_id}"]').click()
    expect(control).to_be_checked()


def answer_step(page: Page, index: int):
    """Answer step `index` (0-based) the Retrieval way, by clicking labels."""
    if index == 5:
        for legend, answer in REFLECTION.items():
            group = page.get_by_role("group", name=legend)
            control = group.get_by_label(answer, exact=True)
            group.locator(f'label[for="{control.get_attribute("id")}"]').click()
            expect(control).to_be_checked()
        return
    for label in RETRIEVAL_CHOICES[index]:
        click_label(page, label)
    if index == 1:
        page.get_by_label("Anything else? (optional)").fill(NOTE)


def expect_answers_kept(page: Page, index: int):
    """Step `index` (0-based) shows the answers given by answer_step."""
    if index == 5:
        for legend, answer in REFLECTION.items():
            expect(
                page.get_by_role("group", name=legend).get_by_label(answer, exact=True)
            ).to_be_checked()
        return
    for label in RETRIEVAL_CHOICES[index]:
        expect(choice(page, label)).to_be_checked()
    if index == 1:
        expect(page.get_by_label("Anything else? (optional)")).to_have_value(NOTE)


# Resolves once htmx has settled the new #audit-step; site.js's own afterSettle listener (added
# at page load, so before this one) has moved the focus by then.
WATCH_SETTLE = """() => {
  window.__e2eStepSettled = new Promise((resolve) => {
    document.addEventListener("htmx:afterSettle", function settled(event) {
      if (event.target.id !== "audit-step") { return; }
      document.removeEventListener("htmx:afterSettle", settled);
      resolve();
    });
  });
}"""
# Bounded: page.evaluate has no timeout of its own.
AFTER_SETTLE = """async () => {
  await Promise.race([window.__e2eStepSettled, new Promise((r) => setTimeout(r, 3000))]);
}"""


def save_and_continue(page: Page, index: int) -> str:
    """Submit step `index` with htmx and check the swap: URL, progress text, heading, announcer.

    Returns the id of the focused element once the swap has settled (it should be
    "step-heading"), so that a test can check the focus on every step and report them all.
    """
    page.evaluate(WATCH_SETTLE)
    page.get_by_role("button", name="Save and continue").click()
    expect_step(page, index + 1)
    expect(page.locator("#audit-announcer")).to_have_text(f"Step {index + 1} saved.")
    page.evaluate(AFTER_SETTLE)
    return page.evaluate("document.activeElement.id")


def finish(page: Page):
    page.get_by_role("button", name="Finish and see my result").click()
    expect(page).to_have_url(re.compile(rf"/audits/{UUID}/result/$"))
    expect(page.locator("#recommendation")).to_contain_text("Retrieval")
