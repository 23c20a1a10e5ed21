from django.core.management.base import BaseCommand

from tracks.seeding import export_content


class Command(BaseCommand):
    help = "Write the current content back to the seed fixture files (natural keys, stable order)."

    def handle(self, *args, **options):
        for path, count in export_content():
            self.stdout.write(f"{path}: {count} rows")
        self.stdout.write(self.style.SUCCESS("Content exported."))
