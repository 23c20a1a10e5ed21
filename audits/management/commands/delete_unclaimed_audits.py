"""Delete visitors' audits that nobody claimed by signing up or logging in (cron-safe)."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from audits.flows import delete_unclaimed_audits


class Command(BaseCommand):
    help = "Delete visitors' audits left unclaimed and untouched for --days days (default 30)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args, days, **options):
        deleted = delete_unclaimed_audits(timedelta(days=days))
        self.stdout.write(f"Deleted {deleted} unclaimed visitor audit(s) older than {days} days.")
