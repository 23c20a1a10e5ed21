"""A retake reminder in Chromium: opt in from a result, see it in the account, receive the mail
from a real SMTP server, follow its unsubscribe link without logging in, see it stopped."""

import re
from datetime import date

from allauth.account.models import EmailAddress
from audit_helpers import audit_until
from browser_helpers import log_in
from django.core.management import call_command
from playwright.sync_api import Page, expect
from task_helpers import DATABASE_TASKS, run_worker

from audits.steps import LAST_STEP
from reminders.services import add_months, today


def test_opt_in_from_a_result_then_unsubscribe_from_the_mail(
    page: Page, live_server, db, password, django_user_model, smtp_server, settings
):
    settings.SITE_URL = live_server.url
    settings.TASKS = DATABASE_TASKS
    ada = django_user_model.objects.create_user("ada", "ada@example.com", password)
    EmailAddress.objects.filter(user=ada, email=ada.email).update(verified=True)
    audit = audit_until(ada, LAST_STEP)
    due = add_months(today(), 12)

    log_in(page, live_server.url, "ada", password)
    page.goto(f"{live_server.url}/audits/{audit.id}/result/")
    box = page.get_by_role("region", name="Retake it as you grow")
    expect(box.get_by_label("In a year")).to_be_checked()  # the default choice; off until asked
    box.get_by_role("button", name="Remind me").click()
    expect(page.locator("#messages")).to_contain_text(
        f"we will remind you on {due:%-d %B %Y} at ada@example.com"
    )
    box = page.get_by_role("region", name="Retake it as you grow")
    expect(box).to_contain_text(f"We will remind you to retake the audit on {due:%-d %B %Y}")

    page.get_by_role("link", name="Account").click()
    expect(page.locator(".details-list")).to_contain_text(f"{due:%-d %B %Y}, then every 12 months")
    page.get_by_role("navigation", name="Your account").get_by_role(
        "link", name="Reminders"
    ).click()
    expect(page.get_by_role("heading", name="Retake reminder", level=1)).to_be_visible()
    expect(page.get_by_label("What is scheduled")).to_contain_text(f"{due:%-d %B %Y}")

    # A year on, the scheduler queues the mail and a worker sends it over SMTP.
    call_command("send_due_reminders", as_of=due.isoformat())
    run_worker()
    assert len(smtp_server.messages) == 1
    text = smtp_server.messages[0].get_body(("plain",)).get_content()
    link = re.search(r"http://\S+/reminders/unsubscribe/\S+/", text)[0]

    page.context.clear_cookies()  # opened from a mail program: no session
    page.goto(link)
    expect(page.get_by_role("heading", name="Stop retake reminders")).to_be_visible()
    page.get_by_role("button", name="Stop my reminders").click()
    expect(page.get_by_role("heading", name="You're unsubscribed", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Your retake reminder is stopped.")
    page.goto(link)  # the same link again changes nothing and says so
    expect(page.get_by_role("heading", name="You're unsubscribed", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Your retake reminder was already stopped.")

    log_in(page, live_server.url, "ada", password)
    page.goto(f"{live_server.url}/reminders/")
    expect(page.locator("main")).to_contain_text("Your reminder is stopped")
    call_command("send_due_reminders", as_of=date(2099, 1, 1).isoformat())
    run_worker()
    assert len(smtp_server.messages) == 1  # stopped: nothing more
