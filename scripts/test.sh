#!/usr/bin/env bash
# Runs every check on a fresh or warm machine: toolchain, dependencies, a
# throwaway PostgreSQL for the tests, then the OpenAPI check, type check,
# lint and all tests. Exits non-zero on the first failure and stops what it
# started.
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export REPO_ROOT
# shellcheck source=lib/toolchain.sh
source "$REPO_ROOT/scripts/lib/toolchain.sh"
# shellcheck source=lib/postgres.sh
source "$REPO_ROOT/scripts/lib/postgres.sh"

started=$(date +%s)
ensure_toolchain
ensure_dependencies
ensure_postgres_binaries

TEST_PG_DIR=$(mktemp -d /tmp/dbaas-test-pg.XXXXXX)
chmod 755 "$TEST_PG_DIR"
cleanup() {
  stop_cluster "$PG_BASE_DIR" 2>/dev/null || true
  rm -rf "$TEST_PG_DIR" "${PG_BASE_DIR:-$TEST_PG_DIR}"
}
trap cleanup EXIT INT TERM
PG_PREFERRED_PORT=56432 start_cluster "$TEST_PG_DIR" fast
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING=$(pg_url)
# For tests that run pg_dump/pg_restore or need the server binaries.
export DBAAS_TEST_PG_BIN="$PG_BIN"

cd "$REPO_ROOT"
step() { log "── $1"; }

step "OpenAPI: generated router spec matches openapi.yaml"
node plugins/dbaas-backend/scripts/generate-openapi-spec.js --check

step "type check (tsc)"
pnpm tsc

step "lint"
pnpm backstage-cli repo lint --max-warnings 0

step "unit and integration tests (jest, real PostgreSQL on 127.0.0.1:$PG_PORT)"
results="$REPO_ROOT/.local/test-results.json"
mkdir -p "$(dirname "$results")"
set +e
CI=true pnpm backstage-cli repo test --ci --json --outputFile="$results"
jest_status=$?
set -e
node -e '
  const r = require(process.argv[1]);
  console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
' "$results" || true
[ "$jest_status" = 0 ] || die "tests failed"

log "all checks passed in $(( $(date +%s) - started )) s"
