"""The sessions members logged in with, as audits.MemberSession recorded them, carried over to
allauth's UserSession before that table goes (audits 0007), so deleting an account still ends
the sessions that began before the move."""

from django.db import migrations


def carry_sessions_over(apps, schema_editor):
    MemberSession = apps.get_model("audits", "MemberSession")
    UserSession = apps.get_model("usersessions", "UserSession")
    known = set(UserSession.objects.values_list("session_key", flat=True))
    UserSession.objects.bulk_create(
        UserSession(
            user_id=session.member_id,
            session_key=session.session_key,
            created_at=session.created_at,
            last_seen_at=session.created_at,
            ip="0.0.0.0",  # not recorded then  # noqa: S104
            user_agent="",
        )
        for session in MemberSession.objects.all()
        if session.session_key not in known
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_one_account_per_email"),
        ("audits", "0007_visitor_audits"),
        ("usersessions", "0001_initial"),
    ]
    run_before = [("audits", "0009_delete_membersession")]

    operations = [migrations.RunPython(carry_sessions_over, migrations.RunPython.noop)]
