from django.core.management import call_command
from django.core.management.base import BaseCommand

from tracks.seeding import seed_content


class Command(BaseCommand):
    help = "Load the seed content. Idempotent; keeps curators' edits unless --force is given."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Overwrite rows that curators have edited."
        )

    def handle(self, *args, force=False, **options):
        report = seed_content(force=force)
        self.stdout.write(self.style.SUCCESS(f"Seed content: {report}."))
        for kept in report.kept:
            self.stdout.write(f"  kept curator edit: {kept}")
        # The content checks of every app (the audit's: each track stays reachable).
        call_command(
            "check",
            tags=["content"],
            databases=["default"],
            fail_level="WARNING",
            stdout=self.stdout,
        )
