#!/usr/bin/env bash
# Writes a migration from the schema change in the working tree (against the committed schema).
# `prisma migrate dev` needs a shadow database the offline engine cannot create, so diff two datamodels.
# Usage: scripts/new-migration.sh <name>
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: scripts/new-migration.sh <name>}"
schema=prisma/sqlite/schema.prisma
old="$(mktemp --suffix=.prisma)"
git show "HEAD:$schema" > "$old"
dir="prisma/sqlite/migrations/$(date -u +%Y%m%d%H%M%S)_${name}"
sql="$(npx prisma migrate diff --from-schema-datamodel "$old" --to-schema-datamodel "$schema" --script)"
rm -f "$old"
if grep -q 'This is an empty migration' <<<"$sql"; then echo "No schema change."; exit 0; fi
mkdir -p "$dir" && printf '%s\n' "$sql" > "$dir/migration.sql"
echo "Wrote $dir/migration.sql; apply with: npx prisma migrate deploy"
