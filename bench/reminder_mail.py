#!/usr/bin/env python3
"""Reminder mail for 10,000 due members, sent over real SMTP, and counted for doubles.

    .venv/bin/python bench/reminder_mail.py      # about 1-3 minutes on a 2-core machine

Only on 127.0.0.1, bounded, stops what it started:

1. Its own PostgreSQL database, new each run (careerguide_bench_reminders; made as bench/run.py
   makes its own), migrated; BENCH_REMINDERS members (10,000) with a verified address and a
   reminder due today.
2. An SMTP server in this process (aiosmtpd, a free port) that counts every message by recipient.
3. Two schedulers (`manage.py send_due_reminders`) started at the same moment, then two workers
   (`manage.py db_worker --batch`) at the same moment, each its own process, as on two machines.
4. The scheduler and a worker once more: nothing more may be sent.

Prints the mails the SMTP server received, the seconds each stage took, and the doubles found
(recipients who got more than one mail). Environment: BENCH_REMINDERS [10000],
BENCH_REMINDERS_DATABASE_URL [postgres://careerguide:careerguide@127.0.0.1:5432/
careerguide_bench_reminders].
"""

import os
import subprocess  # nosec B404 - runs our own manage.py
import sys
import time
from collections import Counter
from datetime import date
from email import message_from_bytes, policy
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))
from run import ensure_database  # noqa: E402  (bench/run.py: the bench's own database)
from smtp_sink import free_port  # noqa: E402

MEMBERS = int(os.environ.get("BENCH_REMINDERS", "10000"))
URL = os.environ.get(
    "BENCH_REMINDERS_DATABASE_URL",
    "postgres://careerguide:careerguide@127.0.0.1:5432/careerguide_bench_reminders",
)
AS_OF = date(2027, 11, 27)
TIMEOUT = 900


class CountingInbox:
    def __init__(self):
        self.recipients = Counter()
        self.with_unsubscribe = 0

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.recipients[message["To"]] += 1
        if message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click":
            self.with_unsubscribe += 1
        return "250 2.0.0 Accepted"


def manage(env, *args):
    return subprocess.Popen(  # nosec B603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )


def at_once(env, *commands):
    """Start each command as its own process at the same moment; wait for all of them."""
    started = time.perf_counter()
    processes = [manage(env, *command) for command in commands]
    outputs = [process.communicate(timeout=TIMEOUT)[0].strip() for process in processes]
    if any(process.returncode for process in processes):
        sys.exit(f"A command failed: {outputs}")
    return time.perf_counter() - started, outputs


def load_members(count):
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from reminders.models import Reminder

    User = get_user_model()
    no_password = make_password(None)  # members who log in some other way: none is needed here
    users = User.objects.bulk_create(
        User(username=f"due{n:05d}", email=f"due{n:05d}@example.com", password=no_password)
        for n in range(count)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    Reminder.objects.bulk_create(Reminder(member=user, months=12, due_on=AS_OF) for user in users)


def main():
    print(f"PostgreSQL {ensure_database(URL)}: a new database for the run")
    inbox = CountingInbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    env = {
        **os.environ,
        "DATABASE_URL": URL,
        "DJANGO_SETTINGS_MODULE": "careerguide.settings",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "0",
        "DJANGO_LOG_LEVEL": "ERROR",
    }
    os.environ.update(env)
    try:
        subprocess.run(  # nosec B603
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        import django

        django.setup()
        from django.db import connection

        from reminders.models import ReminderSend

        started = time.perf_counter()
        load_members(MEMBERS)
        print(
            f"{MEMBERS} members with a reminder due {AS_OF}: {time.perf_counter() - started:.1f} s"
        )
        connection.close()

        as_of = ["send_due_reminders", "--as-of", AS_OF.isoformat()]
        worker = ["db_worker", "--batch", "--no-reload", "--no-startup-delay", "-v", "0"]
        schedule_time, outputs = at_once(env, as_of, as_of)
        for output in outputs:
            print(f"  scheduler: {output}")
        send_time, _ = at_once(env, worker, worker)
        again_time, outputs = at_once(env, as_of)
        print(f"  scheduler again: {outputs[0]}")
        at_once(env, worker)

        sent = sum(inbox.recipients.values())
        doubles = sum(count - 1 for count in inbox.recipients.values() if count > 1)
        records = ReminderSend.objects.filter(state=ReminderSend.State.SENT).count()
        print()
        print(f"mails sent (received by the SMTP server): {sent}")
        print(f"distinct recipients: {len(inbox.recipients)} of {MEMBERS} due members")
        print(f"with List-Unsubscribe-Post one-click: {inbox.with_unsubscribe}")
        print(f"send records marked sent: {records}")
        print(f"two schedulers at once: {schedule_time:.1f} s")
        print(f"two workers at once, over SMTP: {send_time:.1f} s ({sent / send_time:.0f} mails/s)")
        print(f"scheduler run again: {again_time:.1f} s")
        print(f"doubles found: {doubles}")
        ok = sent == MEMBERS and doubles == 0 and records == MEMBERS
        sys.exit(0 if ok else 1)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
