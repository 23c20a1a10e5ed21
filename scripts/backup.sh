#!/usr/bin/env bash
# Back up the careerguide PostgreSQL database with pg_dump, in its custom format.
#
# Usage:
#   make backup
#   scripts/backup.sh
#   DATABASE_URL=postgres://user:secret@127.0.0.1:5432/careerguide scripts/backup.sh
#
# Reads DATABASE_URL (it must be a postgres:// or postgresql:// URL) and writes
# backups/careerguide-<UTC timestamp>.dump, e.g. backups/careerguide-20250101T120000Z.dump
# (BACKUP_DIR sets another folder; backups/ is git-ignored), then prints the dump's path on
# stdout. The dump holds members' personal data: it is created readable by its owner only.
# Restore it with scripts/restore.sh (make restore FILE=backups/careerguide-....dump).
#
# Needs pg_dump (Debian: apt-get install postgresql-client) at least as new as the server.
# The password is handed to pg_dump through PGPASSWORD, never on its command line.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
caller=$PWD
die() {
  echo "backup: $*" >&2
  exit 1
}

# DATABASE_URL -> PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE (and PGSSLMODE), for libpq.
pg_environment() {
  python3 - <<'PYTHON'
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
PYTHON
}

command -v python3 >/dev/null || die "python3 is needed to read DATABASE_URL."
environment=$(pg_environment) || die "nothing was backed up."
eval "$environment"
command -v pg_dump >/dev/null || die "pg_dump is not installed (apt-get install postgresql-client)."

cd "$root"
dir=${BACKUP_DIR:-backups}
umask 077
mkdir -p "$dir"
file="$dir/careerguide-$(date -u +%Y%m%dT%H%M%SZ).dump"
[[ -e $file ]] && die "$file already exists; try again in a second."

partial="$file.partial"
trap 'rm -f "$partial"' EXIT
echo "backup: dumping database $PGDATABASE on ${PGHOST:-the local socket} ..." >&2
pg_dump --format=custom --no-password --file="$partial" || die "pg_dump failed; nothing was written."
mv "$partial" "$file"
trap - EXIT

case $file in
  /*) echo "$file" ;;
  *) if [[ $caller -ef $root ]]; then echo "$file"; else echo "$root/$file"; fi ;;
esac
