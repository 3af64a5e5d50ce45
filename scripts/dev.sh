#!/usr/bin/env bash
# Starts the whole portal on the embedded default, on this machine:
# toolchain (Node 24, pnpm), dependencies, a project-local PostgreSQL on a free
# port, a seeded local apps repository, the local config
# (.local/dev/app-config.local.yaml), then the frontend (:3000) and backend
# (:7007). Ctrl-C stops all of it. DBAAS_EXTRA_CONFIG names one more config
# file to load last.
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
# shellcheck source=lib/portal.sh
source "$REPO_ROOT/scripts/lib/portal.sh"

DEV_DIR="$REPO_ROOT/.local/dev"

ensure_toolchain
ensure_dependencies
ensure_postgres_binaries
prepare_embedded_default "$DEV_DIR" 55432

if [ "${1:-}" = "--setup-only" ]; then
  log "set-up done; PostgreSQL is running on 127.0.0.1:$PG_PORT (stop it with: $PG_BIN/pg_ctl -D $PORTAL_PG_BASE_DIR/data stop, as the postgres user)"
  exit 0
fi

ensure_portal_ports_free
log "starting the portal: frontend http://localhost:3000, backend http://localhost:7007 (Ctrl-C stops it)"
start_portal "$PORTAL_CONFIG" ${DBAAS_EXTRA_CONFIG:+"$DBAAS_EXTRA_CONFIG"}
stop_all() {
  trap - EXIT INT TERM
  log "stopping the portal and PostgreSQL"
  stop_portal
  stop_cluster "$PORTAL_PG_BASE_DIR"
}
trap stop_all EXIT INT TERM
wait "$PORTAL_PID"
