#!/usr/bin/env bash
# The proof that the packages work in someone else's Backstage: does what an
# adopter does, outside this monorepo, with what we would publish.
#
#  0. the root README's "Add it to your Backstage" and adopter/skeleton say
#     the same (marked code blocks, yarn add lines, every publishable package);
#  1. builds and packs every publishable package (plugins/*, not private)
#     into tarballs, as a release does (`pnpm tsc`, `backstage-cli package
#     build`, `pnpm pack` with its prepack/postpack);
#  2. copies adopter/skeleton (a minimal Backstage app of its own) to a temp
#     directory, points every @dbaas/* package at its tarball (pnpm
#     overrides) and installs it (`pnpm install --prefer-offline`);
#  3. builds its frontend, starts its backend (serving that frontend, one
#     port) on a throwaway PostgreSQL and a seeded local apps repository,
#     with the guide's config;
#  4. checks: /api/dbaas/health, the template in the catalog, a database
#     requested through the scaffolder API becomes ready, its Database tab
#     renders in headless Chromium.
#
# Prints one closing line, e.g.
#   adopter check: passed in 212 s (pack 40 s, install 35 s, build 70 s, start+checks 60 s)
# and stops everything it started, on success and on failure (then with the
# backend log's tail). DBAAS_FROM_TEST_SH=1 (set by scripts/test.sh, which
# has installed the dependencies and run `pnpm tsc`) skips those two;
# DBAAS_ADOPTER_KEEP=1 keeps the temp directory.
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export REPO_ROOT
# shellcheck source=lib/toolchain.sh
source "$REPO_ROOT/scripts/lib/toolchain.sh"
# shellcheck source=lib/postgres.sh
source "$REPO_ROOT/scripts/lib/postgres.sh"
# shellcheck source=lib/apps-repo.sh
source "$REPO_ROOT/scripts/lib/apps-repo.sh"
# shellcheck source=lib/browser.sh
source "$REPO_ROOT/scripts/lib/browser.sh"
# shellcheck source=lib/adopter.sh
source "$REPO_ROOT/scripts/lib/adopter.sh"

started=$SECONDS
phase="set-up"
times=()
WORK=$(mktemp -d /tmp/dbaas-adopter.XXXXXX)
# The postgres system user must reach the cluster's folder inside it.
chmod 755 "$WORK"
LOGS="$WORK/logs"
mkdir -p "$LOGS"
BACKEND_PID=""
ADOPTER_PG_BASE_DIR=""
packing=""

finish() {
  local status=$?
  trap - EXIT INT TERM
  # Only this run's own pack can have been interrupted.
  if [ -n "$packing" ]; then restore_packed_manifests; fi
  if [ -n "$BACKEND_PID" ]; then
    kill -TERM -- "-$BACKEND_PID" 2>/dev/null || true
    wait "$BACKEND_PID" 2>/dev/null || true
  fi
  if [ -n "$ADOPTER_PG_BASE_DIR" ]; then stop_cluster "$ADOPTER_PG_BASE_DIR"; fi
  if [ "$status" != 0 ]; then
    if [ -s "$LOGS/backend.log" ]; then
      log "the adopter app's backend: start-up, then its first warnings and errors"
      grep -a 'type="initialization"' "$LOGS/backend.log" | tail -5 >&2 || true
      grep -av rootHttpRouter "$LOGS/backend.log" | grep -aE 'warn|error' | head -20 >&2 || true
      log "the adopter app's backend log, without request lines (last 60 lines):"
      grep -av rootHttpRouter "$LOGS/backend.log" | tail -60 >&2 || true
    fi
    echo "adopter check: failed in $((SECONDS - started)) s, at: $phase${times[*]:+ (after $(joined_times))}"
  fi
  if [ -n "${DBAAS_ADOPTER_KEEP:-}" ]; then
    log "kept $WORK"
  else
    rm -rf "$WORK"
    if [ -n "$ADOPTER_PG_BASE_DIR" ] && [ "$ADOPTER_PG_BASE_DIR" != "$WORK/postgres" ]; then
      rm -rf "$ADOPTER_PG_BASE_DIR"
    fi
  fi
  exit "$status"
}
trap finish EXIT
trap 'exit 130' INT TERM

joined_times() {
  local IFS='|'
  local all="${times[*]}"
  echo "${all//|/, }"
}

# phase NAME: starts timing the next phase; the previous one is recorded.
phase_started=$SECONDS
phase() {
  if [ "$phase" != "set-up" ] && [ "$phase" != "the guide" ]; then
    times+=("$phase $((SECONDS - phase_started)) s")
  fi
  phase=$1
  phase_started=$SECONDS
  log "adopter check: $phase"
}

ensure_toolchain
[ -n "${DBAAS_FROM_TEST_SH:-}" ] || ensure_dependencies
ensure_postgres_binaries
ensure_chromium
cd "$REPO_ROOT"

phase "the guide"
node --experimental-strip-types --no-warnings scripts/lib/adopter-checks.ts \
  guide README.md adopter/skeleton plugins

phase "pack"
if [ -z "${DBAAS_FROM_TEST_SH:-}" ]; then
  pnpm tsc >"$LOGS/tsc.log" 2>&1 || { tail -40 "$LOGS/tsc.log" >&2; die "pnpm tsc failed"; }
fi
packing=1
pack_packages "$WORK/tarballs" "$LOGS"
packing=""
log "packed: $(cut -f1 "$WORK/tarballs/tarballs.tsv" | tr '\n' ' ')"

phase "install"
APP="$WORK/app"
prepare_skeleton "$APP" "$WORK/tarballs/tarballs.tsv"
(cd "$APP" && pnpm install --prefer-offline --no-frozen-lockfile --reporter=append-only) >"$LOGS/install.log" 2>&1 \
  || { tail -40 "$LOGS/install.log" >&2; die "pnpm install of the adopter app failed"; }
# Our packages' peer dependencies must be met by an ordinary app.
if sed -n '/Issues with peer dependencies/,$p' "$LOGS/install.log" | grep -q '@dbaas/'; then
  sed -n '/Issues with peer dependencies/,$p' "$LOGS/install.log" | grep -B2 -A4 '@dbaas/' >&2
  die "pnpm reports unmet peer dependencies of @dbaas/* packages"
fi

phase "build"
# The guide's config reads these; the check's own parts come after.
PG_PREFERRED_PORT=58432 start_cluster "$WORK/postgres" fast
ADOPTER_PG_BASE_DIR=$PG_BASE_DIR
seed_apps_repo "$WORK/apps-repo"
export POSTGRES_HOST=127.0.0.1 POSTGRES_PORT="$PG_PORT" POSTGRES_USER=postgres POSTGRES_PASSWORD="$PG_PASSWORD"
export DBAAS_APPS_REPO="$WORK/apps-repo" DBAAS_SNAPSHOT_DIR="$WORK/snapshots"
PORT=$(pick_free_port 7417)
cat >"$WORK/app-config.check.yaml" <<YAML
# The check's own part: one free port for frontend and backend, and cycles
# fast enough that it does not wait minutes.
app:
  baseUrl: http://localhost:${PORT}
backend:
  baseUrl: http://localhost:${PORT}
  listen:
    port: ${PORT}
catalog:
  processingInterval: { seconds: 3 }
  providers:
    dbaas:
      schedule:
        frequency: { seconds: 3 }
        timeout: { minutes: 1 }
        initialDelay: { seconds: 3 }
dbaas:
  inventory:
    schedule:
      frequency: { seconds: 3 }
      timeout: { minutes: 1 }
YAML
(cd "$APP/packages/app" && pnpm exec backstage-cli package build \
  --config ../../app-config.yaml --config "$WORK/app-config.check.yaml") >"$LOGS/build.log" 2>&1 \
  || { tail -40 "$LOGS/build.log" >&2; die "building the adopter app's frontend failed"; }

phase "start+checks"
(cd "$APP/packages/backend" && exec setsid pnpm exec backstage-cli package start \
  --config ../../app-config.yaml --config "$WORK/app-config.check.yaml") >"$LOGS/backend.log" 2>&1 &
BACKEND_PID=$!
deadline=$((SECONDS + 180))
until curl -fsS -o /dev/null "http://localhost:$PORT/api/dbaas/health" 2>/dev/null \
  && grep -q "Plugin initialization complete" "$LOGS/backend.log"; do
  kill -0 "$BACKEND_PID" 2>/dev/null || die "the adopter app's backend stopped while starting"
  [ $SECONDS -lt $deadline ] || die "the adopter app's backend did not answer on :$PORT within 180 s"
  sleep 1
done
# A plugin that fails to start leaves the others serving: not a success.
sleep 1
! grep -q "Backend startup failed" "$LOGS/backend.log" || die "the adopter app's backend failed to start"
log "the adopter app answers on http://localhost:$PORT after $((SECONDS - phase_started)) s"
ADOPTER_SCREENSHOTS="$REPO_ROOT/.local/adopter-check" \
  node --experimental-strip-types --no-warnings scripts/lib/adopter-checks.ts flow "http://localhost:$PORT"

phase "done"
echo "adopter check: passed in $((SECONDS - started)) s ($(joined_times))"
