#!/usr/bin/env bash
# Runs the benchmarks (set-up as scripts/test.sh: toolchain and dependencies);
# `pnpm bench` runs this script. Figures and what they mean: README.md,
# "Benchmarks". Every benchmark runs even when an earlier one misses its goal
# or fails; the script then names them at the end and exits non-zero.
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export REPO_ROOT
for lib in toolchain postgres apps-repo local-config portal browser; do
  # shellcheck source=/dev/null
  source "$REPO_ROOT/scripts/lib/$lib.sh"
done
ensure_toolchain
ensure_dependencies
cd "$REPO_ROOT"

ensure_postgres_binaries
ensure_chromium
BENCH_DIR=$(mktemp -d /tmp/dbaas-bench.XXXXXX)
chmod 755 "$BENCH_DIR"
finish() {
  stop_portal
  if [ -n "${PORTAL_PG_BASE_DIR:-}" ]; then stop_cluster "$PORTAL_PG_BASE_DIR"; fi
  if [ -n "${SAMPLING_PG_BASE_DIR:-}" ]; then stop_cluster "$SAMPLING_PG_BASE_DIR"; fi
  if [ -n "${BACKEND_PG_BASE_DIR:-}" ]; then stop_cluster "$BACKEND_PG_BASE_DIR"; fi
  rm -rf "$BENCH_DIR" "${PORTAL_PG_BASE_DIR:-$BENCH_DIR}" "${SAMPLING_PG_BASE_DIR:-$BENCH_DIR}" "${BACKEND_PG_BASE_DIR:-$BENCH_DIR}"
}
trap finish EXIT INT TERM

FAILED=()
# bench NAME COMMAND...: runs one benchmark, remembering it when it fails.
bench() {
  local name=$1
  shift
  log "── $name"
  if ! "$@"; then
    FAILED+=("$name")
    log "✗ $name: failed or missed its goal (see above)"
  fi
}

# A throwaway cluster for the sampling benchmark's 1,000 databases.
PG_PREFERRED_PORT=59532 start_cluster "$BENCH_DIR/sampling-pg" fast
SAMPLING_PG_BASE_DIR=$PG_BASE_DIR
bench "GitHub calls per 'create database' pull request; metrics sampling of ${DBAAS_BENCH_DATABASES:-1000} databases, one connection vs one per database" \
  env BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="$(pg_url)" CI=true \
  pnpm --filter @dbaas/plugin-dbaas-node bench
stop_cluster "$SAMPLING_PG_BASE_DIR"

# A throwaway cluster for the backend benchmarks.
PG_PREFERRED_PORT=59533 start_cluster "$BENCH_DIR/backend-pg" fast
BACKEND_PG_BASE_DIR=$PG_BASE_DIR
bench "Billing: a month report for 1,000 tenants over a year of hourly samples; the entity tab's API with 5,000 databases" \
  env BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="$(pg_url)" CI=true \
  pnpm --filter @dbaas/plugin-dbaas-backend bench
bench "GitHub API cost: a create, an idle sync hour and the first sync after a start, at 10, 1,000 and 5,000 definitions" \
  env BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="$(pg_url)" CI=true \
  pnpm --filter @dbaas/plugin-scaffolder-backend-module-dbaas bench
bench "Snapshot and restore of a ~1 GiB shop database: ours with evidence against bare pg_dump -Fc, ours from preflight to cleanup against bare pg_restore -j of the same file" \
  env DBAAS_BENCH_RESTORE_DATABASE_URL="$(pg_url)" DBAAS_BENCH_RESTORE_BIN="$PG_BIN" CI=true \
  pnpm --filter @dbaas/plugin-dbaas-backend bench:restore
stop_cluster "$BACKEND_PG_BASE_DIR"

log "── building the app and starting the backend alone for the browser benchmark"
ensure_portal_ports_free
(cd packages/app && pnpm exec backstage-cli package build) >/dev/null
prepare_embedded_default "$BENCH_DIR" 58432
cat >"$BENCH_DIR/app-config.bench.yaml" <<YAML
app:
  baseUrl: http://localhost:7007
dbaas:
  inventory:
    schedule: { frequency: { seconds: 5 }, timeout: { minutes: 10 } }
catalog:
  providers:
    dbaas:
      schedule: { frequency: { seconds: 5 }, timeout: { minutes: 1 } }
YAML
# The backend alone serves the production build of the app.
PORTAL_PACKAGES=backend start_portal "$PORTAL_CONFIG" "$BENCH_DIR/app-config.bench.yaml" >"$BENCH_DIR/backend.log" 2>&1
deadline=$((SECONDS + 240))
until curl -fsS -o /dev/null http://localhost:7007/api/dbaas/health 2>/dev/null; do
  [ $SECONDS -lt $deadline ] || { tail -30 "$BENCH_DIR/backend.log"; die "the backend did not start in time"; }
  sleep 2
done
bench "Database tab of a production build: load and click, cold cache" \
  node --experimental-strip-types --no-warnings packages/app/e2e-tests/databaseTab.bench.ts

if [ ${#FAILED[@]} -gt 0 ]; then
  printf '[dbaas] benchmarks that failed or missed their goal:\n' >&2
  printf '  - %s\n' "${FAILED[@]}" >&2
  exit 1
fi
log "all benchmarks met their goals"
