"""Print DATABASE_URL as libpq environment exports (PGHOST, PGPORT, PGUSER, PGPASSWORD, …).

Used by backup.sh and restore.sh: eval "$(python3 scripts/pg_environment.py)".
"""

import os
import shlex
import sys
from urllib.parse import parse_qs, unquote, urlsplit

url = os.environ.get("DATABASE_URL", "").strip()
if not url:
    sys.exit(
        "DATABASE_URL is not set, so careerguide uses its SQLite file (db.sqlite3); backups and "
        "restores work with PostgreSQL only (for SQLite, copy the file while the app is stopped)."
    )
parts = urlsplit(url)
if parts.scheme not in {"postgres", "postgresql", "pgsql", "postgis"}:
    sys.exit(
        f"DATABASE_URL is a {parts.scheme or 'schemeless'} URL, not PostgreSQL "
        "(postgres://user:password@host:5432/name): backups and restores need PostgreSQL."
    )
try:
    port = parts.port
except ValueError:
    sys.exit("DATABASE_URL has an invalid port.")
values = {
    "PGHOST": unquote(parts.hostname or ""),
    "PGPORT": str(port or ""),
    "PGUSER": unquote(parts.username or ""),
    "PGPASSWORD": unquote(parts.password or ""),
    "PGDATABASE": unquote(parts.path.lstrip("/")),
    "PGSSLMODE": (parse_qs(parts.query).get("sslmode") or [""])[-1],
}
if not values["PGDATABASE"]:
    sys.exit("DATABASE_URL names no database (postgres://user:password@host:5432/name).")
for name, value in values.items():
    if value:
        print(f"export {name}={shlex.quote(value)}")
