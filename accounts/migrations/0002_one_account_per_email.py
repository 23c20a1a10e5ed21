"""One account per email address: existing duplicates (compared case-insensitively) resolved.

The oldest account keeps the address as its primary one. Each younger account keeps its
username, password and audits, loses the address as its main one (it stays on the account,
unverified, so its owner can prove it is theirs), and is told at its next log-in. Every member
with an address gets allauth's EmailAddress row, unverified: nobody has confirmed one yet."""

from collections import defaultdict

from django.conf import settings
from django.db import migrations

NOTICE = (
    "Your account shared the address {email} with an older account, and each address now "
    "belongs to one account. The older account keeps it; here it is no longer your main "
    "address and is marked unverified. Log in with your username, and add an address of your "
    "own on the Email page (or verify this one if it is yours). Your audits are all here."
)


def resolve_duplicate_emails(apps, schema_editor):
    app_label, model_name = settings.AUTH_USER_MODEL.split(".")
    User = apps.get_model(app_label, model_name)
    EmailAddress = apps.get_model("account", "EmailAddress")
    LoginNotice = apps.get_model("accounts", "LoginNotice")

    members_by_address = defaultdict(list)
    for member in User.objects.exclude(email="").order_by("date_joined", "pk"):
        members_by_address[member.email.strip().lower()].append(member)

    for address, (oldest, *younger) in members_by_address.items():
        if oldest.email != address:
            oldest.email = address
            oldest.save(update_fields=["email"])
        if not EmailAddress.objects.filter(user=oldest, email__iexact=address).exists():
            has_primary = EmailAddress.objects.filter(user=oldest, primary=True).exists()
            EmailAddress.objects.create(
                user=oldest, email=address, primary=not has_primary, verified=False
            )
        for member in younger:
            member.email = ""
            member.save(update_fields=["email"])
            EmailAddress.objects.filter(user=member, email__iexact=address).delete()
            EmailAddress.objects.create(user=member, email=address, primary=False, verified=False)
            LoginNotice.objects.create(member=member, text=NOTICE.format(email=address))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("account", "0009_emailaddress_unique_primary_email"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(resolve_duplicate_emails, migrations.RunPython.noop)]
