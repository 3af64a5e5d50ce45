#!/usr/bin/env bash
# Runs every check on a fresh or warm machine: toolchain, dependencies, a
# throwaway PostgreSQL for the tests, then the OpenAPI check, type check,
# lint, all Jest tests, the browser test of the whole flow against the
# portal started on a temporary embedded default, and the adopter check
# (scripts/adopter-check.sh: the packages packed and used in an app of its
# own). Exits non-zero on the first failure and stops what it started.
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export REPO_ROOT
# shellcheck source=lib/toolchain.sh
source "$REPO_ROOT/scripts/lib/toolchain.sh"
# shellcheck source=lib/postgres.sh
source "$REPO_ROOT/scripts/lib/postgres.sh"
# shellcheck source=lib/apps-repo.sh
source "$REPO_ROOT/scripts/lib/apps-repo.sh"
# shellcheck source=lib/local-config.sh
source "$REPO_ROOT/scripts/lib/local-config.sh"
# shellcheck source=lib/portal.sh
source "$REPO_ROOT/scripts/lib/portal.sh"
# shellcheck source=lib/browser.sh
source "$REPO_ROOT/scripts/lib/browser.sh"
# shellcheck source=lib/e2e.sh
source "$REPO_ROOT/scripts/lib/e2e.sh"

started=$(date +%s)
ensure_toolchain
ensure_dependencies
ensure_postgres_binaries

ensure_chromium

TEST_PG_DIR=$(mktemp -d /tmp/dbaas-test-pg.XXXXXX)
E2E_DIR=$(mktemp -d /tmp/dbaas-e2e.XXXXXX)
chmod 755 "$TEST_PG_DIR" "$E2E_DIR"
cleanup() {
  stop_portal
  if [ -n "${PORTAL_PG_BASE_DIR:-}" ]; then stop_cluster "$PORTAL_PG_BASE_DIR"; fi
  stop_cluster "$TEST_PG_BASE_DIR" 2>/dev/null || true
  rm -rf "$TEST_PG_DIR" "$E2E_DIR" "${TEST_PG_BASE_DIR:-$TEST_PG_DIR}" "${PORTAL_PG_BASE_DIR:-$E2E_DIR}"
}
trap cleanup EXIT INT TERM
PG_PREFERRED_PORT=56432 start_cluster "$TEST_PG_DIR" fast
TEST_PG_BASE_DIR=$PG_BASE_DIR
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING=$(pg_url)
# For tests that run pg_dump/pg_restore or need the server binaries.
export DBAAS_TEST_PG_BIN="$PG_BIN"

cd "$REPO_ROOT"
step() { log "── $1"; }

step "OpenAPI: generated router spec matches openapi.yaml"
node plugins/dbaas-backend/scripts/generate-openapi-spec.js --check

step "type check (tsc), then the browser tests' own (Node runs them without checking types)"
pnpm tsc
pnpm exec tsc -p packages/app/e2e-tests

step "lint"
pnpm backstage-cli repo lint --max-warnings 0

# Uses the declarations tsc just wrote to dist-types.
step "packages: publish metadata, API reports (report.api.md drift fails), unused dependencies (knip)"
pnpm check:packages

step "unit and integration tests (jest, real PostgreSQL on 127.0.0.1:$PG_PORT)"
results="$REPO_ROOT/.local/test-results.json"
mkdir -p "$(dirname "$results")"
set +e
CI=true pnpm backstage-cli repo test --ci --json --outputFile="$results"
jest_status=$?
set -e
read -r jest_passed jest_failed jest_skipped < <(node -e '
  const r = require(process.argv[1]);
  console.log(r.numPassedTests, r.numFailedTests, r.numPendingTests);
' "$results" || echo "0 0 0")
echo "jest: $jest_passed passed, $jest_failed failed, $jest_skipped skipped"
[ "$jest_status" = 0 ] || die "tests failed"
# In CI nothing may skip silently: a suite that needs PostgreSQL or its client
# tools gets them from this script, so a skip means a missing set-up step.
if [ -n "${CI:-}" ] && [ "$jest_skipped" != 0 ]; then
  node -e '
    for (const suite of require(process.argv[1]).testResults)
      for (const t of suite.assertionResults)
        if (t.status !== "passed" && t.status !== "failed")
          console.error(`skipped: ${suite.name.replace(process.cwd() + "/", "")} › ${t.fullName}`);
  ' "$results"
  die "$jest_skipped tests were skipped; with CI set every suite must run"
fi

step "browser end-to-end tests (the portal on the embedded default, Chromium)"
run_browser_tests "$E2E_DIR" || die "the browser tests failed"

# The portal is done with; the adopter check starts an app of its own.
stop_portal
stop_cluster "$PORTAL_PG_BASE_DIR"

step "adopter check (the packages packed, installed into an app of its own as the README's guide says, and used)"
# The dependencies are installed and tsc has just emitted dist-types.
DBAAS_FROM_TEST_SH=1 bash "$REPO_ROOT/scripts/adopter-check.sh" || die "the adopter check failed"

log "all checks passed in $(( $(date +%s) - started )) s"
# One closing line for every test that ran: Jest's, each browser test file
# and the adopter check.
browser_files=$(find "$REPO_ROOT/packages/app/e2e-tests" -name '*.e2e.ts' | wc -l)
echo "all tests: $((jest_passed + browser_files + 1)) passed, 0 failed, $jest_skipped skipped"
exit 0
