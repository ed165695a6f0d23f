#!/bin/sh
# make backup: a custom-format dump (pg_dump -Fc) of DATABASE_URL into var/backups/<timestamp>.dump.
# BACKUP_DIR overrides the folder. Needs PostgreSQL's client tools (Debian: postgresql-client).
set -eu

case "${DATABASE_URL:-}" in
  postgres://*|postgresql://*) ;;
  "") echo "backup: DATABASE_URL is not set. Backups are for PostgreSQL, e.g." \
           "DATABASE_URL=postgres://user:password@host:5432/servicedesk make backup" >&2; exit 2 ;;
  *) echo "backup: DATABASE_URL is not a PostgreSQL URL (${DATABASE_URL%%:*}://...)." \
          "The embedded SQLite default is a single file: copy var/db.sqlite3 while the app is stopped." >&2; exit 2 ;;
esac
command -v pg_dump >/dev/null || { echo "backup: pg_dump not found (apt-get install postgresql-client)" >&2; exit 2; }

dir="${BACKUP_DIR:-var/backups}"
mkdir -p "$dir"
file="$dir/$(date -u +%Y%m%dT%H%M%SZ).dump"
# Written under a temporary name first: a failed dump never looks like a good one.
pg_dump --format=custom --no-owner --no-privileges --file="$file.part" --dbname="${DATABASE_URL%%\?*}"
mv "$file.part" "$file"
echo "backup: $file ($(du -h "$file" | cut -f1))"
