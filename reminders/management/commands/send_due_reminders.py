"""Queue the reminder mails that are due (for cron or a systemd timer; safe to run often)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from reminders import schedule, services


def iso_date(value):
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--as-of takes a date as YYYY-MM-DD, not {value!r}.") from error


class Command(BaseCommand):
    help = (
        "Queue one mail per member whose retake reminder is due, retries whose wait is over, "
        "and sends whose worker died. A worker (manage.py db_worker) sends them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of",
            type=iso_date,
            default=None,
            help="Act as on this day (YYYY-MM-DD), e.g. to catch up after an outage. "
            "Default: today.",
        )

    def handle(self, *args, as_of=None, **options):
        if isinstance(as_of, str):  # call_command(..., as_of="2027-11-27")
            as_of = iso_date(as_of)
        as_of = as_of or services.today()
        counts = schedule.send_due_reminders(as_of)
        self.stdout.write(
            f"Reminders due by {as_of:%Y-%m-%d}: {counts['new']} queued, "
            f"{counts['retries']} retries queued, {counts['requeued']} queued again "
            "after a worker stopped."
        )
