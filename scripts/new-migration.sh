#!/usr/bin/env bash
# Writes a migration for each database from the schema change in the working tree (against the
# committed schemas). Edit prisma/sqlite/schema.prisma and prisma/postgresql/schema.prisma alike
# (the models must match; a unit test checks it). `prisma migrate dev` needs a shadow database the
# offline engine cannot create, so this diffs two datamodels instead.
# Usage: scripts/new-migration.sh <name>
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: scripts/new-migration.sh <name>}"
stamp="$(date -u +%Y%m%d%H%M%S)"
for provider in sqlite postgresql; do
  schema="prisma/$provider/schema.prisma"
  old="$(mktemp --suffix=.prisma)"
  git show "HEAD:$schema" > "$old"
  sql="$(npx prisma migrate diff --from-schema-datamodel "$old" --to-schema-datamodel "$schema" --script)"
  rm -f "$old"
  if grep -q 'This is an empty migration' <<<"$sql"; then echo "$provider: no schema change."; continue; fi
  dir="prisma/$provider/migrations/${stamp}_${name}"
  mkdir -p "$dir" && printf '%s\n' "$sql" > "$dir/migration.sql"
  echo "$provider: wrote $dir/migration.sql"
done
echo "Apply with: npx prisma migrate deploy (DATABASE_URL picks the database)"
