"""`make backup` / `make restore`: scripts/backup.sh and scripts/restore.sh.

On PostgreSQL: audits are committed, backup.sh dumps the test database, restore.sh loads the dump
into a fresh scratch database, and every audit is found there. Everywhere: both scripts refuse
clearly when DATABASE_URL is not PostgreSQL or the file is missing, and the Makefile runs them.
"""

import os
import re
import subprocess
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from audit_helpers import audit_until
from django.conf import settings
from django.db import connection

from audits.models import Audit, AuditAnswer
from tracks.models import Track

ROOT = Path(settings.BASE_DIR)
BACKUP = ROOT / "scripts" / "backup.sh"
RESTORE = ROOT / "scripts" / "restore.sh"


def run(command, env=None, **kwargs):
    base = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    base.pop("DATABASE_URL", None)
    base.pop("RESTORE_YES", None)
    return subprocess.run(
        [str(part) for part in command],
        cwd=ROOT,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        **kwargs,
    )


# Refusals: no database needed -------------------------------------------------------------------


@pytest.mark.parametrize("script", [BACKUP, RESTORE])
@pytest.mark.parametrize(
    ("database_url", "says"),
    [
        (None, "DATABASE_URL is not set"),
        ("sqlite:///db.sqlite3", "not PostgreSQL"),
        ("mysql://u:p@localhost/careerguide", "not PostgreSQL"),
        ("postgres://u:p@localhost:5432/", "names no database"),
    ],
)
def test_scripts_refuse_a_database_that_is_not_postgresql(script, database_url, says, tmp_path):
    dump = tmp_path / "careerguide.dump"
    dump.write_bytes(b"PGDMP")
    env = {"BACKUP_DIR": str(tmp_path / "out")}
    if database_url:
        env["DATABASE_URL"] = database_url
    result = run([script, dump] if script == RESTORE else [script], env=env)

    assert result.returncode != 0
    assert says in result.stderr
    assert "p@" not in result.stderr  # never echo the password back
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_restore_refuses_a_missing_or_absent_file(tmp_path):
    env = {"DATABASE_URL": "postgres://u:p@127.0.0.1:5432/careerguide"}

    result = run([RESTORE], env=env)
    assert result.returncode == 2
    assert "usage: scripts/restore.sh FILE" in result.stderr

    result = run([RESTORE, tmp_path / "nope.dump"], env=env)
    assert result.returncode == 1
    assert "nope.dump does not exist" in result.stderr


def test_restore_refuses_a_file_that_is_not_a_dump(tmp_path):
    not_a_dump = tmp_path / "notes.txt"
    not_a_dump.write_text("hello")
    result = run([RESTORE, not_a_dump], env={"DATABASE_URL": "postgres://u:p@127.0.0.1/x"})

    assert result.returncode == 1
    assert "not a pg_dump custom-format backup" in result.stderr


def test_make_targets_run_the_scripts():
    assert (
        run(["make", "--no-print-directory", "-n", "backup"]).stdout.strip() == "scripts/backup.sh"
    )
    restore = run(
        ["make", "--no-print-directory", "-n", "restore", "FILE=backups/careerguide-x.dump"]
    )
    assert restore.stdout.strip() == "scripts/restore.sh backups/careerguide-x.dump"
    result = run(["make", "--no-print-directory", "restore"])
    assert result.returncode != 0
    assert "usage: scripts/restore.sh FILE" in result.stderr


def test_scripts_are_executable_and_document_their_usage():
    for script in (BACKUP, RESTORE):
        assert os.access(script, os.X_OK), script
        head = script.read_text().split("set -euo pipefail")[0]
        assert "Usage:" in head and "make " in head, script


# The round trip, on PostgreSQL --------------------------------------------------------------------


def database_url(name):
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = quote(db["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}{host}{port}/{quote(name, safe='')}"


def admin_connection():
    import psycopg

    db = connection.settings_dict
    return psycopg.connect(
        dbname=db["NAME"],
        user=db["USER"],
        password=db["PASSWORD"],
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        autocommit=True,
    )


@pytest.fixture
def scratch_database():
    """A fresh, empty database, dropped afterwards whatever happens."""
    from psycopg import sql

    name = f"careerguide_restore_{uuid.uuid4().hex[:12]}"
    with admin_connection() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        with admin_connection() as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump needs PostgreSQL")
@pytest.mark.django_db(transaction=True)  # committed, so pg_dump (another session) sees it
def test_backup_then_restore_into_a_fresh_database_keeps_every_audit(
    db, make_member, scratch_database, tmp_path
):
    import psycopg

    members = [make_member("ada"), make_member("grace")]
    audits = [audit_until(member, until) for member in members for until in (5, 5, 2)]
    ids = {str(audit.id) for audit in audits}
    answers = AuditAnswer.objects.count()
    results = {str(a.id): a.result for a in Audit.objects.filter(status="finished")}

    backup = run(
        [BACKUP],
        env={
            "DATABASE_URL": database_url(connection.settings_dict["NAME"]),
            "BACKUP_DIR": str(tmp_path),
        },
    )
    assert backup.returncode == 0, backup.stderr
    dump = Path(backup.stdout.strip())
    assert dump.parent == tmp_path
    assert re.fullmatch(r"careerguide-\d{8}T\d{6}Z\.dump", dump.name), dump.name
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert oct(dump.stat().st_mode & 0o777) == "0o600"  # personal data: the owner's only
    assert not list(tmp_path.glob("*.partial"))
    assert f":{connection.settings_dict['PASSWORD']}@" not in backup.stderr + backup.stdout

    restore = run([RESTORE, dump], env={"DATABASE_URL": database_url(scratch_database)})
    assert restore.returncode == 0, restore.stderr

    db = connection.settings_dict
    with psycopg.connect(
        dbname=scratch_database,
        user=db["USER"],
        password=db["PASSWORD"],
        host=db["HOST"] or None,
        port=db["PORT"] or None,
    ) as restored:
        found = {str(row[0]) for row in restored.execute("SELECT id FROM audits_audit")}
        assert found == ids
        (count,) = restored.execute("SELECT count(*) FROM audits_auditanswer").fetchone()
        assert count == answers
        (tracks,) = restored.execute("SELECT count(*) FROM tracks_track").fetchone()
        assert tracks == Track.objects.count() == 9
        restored_results = dict(
            restored.execute("SELECT id::text, result FROM audits_audit WHERE status = 'finished'")
        )
        assert restored_results == results

    # Restoring again over the restored copy (--clean --if-exists) works too.
    again = run([RESTORE, dump], env={"DATABASE_URL": database_url(scratch_database)})
    assert again.returncode == 0, again.stderr
