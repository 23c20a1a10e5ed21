"""A PDF in Chromium: the result's link opens a page that says it is being made, and the same
page offers it, without a reload, once the task worker has made it."""

from audit_helpers import audit_until
from browser_helpers import log_in
from playwright.sync_api import Page, expect
from task_helpers import DATABASE_TASKS, run_worker

from audits.steps import LAST_STEP


def test_the_pdf_is_offered_on_its_page_as_soon_as_the_worker_made_it(
    page: Page, live_server, db, password, django_user_model, settings
):
    settings.TASKS = DATABASE_TASKS
    ada = django_user_model.objects.create_user("ada", "ada@example.com", password)
    audit = audit_until(ada, LAST_STEP)

    log_in(page, live_server.url, "ada", password)
    page.goto(f"{live_server.url}/audits/{audit.id}/result/")
    page.get_by_role("link", name="Download as PDF").click()
    expect(page.get_by_role("heading", name="Your PDF", level=1)).to_be_visible()
    expect(page.locator("#pdf-status")).to_contain_text("Your PDF is being made")

    run_worker()
    download = page.get_by_role("link", name="Download the PDF")
    expect(download).to_be_visible(timeout=5000)  # htmx asks every 2 s
    with page.expect_download() as downloading:
        download.click()
    assert downloading.value.suggested_filename.endswith(".pdf")
