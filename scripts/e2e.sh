#!/usr/bin/env bash
# Only the browser tests (scripts/test.sh runs them too, with everything
# else): set-up as the test command does it, the portal on a temporary
# embedded default on :3000/:7007, every packages/app/e2e-tests/*.e2e.ts,
# or only the files given: scripts/e2e.sh packages/app/e2e-tests/x.e2e.ts
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export REPO_ROOT
for lib in toolchain postgres apps-repo local-config portal browser e2e; do
  # shellcheck source=/dev/null
  source "$REPO_ROOT/scripts/lib/$lib.sh"
done
ensure_toolchain
ensure_dependencies
ensure_postgres_binaries
ensure_chromium
export DBAAS_TEST_PG_BIN="$PG_BIN"
E2E_DIR=$(mktemp -d /tmp/dbaas-e2e.XXXXXX)
chmod 755 "$E2E_DIR"
cleanup() {
  stop_portal
  if [ -n "${PORTAL_PG_BASE_DIR:-}" ]; then stop_cluster "$PORTAL_PG_BASE_DIR"; fi
  rm -rf "$E2E_DIR"
}
trap cleanup EXIT INT TERM
cd "$REPO_ROOT"
run_browser_tests "$E2E_DIR" "$@"
