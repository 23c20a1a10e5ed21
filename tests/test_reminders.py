"""Retake reminders: opting in, due dates, the scheduler (once, whatever happens), the mail,
unsubscribing with one click, and real SMTP."""

import re
import threading
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from allauth.account.models import EmailAddress
from audit_helpers import audit_until
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from task_helpers import DATABASE_TASKS, queued_tasks, run_worker

from audits.steps import LAST_STEP
from reminders import schedule, services
from reminders.models import Reminder, ReminderSend

SEND_TASK = "reminders.tasks.send_reminder"


def verify(user):
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


@pytest.fixture
def ada(member):
    return verify(member)


def due_reminder(user, due_on=date(2027, 11, 27), months=12):
    return Reminder.objects.create(member=user, months=months, due_on=due_on)


def scheduler(as_of="2027-11-27"):
    call_command("send_due_reminders", as_of=as_of, stdout=open("/dev/null", "w"))  # noqa: SIM115


def unsubscribe_path(message):
    body = message.body if hasattr(message, "body") else message.get_body(("plain",)).get_content()
    url = re.search(r"https?://\S+/reminders/unsubscribe/\S+/", body)[0]
    return urlsplit(url).path


# Due dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        (date(2028, 2, 29), 12, date(2029, 2, 28)),  # a leap day, a year on: the 28th
        (date(2028, 2, 29), 48, date(2032, 2, 29)),  # four years on: a leap day again
        (date(2028, 2, 29), 6, date(2028, 8, 29)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # the end of a leap February
        (date(2026, 8, 31), 6, date(2027, 2, 28)),  # the end of a common February
        (date(2027, 7, 31), 6, date(2028, 1, 31)),  # across the year
        (date(2027, 11, 27), 12, date(2028, 11, 27)),
    ],
)
def test_months_are_added_with_the_end_of_the_month_kept(start, months, due):
    assert services.add_months(start, months) == due


@pytest.mark.parametrize(
    ("time_zone", "moment", "due"),
    [
        # 23:30 UTC on a leap day: still the 29th in UTC …
        ("UTC", datetime(2028, 2, 29, 23, 30, tzinfo=UTC), date(2029, 2, 28)),
        # … already 1 March in Auckland (UTC+13) …
        ("Pacific/Auckland", datetime(2028, 2, 29, 23, 30, tzinfo=UTC), date(2029, 3, 1)),
        # … and 1 March 05:00 UTC is still the leap day in Los Angeles (UTC−8).
        ("America/Los_Angeles", datetime(2028, 3, 1, 5, 0, tzinfo=UTC), date(2029, 2, 28)),
    ],
)
def test_opting_in_counts_from_the_sites_calendar_day(ada, settings, time_zone, moment, due):
    settings.TIME_ZONE = time_zone
    with time_machine.travel(moment, tick=False):
        reminder = services.opt_in(ada, 12)
    assert reminder.due_on == due


def test_a_sent_yearly_reminder_comes_back_on_the_same_day_next_year(ada):
    due_reminder(ada, due_on=date(2028, 2, 29))
    scheduler("2028-02-29")
    assert len(mail.outbox) == 1
    reminder = Reminder.objects.get()
    assert reminder.due_on == date(2029, 2, 28)


# Opting in, changing, stopping -----------------------------------------------------------------


def test_a_member_opts_in_from_a_result_and_sees_it_in_the_account(client, ada, db):
    audit = audit_until(ada, LAST_STEP)
    client.force_login(ada)
    result_url = reverse("audits:result", args=[audit.id])
    page = client.get(result_url).content.decode()
    assert "Retake it as you grow" in page and "Remind me" in page
    assert not Reminder.objects.exists()  # off by default

    with time_machine.travel(datetime(2026, 11, 27, 12, tzinfo=UTC), tick=False):
        response = client.post(
            reverse("reminders:settings"), {"months": "12", "next": result_url}, follow=True
        )
    assert response.redirect_chain[-1][0] == result_url
    page = response.content.decode()
    assert "we will remind you on 27 November 2027 at ada@example.com" in page
    assert "We will remind you to retake the audit on <strong>27 November 2027</strong>" in page

    account = client.get(reverse("account")).content.decode()
    assert "27 November 2027, then every 12 months" in account
    settings_page = client.get(reverse("reminders:settings")).content.decode()
    assert "27 November 2027" in settings_page and "Stop my reminder" in settings_page


def test_a_member_changes_to_six_months_and_then_stops(client, ada):
    client.force_login(ada)
    with time_machine.travel(datetime(2026, 11, 27, 12, tzinfo=UTC), tick=False):
        client.post(reverse("reminders:settings"), {"months": "12"})
        client.post(reverse("reminders:settings"), {"months": "6"})
    assert Reminder.objects.get().due_on == date(2027, 5, 27)
    response = client.post(reverse("reminders:settings"), {"action": "stop"}, follow=True)
    assert "Your retake reminder is stopped" in response.content.decode()
    assert "Your reminder is <strong>stopped</strong>" in response.content.decode()
    assert Reminder.objects.get().state == Reminder.State.STOPPED
    assert "off · " in client.get(reverse("account")).content.decode()


def test_a_member_without_a_verified_address_is_told_to_verify_it_first(member_client, member):
    page = member_client.get(reverse("reminders:settings")).content.decode()
    assert "Verify your email address first" in page
    response = member_client.post(reverse("reminders:settings"), {"months": "12"})
    assert response.status_code == 400
    assert "Verify your email address first" in response.content.decode()
    assert not Reminder.objects.exists()


def test_months_other_than_6_or_12_are_refused_on_the_form(client, ada):
    client.force_login(ada)
    response = client.post(reverse("reminders:settings"), {"months": "1"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Reminder.objects.exists()


def test_the_reminder_page_needs_a_log_in(client):
    response = client.get(reverse("reminders:settings"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# The scheduler and the mail ---------------------------------------------------------------------


def test_a_due_reminder_sends_one_mail_with_both_parts_and_unsubscribe_headers(ada, db):
    audit = audit_until(ada, LAST_STEP)
    due_reminder(ada)
    scheduler()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.com"]
    assert message.subject == "careerguide: time to retake your curiosity audit"
    finished = f"{audit.finished_at:%-d %B %Y}"
    assert f"Your last audit, on {finished}, recommended: {audit.top_tracks}" in message.body
    assert "http://127.0.0.1:8000/audits/new/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert audit.top_tracks in html and 'href="http://127.0.0.1:8000/audits/new/"' in html
    unsubscribe = f"http://127.0.0.1:8000{unsubscribe_path(message)}"
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in html


def test_the_reminder_counts_the_log_entries_since_the_last_audit(ada, db):
    from logbook.models import Entry

    Entry.objects.create(member=ada, kind="reading", title="Before the audit")
    audit_until(ada, LAST_STEP)
    Entry.objects.bulk_create(Entry(member=ada, kind="talk", title=f"Talk {i}") for i in range(3))
    due_reminder(ada)
    scheduler()
    message = mail.outbox[0]
    assert "Your curiosity log has 3 entries since your last audit" in message.body
    assert "http://127.0.0.1:8000/log/" in message.body
    html, _ = message.alternatives[0]
    assert "<strong>3 entries</strong>" in html and 'href="http://127.0.0.1:8000/log/"' in html


def test_running_the_scheduler_twice_sends_each_reminder_once(ada, other_member):
    due_reminder(ada)
    due_reminder(verify(other_member), due_on=date(2027, 11, 1))
    scheduler()
    scheduler()
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.com", "grace@example.com"]
    assert ReminderSend.objects.filter(state=ReminderSend.State.SENT).count() == 2


def test_nothing_is_sent_before_the_due_day_or_when_stopped_or_unverified(ada, make_member):
    due_reminder(ada, due_on=date(2027, 11, 28))  # tomorrow
    stopped = due_reminder(verify(make_member("stopped")))
    services.stop(stopped)
    due_reminder(make_member("unverified"))
    scheduler()
    assert mail.outbox == []
    assert not ReminderSend.objects.exists()


def test_an_unverified_member_gets_the_reminder_once_verified(member):
    due_reminder(member)
    scheduler()
    assert mail.outbox == []
    verify(member)
    scheduler()
    assert len(mail.outbox) == 1


def test_as_of_must_be_a_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_due_reminders", "--as-of", "next tuesday")


def test_the_command_says_what_it_queued(ada, capsys):
    due_reminder(ada)
    call_command("send_due_reminders", "--as-of", "2027-11-27")
    assert "Reminders due by 2027-11-27: 1 queued" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_a_crash_between_queueing_and_sending_loses_nothing_and_doubles_nothing(
    make_member, settings, monkeypatch
):
    settings.TASKS = DATABASE_TASKS
    members = [verify(make_member(name)) for name in ("ada", "grace", "alan")]
    for user in members:
        due_reminder(user)

    # The scheduler dies after queueing two of three: its batch is rolled back whole.
    from django_tasks_db import DatabaseBackend

    real_enqueue, calls = DatabaseBackend.enqueue, []

    def dying_enqueue(backend, task, args, kwargs):
        calls.append(args)
        if len(calls) == 3:
            raise SystemExit("killed")
        return real_enqueue(backend, task, args, kwargs)

    monkeypatch.setattr(DatabaseBackend, "enqueue", dying_enqueue)
    with pytest.raises(SystemExit):
        scheduler()
    assert not ReminderSend.objects.exists() and not queued_tasks().exists()
    monkeypatch.setattr(DatabaseBackend, "enqueue", real_enqueue)

    scheduler()
    assert queued_tasks(SEND_TASK).count() == 3

    # The worker dies while talking to the mail server for the first mail.
    class DyingBackend:
        def __init__(self, *args, **kwargs):
            pass

        def send_messages(self, messages):
            raise SystemExit("worker killed")

    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.DyingBackend"}}
    globals()["DyingBackend"] = DyingBackend
    call_command(
        "db_worker", batch=True, reload=False, startup_delay=False, max_tasks=1, verbosity=0
    )
    assert ReminderSend.objects.filter(state=ReminderSend.State.SENDING).count() == 1
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

    run_worker()
    assert len(mail.outbox) == 2  # the other two
    scheduler()  # within the lease: the stuck one may still be on its way
    run_worker()
    assert len(mail.outbox) == 2
    with time_machine.travel(timedelta(hours=2)):
        scheduler()  # its worker is gone: queued again
        run_worker()
        scheduler()
        run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in members)
    assert ReminderSend.objects.filter(state=ReminderSend.State.SENT).count() == 3


@pytest.mark.django_db(transaction=True)
def test_deleting_the_account_cancels_what_is_pending(ada, settings):
    settings.TASKS = DATABASE_TASKS
    due_reminder(ada)
    scheduler()
    assert queued_tasks(SEND_TASK).count() == 1
    ada.delete()
    run_worker()
    assert mail.outbox == []
    assert not Reminder.objects.exists() and not ReminderSend.objects.exists()


# Unsubscribing ---------------------------------------------------------------------------------


@pytest.fixture
def running(ada):
    return due_reminder(ada)


def test_the_unsubscribe_link_shows_a_button_and_stops_once(client, running):
    url = reverse("reminders:unsubscribe", args=[services.unsubscribe_token(running)])
    page = client.get(url)
    assert page.status_code == 200 and "Stop my reminders" in page.content.decode()
    assert Reminder.objects.get().is_active  # a link scanner's GET stops nothing

    first = client.post(url)
    assert first.status_code == 200
    assert "Your retake reminder is stopped" in first.content.decode()
    again = client.post(url)
    assert again.status_code == 200
    assert "already stopped" in again.content.decode()
    assert Reminder.objects.get().state == Reminder.State.STOPPED


def test_a_mail_clients_one_click_post_stops_it_without_a_session_or_csrf(running):
    client = Client(enforce_csrf_checks=True)
    url = reverse("reminders:unsubscribe", args=[services.unsubscribe_token(running)])
    response = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not Reminder.objects.get().is_active


def test_a_tampered_unsubscribe_link_is_a_clear_400_and_changes_nothing(
    client, running, other_member
):
    token = services.unsubscribe_token(running)
    other = due_reminder(verify(other_member))
    # Another member's reminder id under this link's signature, and a changed signature.
    forged = services.unsubscribe_token(other).split(":", 1)[0] + ":" + token.split(":", 1)[1]
    for bad in [token[:-2] + ("aa" if not token.endswith("aa") else "bb"), forged, "nonsense"]:
        url = reverse("reminders:unsubscribe", args=[bad])
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 400
            assert "This unsubscribe link is not valid" in response.content.decode()
    assert all(r.is_active for r in Reminder.objects.all())


def test_an_expired_unsubscribe_link_is_a_clear_400_and_changes_nothing(client, running):
    with time_machine.travel(datetime(2026, 11, 27, tzinfo=UTC), tick=False):
        token = services.unsubscribe_token(running)
    url = reverse("reminders:unsubscribe", args=[token])
    with time_machine.travel(datetime(2027, 2, 20, tzinfo=UTC), tick=False):  # 85 days
        assert client.get(url).status_code == 200
    with time_machine.travel(datetime(2027, 3, 1, tzinfo=UTC), tick=False):  # 94 days
        response = client.post(url)
    assert response.status_code == 400
    assert "This unsubscribe link has expired" in response.content.decode()
    assert Reminder.objects.get().is_active


# Real SMTP -------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_mail_arrives_over_smtp_and_its_unsubscribe_link_works(
    smtp_server, settings, make_member, db, client
):
    settings.TASKS = DATABASE_TASKS
    ada = verify(make_member("ada"))
    audit = audit_until(ada, LAST_STEP)
    due_reminder(ada)

    scheduler()
    assert smtp_server.messages == []  # queued: the worker sends
    run_worker()
    scheduler()
    run_worker()

    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "ada@example.com"
    assert message["Subject"] == "careerguide: time to retake your curiosity audit"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert audit.top_tracks in text and audit.top_tracks in html
    path = unsubscribe_path(message)
    assert message["List-Unsubscribe"] == f"<http://127.0.0.1:8000{path}>"
    # As written on the wire: a plain URL, never an RFC 2047 encoded word.
    assert f"List-Unsubscribe: <http://127.0.0.1:8000{path}>".encode() in smtp_server.inbox.raw[0]
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert "Your retake reminder is stopped" in response.content.decode()
    assert not Reminder.objects.get().is_active


@pytest.mark.django_db(transaction=True)
def test_a_refusing_or_stopped_smtp_server_leaves_the_reminder_due_never_lost_never_doubled(
    smtp_server, settings, ada, superuser
):
    settings.TASKS = DATABASE_TASKS
    due_reminder(ada)
    smtp_server.inbox.refuse = True
    scheduler()
    run_worker()
    send = ReminderSend.objects.get()
    assert (send.state, send.attempts) == (ReminderSend.State.RETRY, 1)
    assert "550" in send.last_error
    assert Reminder.objects.get().due_on == date(2027, 11, 27)  # still due

    scheduler()  # before the backoff is over: nothing is tried
    run_worker()
    assert ReminderSend.objects.get().attempts == 1

    # The server goes away altogether: four more tries, each after a longer wait.
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    waited = timedelta(0)
    for attempt in range(2, services.MAX_ATTEMPTS + 1):
        waited += services.retry_delay(attempt - 1)
        with time_machine.travel(waited + timedelta(seconds=1)):
            scheduler()
            run_worker()
        assert ReminderSend.objects.get().attempts == attempt
    send = ReminderSend.objects.get()
    assert send.state == ReminderSend.State.FAILED
    assert Reminder.objects.get().due_on == date(2027, 11, 27)  # due, and visible to staff

    staff = Client()
    staff.force_login(superuser)
    changelist = reverse("admin:reminders_remindersend_changelist")
    with time_machine.travel(waited + timedelta(hours=1)):
        page = staff.get(f"{changelist}?state__exact=failed", follow=True).content.decode()
    assert "ada" in page and "Failed, no retries left" in page

    # Staff try it again once the server is back: one mail, and only one.
    settings.MAILERS = smtp_server.mailers()
    smtp_server.inbox.refuse = False
    response = staff.post(changelist, {"action": "try_again", "_selected_action": [send.pk]})
    assert response.status_code == 302
    assert ReminderSend.objects.get().state == ReminderSend.State.RETRY
    scheduler()
    run_worker()
    scheduler()
    run_worker()
    assert len(smtp_server.messages) == 1
    assert ReminderSend.objects.get().state == ReminderSend.State.SENT


# PostgreSQL: two schedulers at the same moment ----------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrency")
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_queue_each_reminder_once(make_member, settings):
    settings.TASKS = DATABASE_TASKS
    for n in range(200):
        due_reminder(verify(make_member(f"member{n}")))
    barrier, errors = threading.Barrier(2), []

    def run():
        try:
            barrier.wait(timeout=10)
            schedule.send_due_reminders(date(2027, 11, 27))
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    assert ReminderSend.objects.count() == 200
    assert queued_tasks(SEND_TASK).count() == 200
    run_worker()
    assert len(mail.outbox) == 200
    assert len({m.to[0] for m in mail.outbox}) == 200


# The development console: mail as printed, worker lines once


def test_console_mail_prints_a_long_link_whole_on_one_line(settings, ada):
    import io

    from careerguide.mail import ConsoleEmailBackend

    stream = io.StringIO()
    reminder = services.opt_in(ada, 6)
    # The unsubscribe link is signed with the time: the mail and the expected link in one second.
    with time_machine.travel(datetime(2026, 12, 7, 12, tzinfo=UTC), tick=False):
        message = services.reminder_message(reminder, "ada@example.com")
        unsubscribe = services.unsubscribe_url(reminder)
    message.body += "\nhttp://127.0.0.1:8000/accounts/confirm-email/" + "NRQNkq" * 20 + "/ — ok\n"
    connection = ConsoleEmailBackend(stream=stream)

    connection.send_messages([message])

    printed = stream.getvalue()
    assert "quoted-printable" not in printed and "base64" not in printed
    assert f"http://127.0.0.1:8000/accounts/confirm-email/{'NRQNkq' * 20}/ — ok\n" in printed
    assert unsubscribe in printed


@pytest.mark.django_db(transaction=True)
def test_the_worker_logs_each_task_state_once(settings, ada):
    import io
    import logging

    settings.TASKS = DATABASE_TASKS
    settings.DEBUG = True  # as under `make run`: Django's own console handler is on too
    services.opt_in(ada, 6, on=date(2020, 1, 1))
    schedule.send_due_reminders(services.today())
    # Every handler a line of the worker can reach, writing to one stream here.
    printed, handlers, logger = io.StringIO(), set(), logging.getLogger("django.tasks")
    while logger:
        handlers.update(h for h in logger.handlers if type(h) is logging.StreamHandler)
        logger = logger.parent if logger.propagate else None
    streams = {handler: handler.setStream(printed) for handler in handlers}
    try:
        call_command(
            "db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=1
        )
    finally:
        for handler, stream in streams.items():
            handler.setStream(stream)

    lines = printed.getvalue().splitlines()
    assert sum("state=RUNNING" in line for line in lines) == 1, lines
    assert sum("state=SUCCESSFUL" in line for line in lines) == 1, lines
