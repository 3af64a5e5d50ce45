#!/usr/bin/env bash
# Runs the benchmarks (set-up as scripts/test.sh: toolchain and dependencies).
# Figures and what they mean: README.md, "Benchmarks".
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export REPO_ROOT
# shellcheck source=lib/toolchain.sh
source "$REPO_ROOT/scripts/lib/toolchain.sh"
ensure_toolchain
ensure_dependencies
cd "$REPO_ROOT"
log "── GitHub calls per 'create database' pull request (ours vs publish:github:pull-request)"
CI=true pnpm --filter @dbaas/plugin-dbaas-node bench
