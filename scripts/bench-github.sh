#!/usr/bin/env bash
# Runs the GitHub API cost benchmark alone (set-up as scripts/test.sh:
# toolchain and dependencies, then a throwaway PostgreSQL cluster for the
# backend plugin); `pnpm bench:github` runs this script, `pnpm bench` runs
# the same benchmark among the others. Figures and what they mean:
# README.md, "Benchmarks". DBAAS_BENCH_GITHUB_SIZES (e.g. "10,1000") limits
# the definition counts (default 10,1000,5000).
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export REPO_ROOT
for lib in toolchain postgres; do
  # shellcheck source=/dev/null
  source "$REPO_ROOT/scripts/lib/$lib.sh"
done
ensure_toolchain
ensure_dependencies
cd "$REPO_ROOT"

ensure_postgres_binaries
BENCH_DIR=$(mktemp -d /tmp/dbaas-bench-github.XXXXXX)
chmod 755 "$BENCH_DIR"
finish() {
  if [ -n "${PG_BASE_DIR:-}" ]; then stop_cluster "$PG_BASE_DIR"; fi
  rm -rf "$BENCH_DIR" "${PG_BASE_DIR:-$BENCH_DIR}"
}
trap finish EXIT INT TERM

PG_PREFERRED_PORT=${PG_PREFERRED_PORT:-59534} start_cluster "$BENCH_DIR/pg" fast
log "── GitHub API cost: a create, an idle sync hour, the first sync after a start"
env BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="$(pg_url)" CI=true \
  pnpm --filter @dbaas/plugin-scaffolder-backend-module-dbaas bench
