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

command -v python3 >/dev/null || die "python3 is needed to read DATABASE_URL."
environment=$(python3 "$root/scripts/pg_environment.py") || die "nothing was backed up."
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
