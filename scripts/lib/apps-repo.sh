# shellcheck shell=bash
# Seeds the embedded default's GitOps apps repository: a plain git repository
# with a few tenants and databases in the layout of the real one
# (<namespace>/<folder>/{values,application}.yaml). Created once; a second run
# leaves it (and whatever was requested through the portal) as it is.

write_database_folder() {
  local repo=$1 namespace=$2 folder=$3 slack=$4
  shift 4
  mkdir -p "$repo/$namespace/$folder"
  {
    echo "# Databases of $namespace/$folder, deployed by ArgoCD with the idp-postgresql chart."
    echo "postgresqlDatabases:"
    local entry name mode
    for entry in "$@"; do
      name=${entry%%:*}
      mode=${entry#*:}
      echo "  - name: $name"
      echo "    mode: $mode"
    done
  } >"$repo/$namespace/$folder/values.yaml"
  cat >"$repo/$namespace/$folder/application.yaml" <<YAML
apiVersion: v2
name: $folder
description: $folder
version: 0.1.0
slackChannel: $slack
helm:
  chart: helm/idp-postgresql
  chartVersion: "1.0.1"
YAML
}

seed_apps_repo() {
  local repo=$1
  if [ -d "$repo/.git" ]; then
    log "apps repo already seeded at $repo"
    return
  fi
  log "seeding the local apps repo at $repo"
  mkdir -p "$repo"
  git -C "$repo" init -q -b main
  write_database_folder "$repo" payments ledger payments-alerts ledger:protected
  write_database_folder "$repo" payments payouts payments-alerts payouts:standard
  write_database_folder "$repo" checkout orders checkout-team orders:protected carts:standard
  write_database_folder "$repo" search catalog-index search-team catalog-index:standard
  cat >"$repo/README.md" <<'MD'
# apps (embedded default)

GitOps apps repository of the local portal. Each `<namespace>/<folder>/`
holds `values.yaml` (the databases) and `application.yaml` (the chart).
MD
  git -C "$repo" add -A
  git -C "$repo" -c user.name='dbaas seed' -c user.email='dbaas-seed@localhost' commit -q -m 'Seed tenants payments, checkout and search'
}
