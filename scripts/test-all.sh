#!/usr/bin/env bash
# The whole test run: lint, types, unit tests, production build, API integration tests, Studio e2e tests.
# Ends with one summary line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
reports="$(mktemp -d)"
status=0

step() { echo; echo "== $1"; }
step "lint" && { npx eslint . || status=1; }
step "typecheck" && { npx tsc --noEmit || status=1; }
step "unit tests" && { npx vitest run --reporter=default --reporter=json --outputFile.json="$reports/unit.json" || status=1; }
step "build" && { npm run build || { echo "build failed"; status=1; }; }
if [ -f "${NEXT_DIST_DIR:-.next}/BUILD_ID" ]; then
  step "API integration tests (real server, SQLite, official SDK)"
  npx vitest run --config tests/vitest.config.ts --reporter=default --reporter=json --outputFile.json="$reports/integration.json" || status=1
  step "Studio end-to-end tests (Playwright, Chromium)"
  PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/e2e.json" npx playwright test --reporter=list,json || status=1
fi

node scripts/test-summary.mjs "$reports" || status=1
exit $status
