import django.db.models.deletion
from django.db import migrations, models

# Django's own AlterField would drop and re-add the foreign key, checking every answer again under
# a lock; only the index has to go.
INDEX = "audits_auditanswer_audit_id_e7e726ad"


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0004_drop_redundant_member_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditanswer",
                    name="audit",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answers",
                        to="audits.audit",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {INDEX}",
                    reverse_sql=f"CREATE INDEX {INDEX} ON audits_auditanswer (audit_id)",
                ),
            ],
        ),
    ]
