#!/bin/sh
# make restore FILE=var/backups/<timestamp>.dump CONFIRM=yes: pg_restore --clean the dump into DATABASE_URL.
# Replaces the tables of that database with the dump's; stop the web, worker and beat first.
set -eu

file="${FILE:-}"
[ -n "$file" ] || { echo "restore: say which dump, e.g. make restore FILE=var/backups/20250101T020000Z.dump" >&2; exit 2; }
[ -f "$file" ] || { echo "restore: no such file: $file" >&2; exit 2; }
case "${DATABASE_URL:-}" in
  postgres://*|postgresql://*) ;;
  *) echo "restore: DATABASE_URL must name the PostgreSQL database to restore into." >&2; exit 2 ;;
esac
target="${DATABASE_URL%%\?*}"
if [ "${CONFIRM:-}" != "yes" ]; then
  # Show where it would go without the password.
  echo "restore: this replaces every table of $(echo "$target" | sed 's|//[^@]*@|//***@|') with $file." >&2
  echo "restore: run again with CONFIRM=yes to do it." >&2
  exit 3
fi
command -v pg_restore >/dev/null || { echo "restore: pg_restore not found (apt-get install postgresql-client)" >&2; exit 2; }
pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
  --dbname="$target" "$file"
echo "restore: $file restored."
