#!/usr/bin/env bash
# Starts the whole portal on the embedded default, on this machine:
# toolchain (Node 24, pnpm), dependencies, a project-local PostgreSQL on a free
# port, a seeded local apps repository, app-config.local.yaml, then the
# frontend (:3000) and backend (:7007). Ctrl-C stops all of it.
#
#   scripts/dev.sh               set up and start
#   scripts/dev.sh --setup-only  set up, start PostgreSQL, don't start the portal
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

DEV_DIR="$REPO_ROOT/.local/dev"
mkdir -p "$DEV_DIR"

ensure_toolchain
ensure_dependencies
ensure_postgres_binaries
PG_PREFERRED_PORT=55432 start_cluster "$DEV_DIR/postgres"
DEV_PG_BASE_DIR=$PG_BASE_DIR
seed_apps_repo "$DEV_DIR/apps-repo"
write_local_config "$REPO_ROOT/app-config.local.yaml" "$DEV_DIR"

if [ "${1:-}" = "--setup-only" ]; then
  log "set-up done; PostgreSQL is running on 127.0.0.1:$PG_PORT (stop it with: $PG_BIN/pg_ctl -D $DEV_PG_BASE_DIR/data stop, as the postgres user)"
  exit 0
fi

for port in 3000 7007; do
  port_is_free "$port" || die "port $port is in use; stop whatever listens there (another portal?) and retry"
done

log "starting the portal: frontend http://localhost:3000, backend http://localhost:7007 (Ctrl-C stops it)"
# The portal runs in its own process group so that stopping it stops the
# backend child too (killing only `pnpm start` leaves it holding :7007).
setsid pnpm start &
portal_pid=$!
stop_all() {
  trap - EXIT INT TERM
  log "stopping the portal and PostgreSQL"
  kill -TERM -- "-$portal_pid" 2>/dev/null || true
  wait "$portal_pid" 2>/dev/null || true
  stop_cluster "$DEV_PG_BASE_DIR"
}
trap stop_all EXIT INT TERM
wait "$portal_pid"
