#!/usr/bin/env bash
# Restore a careerguide backup (made by scripts/backup.sh) into the PostgreSQL database.
#
# Usage:
#   make restore FILE=backups/careerguide-20250101T120000Z.dump
#   scripts/restore.sh backups/careerguide-20250101T120000Z.dump
#   DATABASE_URL=postgres://user:secret@127.0.0.1:5432/careerguide scripts/restore.sh FILE
#
# Restores FILE into the database DATABASE_URL names (a postgres:// or postgresql:// URL) with
# pg_restore --clean --if-exists --no-owner: the tables in the dump are dropped and recreated
# with its rows, owned by the user in DATABASE_URL, in one transaction (all or nothing). Grants
# are left out too (--no-acl), as the roles they name may not exist on this server. Run
# `manage.py migrate` afterwards if the code is newer than the dump. Then it empties the site's
# cache (Redis with REDIS_URL, else the database cache), so that a running site serves nothing
# cached from before the restore: run it with the environment the site runs with.
#
# Asks for confirmation when run in a terminal; RESTORE_YES=1 skips the question. Refuses when
# DATABASE_URL is not PostgreSQL or FILE is missing or is not a pg_dump custom-format file.
# Needs pg_restore (Debian: apt-get install postgresql-client). The password is handed to
# pg_restore through PGPASSWORD, never on its command line.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

die() {
  echo "restore: $*" >&2
  exit 1
}

usage="usage: scripts/restore.sh FILE   (or: make restore FILE=backups/careerguide-....dump)"
[[ $# -eq 1 && -n $1 ]] || {
  echo "restore: which backup? $usage" >&2
  exit 2
}
file=$1
[[ -e $file ]] || die "$file does not exist. $usage"
[[ -f $file && -r $file ]] || die "$file is not a readable file."

command -v python3 >/dev/null || die "python3 is needed to read DATABASE_URL."
environment=$(python3 "$root/scripts/pg_environment.py") || die "nothing was restored."
eval "$environment"
command -v pg_restore >/dev/null || die "pg_restore is not installed (apt-get install postgresql-client)."
pg_restore --list "$file" >/dev/null 2>&1 ||
  die "$file is not a pg_dump custom-format backup (scripts/backup.sh makes those); nothing was restored."

target="database $PGDATABASE on ${PGHOST:-the local socket}"
if [[ -t 0 && -z ${RESTORE_YES:-} ]]; then
  read -r -p "Replace the careerguide tables in $target with $file? [y/N] " answer
  [[ $answer == [yY]* ]] || die "nothing was restored."
fi

echo "restore: restoring $file into $target ..." >&2
pg_restore --clean --if-exists --no-owner --no-acl --single-transaction --exit-on-error \
  --no-password --dbname="$PGDATABASE" "$file" || die "pg_restore failed; the database is unchanged."
python=${PYTHON:-$root/.venv/bin/python}
if [[ -x $python ]]; then
  "$python" "$root/manage.py" shell --no-imports -c \
    "from django.core.cache import cache; cache.delete_pattern('*') if hasattr(cache, 'delete_pattern') else cache.clear()" ||
    die "the database is restored, but the cache could not be emptied: restart Redis or run this again."
  echo "restore: cache emptied." >&2
fi
echo "restore: done." >&2
