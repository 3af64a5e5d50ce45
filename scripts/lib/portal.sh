# shellcheck shell=bash
# The embedded default: a PostgreSQL cluster, a seeded apps repository and a
# local config under one data directory, and the portal started on them.
# Used by scripts/dev.sh (data in .local/dev) and the browser test in
# scripts/test.sh (data in a temp directory).

# prepare_embedded_default DATA_DIR PREFERRED_PORT
# Sets PORTAL_PG_BASE_DIR and PORTAL_CONFIG (the local config file).
prepare_embedded_default() {
  local data_dir=$1
  mkdir -p "$data_dir"
  PG_PREFERRED_PORT=$2 start_cluster "$data_dir/postgres"
  PORTAL_PG_BASE_DIR=$PG_BASE_DIR
  seed_apps_repo "$data_dir/apps-repo"
  PORTAL_CONFIG="$data_dir/app-config.local.yaml"
  write_local_config "$PORTAL_CONFIG" "$data_dir"
}

ensure_portal_ports_free() {
  local port
  for port in 3000 7007; do
    port_is_free "$port" || die "port $port is in use; stop whatever listens there (another portal?) and retry"
  done
}

# start_portal CONFIG... : starts frontend (:3000) and backend (:7007) in the
# background in their own process group, so that stopping them stops the
# backend child too (killing only `pnpm start` leaves it holding :7007).
# PORTAL_PACKAGES limits what starts (e.g. `backend`, which then serves a
# production build of the app). Sets PORTAL_PID.
start_portal() {
  local args=(--config "$REPO_ROOT/app-config.yaml") config
  for config in "$@"; do
    args+=(--config "$config")
  done
  # shellcheck disable=SC2206
  args+=(${PORTAL_PACKAGES:-})
  (cd "$REPO_ROOT" && exec setsid pnpm start "${args[@]}") &
  PORTAL_PID=$!
}

stop_portal() {
  [ -n "${PORTAL_PID:-}" ] || return 0
  kill -TERM -- "-$PORTAL_PID" 2>/dev/null || true
  wait "$PORTAL_PID" 2>/dev/null || true
  PORTAL_PID=""
}

# wait_for_portal SECONDS: until the frontend and the dbaas backend answer.
wait_for_portal() {
  local deadline=$((SECONDS + $1))
  while [ $SECONDS -lt $deadline ]; do
    if curl -fsS -o /dev/null http://localhost:3000 2>/dev/null &&
      curl -fsS -o /dev/null http://localhost:7007/api/dbaas/health 2>/dev/null; then
      return 0
    fi
    kill -0 "$PORTAL_PID" 2>/dev/null || die "the portal stopped while starting"
    sleep 2
  done
  die "the portal did not answer on :3000 and :7007 within $1 s"
}
