"""Accounts in Chromium: sign up, verify the address by the link in the mail, log out, log in by
email in capitals, set up and use an authenticator app (codes computed here), register and use a
passkey with Chromium's virtual authenticator; a curator without a second factor cannot open the
admin."""

import re
from datetime import UTC, datetime

from account_helpers import totp_code
from browser_helpers import PASSWORD_LABEL, log_out, sign_up
from django.contrib.auth.models import Group
from django.core import mail
from playwright.sync_api import Page, expect

VIRTUAL_AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
    "automaticPresenceSimulation": True,
}


def log_in_by(page: Page, base: str, login: str, password: str):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username or email").fill(login)
    page.get_by_label(PASSWORD_LABEL).fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()


def confirm_it_is_me(page: Page, password: str):
    """allauth asks for the password again before a second factor is added."""
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    page.get_by_label(PASSWORD_LABEL).fill(password)
    page.get_by_role("button", name="Confirm").click()


def fresh_totp_code(secret, used, clock):
    """A code the server has not seen yet: allauth refuses a code twice, so the clock (the
    server's too: it runs in this process) moves on to the next 30-second window when this
    one's code was already used."""
    code = totp_code(secret)
    while code in used:
        clock.shift(30)
        code = totp_code(secret)
    used.add(code)
    return code


def test_sign_up_verify_log_in_by_email_and_both_second_factors(
    page: Page, live_server, db, password, django_user_model, time_machine
):
    time_machine.move_to(datetime.now(UTC), tick=True)
    base = live_server.url.replace("127.0.0.1", "localhost")  # a passkey needs a domain name
    mail.outbox.clear()

    # Sign up, then verify the address by the link in the mail.
    sign_up(page, base, "ada", password)
    expect(page.locator("#messages")).to_contain_text("Confirmation email sent to ada@example.com")
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body)[0]
    page.goto(link.replace("127.0.0.1", "localhost"))
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("#messages")).to_contain_text("You have confirmed ada@example.com")
    user = django_user_model.objects.get(username="ada")
    assert user.emailaddress_set.get().verified

    # Log out, and back in by the email address in capitals.
    log_out(page)
    log_in_by(page, base, "ADA@EXAMPLE.COM", password)
    expect(page).to_have_url(re.compile(r"/audits/$"))
    expect(page.locator("#messages")).to_contain_text("Welcome back, ada.")

    # An authenticator app, set up with a code computed from the secret on the page.
    used_codes = set()
    page.locator(".account-nav").get_by_role("link", name="Account").click()
    page.get_by_role("link", name="Second factor").first.click()
    page.get_by_role("link", name="Set up an authenticator app").click()
    confirm_it_is_me(page, password)
    secret = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    page.get_by_label("Authenticator code").fill(fresh_totp_code(secret, used_codes, time_machine))
    page.get_by_role("button", name="Activate").click()
    expect(page.locator("#messages")).to_contain_text("Authenticator app activated.")

    log_out(page)
    log_in_by(page, base, "ada", password)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    page.get_by_label("Code").fill(fresh_totp_code(secret, used_codes, time_machine))
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/audits/$"))

    # A passkey, registered and used with Chromium's virtual authenticator.
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": VIRTUAL_AUTHENTICATOR})
    page.goto(base + "/accounts/2fa/")
    page.get_by_role("link", name="Add a passkey").click()
    confirm_it_is_me(page, password)
    page.get_by_label("Name").fill("Laptop")
    page.get_by_label("Passwordless").check()
    page.get_by_role("button", name="Add").click()
    expect(page.locator("#messages")).to_contain_text("Security key added.")
    credentials = cdp.send(
        "WebAuthn.getCredentials", {"authenticatorId": authenticator["authenticatorId"]}
    )
    assert len(credentials["credentials"]) == 1

    log_out(page)
    page.goto(base + "/accounts/login/")
    page.get_by_role("button", name="Log in with a passkey").click()
    expect(page).to_have_url(re.compile(r"/audits/$"))
    expect(page.locator(".account-nav")).to_contain_text("Log out")
    assert user.authenticator_set.filter(type="webauthn").count() == 1


def test_a_curator_without_a_second_factor_cannot_open_the_admin(
    page: Page, live_server, db, password, make_member
):
    curator = make_member("marie", is_staff=True)
    curator.groups.add(Group.objects.get(name="Curators"))

    log_in_by(page, live_server.url, "marie", password)
    expect(page).to_have_url(re.compile(r"/audits/$"))
    page.goto(live_server.url + "/admin/")

    expect(page).to_have_url(re.compile(r"/accounts/2fa/$"))
    expect(page.locator("#messages")).to_contain_text("The admin opens only with a second factor")
    expect(page.get_by_role("heading", name="Second factor", level=1)).to_be_visible()
    page.goto(live_server.url + "/admin/tracks/track/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/$"))
