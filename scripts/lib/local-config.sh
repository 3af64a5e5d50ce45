# shellcheck shell=bash
# Writes app-config.local.yaml: what only this machine knows (the local
# PostgreSQL's port and password, where the apps repo and snapshots are).
# Backstage loads it after app-config.yaml. It is git-ignored.

write_local_config() {
  local target=$1 dev_dir=$2
  cat >"$target" <<YAML
# Written by scripts/dev.sh for this machine; edits are overwritten.
backend:
  database:
    client: pg
    connection:
      host: 127.0.0.1
      port: ${PG_PORT}
      user: postgres
      password: ${PG_PASSWORD}

dbaas:
  gitops:
    provider: local
    baseBranch: main
    local:
      path: ${dev_dir}/apps-repo
  clusters:
    - name: local
      environment: dev
      provider: local
      connection:
        host: 127.0.0.1
        port: ${PG_PORT}
        user: postgres
        password: ${PG_PASSWORD}
        database: postgres
      publicEndpoint:
        host: 127.0.0.1
        port: ${PG_PORT}
      capacity: 1
  connection:
    # The local cluster is reachable as it is: no port-forward in snippets.
    direct: true
  snapshots:
    local:
      directory: ${dev_dir}/snapshots
YAML
  chmod 600 "$target"
  log "wrote $(basename "$target")"
}
