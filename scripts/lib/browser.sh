# shellcheck shell=bash
# Debian's Chromium for the browser test: Playwright's own browser download
# cannot work without internet, its core library drives any Chromium.

ensure_chromium() {
  local candidate
  for candidate in /usr/bin/chromium /usr/bin/chromium-browser; do
    if [ -x "$candidate" ]; then
      export DBAAS_CHROMIUM="$candidate"
      return
    fi
  done
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Chromium from Debian packages for the browser test"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2 || die "apt-get install chromium failed"
    export DBAAS_CHROMIUM=/usr/bin/chromium
    return
  fi
  die "Chromium not found for the browser test; install it (Debian/Ubuntu: sudo apt-get install chromium) and run this command again"
}
