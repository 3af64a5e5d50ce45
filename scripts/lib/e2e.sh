# shellcheck shell=bash
# The browser tests: the portal started on a temporary embedded default (with
# faster cycles than a person needs, so tests do not wait minutes), then every
# packages/app/e2e-tests/*.e2e.ts file with Node's test runner, one file at a
# time, against it. Used by scripts/test.sh and scripts/e2e.sh.

# run_browser_tests E2E_DIR [FILE...] : every e2e file, or only the FILEs;
# sets PORTAL_PG_BASE_DIR and PORTAL_PID (the caller's cleanup stops them);
# returns non-zero when a test failed.
run_browser_tests() {
  local e2e_dir=$1
  shift
  local files=("$@")
  [ "${#files[@]}" -gt 0 ] || files=("$REPO_ROOT"/packages/app/e2e-tests/*.e2e.ts)
  ensure_portal_ports_free
  prepare_embedded_default "$e2e_dir" 57432
  cat >"$e2e_dir/app-config.e2e.yaml" <<YAML
dbaas:
  inventory:
    schedule: { frequency: { seconds: 5 }, timeout: { minutes: 10 } }
  restore:
    schedule: { frequency: { seconds: 2 }, timeout: { minutes: 5 } }
    copies:
      expireAfter: { seconds: 75 }
      schedule: { frequency: { seconds: 3 }, timeout: { minutes: 5 } }
catalog:
  processingInterval: { seconds: 5 }
  providers:
    dbaas:
      schedule: { frequency: { seconds: 5 }, timeout: { minutes: 1 } }
YAML
  start_portal "$PORTAL_CONFIG" "$e2e_dir/app-config.e2e.yaml" >"$e2e_dir/portal.log" 2>&1
  wait_for_portal 300 || { tail -50 "$e2e_dir/portal.log"; return 1; }
  local status=0
  DBAAS_E2E_DATA_DIR="$e2e_dir" DBAAS_E2E_PG_BASE_DIR="$PORTAL_PG_BASE_DIR" \
    DBAAS_E2E_SCREENSHOTS="$REPO_ROOT/.local/e2e-screenshots" \
    node --experimental-strip-types --no-warnings --test --test-reporter=spec \
    --test-concurrency=1 "${files[@]}" || status=$?
  if [ "$status" != 0 ]; then
    log "portal log (last 80 lines):"
    tail -80 "$e2e_dir/portal.log" >&2
    log "the browser test failed (screenshots in .local/e2e-screenshots)"
  fi
  return "$status"
}
