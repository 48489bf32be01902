#!/usr/bin/env bash
# The whole test run: lint, types, unit tests, production build, API integration tests and Studio
# end-to-end tests on SQLite, then both again on PostgreSQL when TOLLBOOTH_TEST_POSTGRES_URL names a
# server (an admin URL such as postgresql://postgres@127.0.0.1:55432/postgres; .ci/run starts one).
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
  env -u TOLLBOOTH_TEST_POSTGRES_URL npx vitest run --config tests/vitest.config.ts --reporter=default --reporter=json \
    --outputFile.json="$reports/integration-sqlite.json" || status=1
  step "Studio end-to-end tests (Playwright, Chromium, SQLite)"
  env -u E2E_DATABASE_URL PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/e2e-sqlite.json" npx playwright test --reporter=list,json || status=1

  if [ -n "${TOLLBOOTH_TEST_POSTGRES_URL:-}" ]; then
    step "API integration tests (real server, PostgreSQL, official SDK)"
    npx vitest run --config tests/vitest.config.ts --reporter=default --reporter=json \
      --outputFile.json="$reports/integration-postgresql.json" || status=1
    # On PostgreSQL, the walks through pages whose reads are SQL of their own per database (lists and their search,
    # budgets and their counters, metrics, overview, audit log, deployments' and providers' spend). Sign-in, sessions,
    # roles, notifiers and provider settings are plain reads and writes, run on PostgreSQL by the API integration tests
    # above (hardening, roles, providers, alerts); their Studio walks and the pure display checks run on SQLite only.
    # Keeps the whole run well under 30 minutes on 2 cores.
    step "Studio end-to-end tests (Playwright, Chromium, PostgreSQL)"
    e2e_db="tollbooth_e2e_$$"
    psql "$TOLLBOOTH_TEST_POSTGRES_URL" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $e2e_db" || status=1
    E2E_DATABASE_URL="$(node -e 'const u = new URL(process.argv[1]); u.pathname = "/" + process.argv[2]; console.log(u.toString())' "$TOLLBOOTH_TEST_POSTGRES_URL" "$e2e_db")" \
      PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/e2e-postgresql.json" npx playwright test --reporter=list,json \
      e2e/empty-states.spec.ts e2e/studio.spec.ts e2e/workspace-budgets.spec.ts e2e/budget-display.spec.ts \
      e2e/identity-budgets.spec.ts e2e/overview.spec.ts e2e/audit.spec.ts e2e/deployments.spec.ts e2e/call-surface.spec.ts || status=1
    psql "$TOLLBOOTH_TEST_POSTGRES_URL" -q -c "DROP DATABASE IF EXISTS $e2e_db WITH (FORCE)" || true
  else
    echo; echo "(PostgreSQL runs skipped: TOLLBOOTH_TEST_POSTGRES_URL is not set)"
  fi
fi

node scripts/test-summary.mjs "$reports" || status=1
exit $status
