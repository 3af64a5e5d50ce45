# shellcheck shell=bash
# Sourced by scripts/adopter-check.sh: packs the publishable packages as a
# release would, and sets up the adopter skeleton (adopter/skeleton) outside
# the monorepo on those tarballs.

# publishable_packages: "<dir> <name>" for each plugins/*/package.json that
# is not private. The one list of what we publish.
publishable_packages() {
  node -e '
    const { readdirSync, readFileSync, existsSync } = require("node:fs");
    const { join } = require("node:path");
    const root = join(process.argv[1], "plugins");
    for (const dir of readdirSync(root).sort()) {
      const file = join(root, dir, "package.json");
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, "utf8"));
      if (pkg.private !== true) console.log(dir, pkg.name);
    }
  ' "$REPO_ROOT"
}

# A pack interrupted between prepack and postpack leaves the publish
# manifest in place of package.json (and the original as package.json-prepack).
restore_packed_manifests() {
  local dir
  for dir in "$REPO_ROOT"/plugins/*/; do
    if [ -f "$dir/package.json-prepack" ]; then
      mv -f "$dir/package.json-prepack" "$dir/package.json"
      log "restored ${dir#"$REPO_ROOT/"}package.json after an interrupted pack"
    fi
  done
}

# pack_packages DEST_DIR LOG_DIR: for each publishable package, two at a
# time: `backstage-cli package build` (its types come from dist-types, so
# `pnpm tsc` must have run), then `pnpm pack` into DEST_DIR (its prepack
# applies publishConfig, and workspace: ranges become versions). Writes
# DEST_DIR/tarballs.tsv: "<name>\t<tarball path>".
pack_packages() {
  local dest=$1 logs=$2 dir name
  mkdir -p "$dest" "$logs"
  local dirs=()
  while read -r dir name; do dirs+=("$dir"); done < <(publishable_packages)
  [ ${#dirs[@]} -gt 0 ] || die "no publishable package found under plugins/"
  # shellcheck disable=SC2016
  printf '%s\n' "${dirs[@]}" | xargs -P 2 -I '{}' bash -c '
    cd "$1/plugins/$2" || exit 1
    pnpm exec backstage-cli package build >"$3/build-$2.log" 2>&1 \
      || { echo "[dbaas] error: backstage-cli package build failed in plugins/$2:" >&2; tail -30 "$3/build-$2.log" >&2; exit 1; }
    pnpm pack --pack-destination "$4" --json >"$3/pack-$2.json" 2>"$3/pack-$2.log" \
      || { echo "[dbaas] error: pnpm pack failed in plugins/$2:" >&2; tail -30 "$3/pack-$2.log" >&2; exit 1; }
  ' _ "$REPO_ROOT" '{}' "$logs" "$dest" || { restore_packed_manifests; die "building and packing the packages failed"; }
  : >"$dest/tarballs.tsv"
  for dir in "${dirs[@]}"; do
    node -e '
      const out = require("node:fs").readFileSync(process.argv[1], "utf8");
      const { name, filename } = JSON.parse(out.slice(out.indexOf("{")));
      console.log(`${name}\t${filename}`);
    ' "$logs/pack-$dir.json" >>"$dest/tarballs.tsv"
  done
}

# backstage_release_versions: "<name> <version>" of every @backstage/* package
# in the monorepo's lockfile: Backstage's release (backstage.json) as this
# repository builds against it, one version each.
backstage_release_versions() {
  grep -oE "^  '?@backstage/[a-z0-9-]+@[0-9][^:(']*" "$REPO_ROOT/pnpm-lock.yaml" \
    | sed -E "s/^  '?//; s/@([0-9])/ \1/" | sort -u
}

# prepare_skeleton APP_DIR TARBALLS_TSV: copies adopter/skeleton to APP_DIR,
# points every @dbaas/* package at its tarball (so the packages' dependencies
# on each other resolve to the tarballs too) and pins the @backstage/*
# packages to the release's versions, as `backstage-cli versions:bump
# --release` does for an app; newer patch and minor releases of single
# plugins would otherwise come in through their caret ranges.
prepare_skeleton() {
  local app=$1 tarballs=$2 name file version
  mkdir -p "$app"
  cp -R "$REPO_ROOT/adopter/skeleton/." "$app/"
  {
    echo
    echo "overrides:"
    while IFS=$'\t' read -r name file; do
      echo "  '$name': 'file:$file'"
    done <"$tarballs"
    while read -r name version; do
      echo "  '$name': '$version'"
    done < <(backstage_release_versions)
  } >>"$app/pnpm-workspace.yaml"
}
