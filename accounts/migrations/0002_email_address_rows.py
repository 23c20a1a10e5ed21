"""Users made before their address got an allauth row (createsuperuser, admin) get one, so they
log in by any spelling of it (a staff member's counts as verified, as accounts.services says)."""

from django.conf import settings
from django.db import migrations


def add_rows(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    EmailAddress = apps.get_model("account", "EmailAddress")
    taken = {email.lower() for email in EmailAddress.objects.values_list("email", flat=True)}
    with_rows = set(EmailAddress.objects.values_list("user_id", flat=True))
    for user in User.objects.exclude(email="").exclude(pk__in=with_rows).order_by("pk"):
        email = user.email.strip().lower()
        if email and email not in taken:
            # As accounts.services.keep_email_address: staff addresses count as verified.
            EmailAddress.objects.create(
                user=user, email=email, primary=True, verified=user.is_staff
            )
            taken.add(email)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_cache_table"),
        ("account", "0009_emailaddress_unique_primary_email"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(add_rows, migrations.RunPython.noop)]
