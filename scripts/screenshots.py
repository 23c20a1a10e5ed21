"""Render every kind of page at desktop and phone width into docs/screenshots/ with Chromium.

Usage: `make screenshots`, or .venv/bin/python scripts/screenshots.py [BASE_URL]. Without BASE_URL
it migrates and seeds the local database, serves it on 127.0.0.1:8765 for the run and stops it;
with one, that server must use the same database as this script. SCREENSHOTS=accounts renders
only the account pages (log-in, sign-up, email, password, second factor, sessions, deletion).
"""

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careerguide.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
django.setup()

from account_helpers import MEMBER_ACCOUNT_PAGES  # noqa: E402
from chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

BASE = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8765").rstrip("/")
OUT = ROOT / "docs" / "screenshots"
WIDTHS = {"desktop": (1280, 800), "phone": (375, 740)}
USERNAME, PASSWORD = "screenshot-member", "screenshot-pass-8462"


def demo_member():
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    User = get_user_model()
    user, _ = User.objects.get_or_create(username=USERNAME, defaults={"email": "demo@example.com"})
    user.set_password(PASSWORD)
    user.save()
    user.audits.all().delete()
    Authenticator.objects.filter(user=user).delete()
    EmailAddress.objects.update_or_create(
        user=user, email="demo@example.com", defaults={"primary": True, "verified": True}
    )
    return user


def log_in(page):
    page.goto(f"{BASE}/accounts/login/")
    page.get_by_label("Username or email").fill(USERNAME)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url(f"{BASE}/audits/")


def account_pages(page, shoot):
    """Every account page a member or a visitor sees, in the order they meet them."""
    context = page.context
    context.clear_cookies()
    for name, path in [
        ("account-login", "/accounts/login/"),
        ("account-signup", "/accounts/signup/"),
        ("account-password-reset", "/accounts/password/reset/"),
        ("account-password-reset-done", "/accounts/password/reset/done/"),
        ("account-password-reset-bad-link", "/accounts/password/reset/key/x-y/"),
        ("account-confirm-email-bad-link", "/accounts/confirm-email/not-a-key/"),
    ]:
        page.goto(BASE + path)
        shoot(name)
    page.goto(f"{BASE}/accounts/login/")
    page.get_by_role("button", name="Log in", exact=True).click()
    shoot("account-login-errors")
    log_in(page)
    for name, path in MEMBER_ACCOUNT_PAGES.items():
        page.goto(BASE + path)
        shoot(name)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    shoot("account-delete")
    for name, path in [
        ("account-totp-setup", "/accounts/2fa/totp/activate/"),
        ("account-passkey-add", "/accounts/2fa/webauthn/add/"),
    ]:
        page.goto(BASE + path)
        shoot(name)
    context.clear_cookies()


def answer_audit(page, shoot, talk="sigir:talk", company="glean", years="2–3 years"):
    """Walk one audit, calling shoot(name) at each step; returns the result page's URL."""
    page.goto(f"{BASE}/audits/new/")
    page.get_by_role("button", name="Start a new audit").click()
    choices = [
        lambda: (page.get_by_label(years).check(), page.get_by_label("Retrieval").first.check()),
        lambda: page.get_by_label("A finicky chunking strategy").check(),
        lambda: page.get_by_label("Eval blog posts").check(),
        lambda: page.locator(f"input[value='{talk}']").check(),
        lambda: page.locator(f"input[value='{company}']").check(),
        lambda: [f.get_by_label("No", exact=True).check() for f in page.locator("fieldset").all()],
    ]
    for number, choose in enumerate(choices, start=1):
        page.get_by_text(f"Step {number} of 6").wait_for()
        choose()
        shoot(f"audit-step-{number}")
        name = "Finish and see my result" if number == 6 else "Save and continue"
        page.get_by_role("button", name=name).click()
    page.locator("#recommendation").wait_for()
    return page.url


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    demo_member()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        pages = [
            ("home", "/"),
            ("tracks", "/tracks/"),
            ("tracks-filtered", "/tracks/?q=reranking"),
            ("track", "/tracks/retrieval/"),
            ("companies", "/companies/"),
            ("company", "/companies/anthropic/"),
            ("conferences", "/conferences/"),
            ("projects", "/projects/"),
            ("guide", "/guide/"),
            ("signup", "/accounts/signup/"),
            ("login", "/accounts/login/"),
            ("not-found", "/no-such-page/"),
        ]
        visits = [(name, BASE + path) for name, path in pages]
        for label, (width, height) in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": height})

            def shoot(name, label=label):
                page.screenshot(path=OUT / f"{name}-{label}.png", full_page=True)
                print(f"{name}-{label}.png")

            account_pages(page, shoot)
            if os.environ.get("SCREENSHOTS") == "accounts":
                continue
            log_in(page)

            first_result = answer_audit(page, shoot)
            second_result = answer_audit(
                page, lambda name: None, talk="cvpr:talk", years="5+ years"
            )
            ids = [url.rstrip("/").split("/")[-2] for url in (first_result, second_result)]
            more = [
                ("result", first_result),
                ("result-no-overlap", second_result),
                ("history", f"{BASE}/audits/"),
                ("account", f"{BASE}/accounts/"),
                ("compare", f"{BASE}/audits/compare/?audit={ids[0]}&audit={ids[1]}"),
                ("print", f"{BASE}/audits/{ids[0]}/print/"),
            ]
            for name, url in visits + more:
                page.goto(url)
                shoot(name)
            # The first result shared by a private link, as the friend who opens it sees it.
            page.goto(first_result)
            page.get_by_role("button", name="Make a private link").click()
            shared = page.get_by_label("Your private link").input_value()
            friend = browser.new_page(viewport={"width": width, "height": height})
            friend.goto(shared)
            friend.screenshot(path=OUT / f"shared-{label}.png", full_page=True)
            print(f"shared-{label}.png")
            friend.close()
            page.emulate_media(color_scheme="dark")
            for name, url in (("result-dark", first_result), ("history-dark", f"{BASE}/audits/")):
                page.goto(url)
                shoot(name)
            page.emulate_media(color_scheme="light")
        browser.close()


def serve_locally():
    """Migrate, seed and start a development server for the run; returns the process."""
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], check=True)
    subprocess.run([*manage, "seed_content", "-v", "0"], check=True)
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", "127.0.0.1:8765"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(50):
        try:
            urllib.request.urlopen(f"{BASE}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("The local server did not start.")


if __name__ == "__main__":
    server = None if len(sys.argv) > 1 else serve_locally()
    try:
        main()
    finally:
        if server:
            server.terminate()
            server.wait(timeout=10)
