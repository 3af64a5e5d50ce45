# shellcheck shell=bash
# Sourced by scripts/dev.sh and scripts/test.sh: finds (or installs) the
# PostgreSQL server binaries and runs project-owned clusters on free ports, so
# nothing depends on a server that may or may not already listen on 5432.

PG_BIN=""

find_pg_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/pg_dump" ] && [ -x "$dir/pg_restore" ] && [ -x "$dir/psql" ]; then
      echo "$dir"
      return
    fi
  done
}

ensure_postgres_binaries() {
  PG_BIN=$(find_pg_bin)
  if [ -z "$PG_BIN" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      log "installing PostgreSQL server and client from Debian packages"
      # The Debian package would start its own cluster on 5432; we never use it.
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || die "apt-get update failed"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-client >&2 \
        || die "apt-get install postgresql postgresql-client failed"
      PG_BIN=$(find_pg_bin)
    fi
  fi
  [ -n "$PG_BIN" ] || die "PostgreSQL server binaries (initdb, pg_ctl, pg_dump, pg_restore, psql) not found under /usr/lib/postgresql/*/bin.
       Install them (Debian/Ubuntu: sudo apt-get install postgresql postgresql-client) and run this command again."
  export PG_BIN
  log "using PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') from $PG_BIN"
}

# runuser lives in /usr/sbin, which a non-login root shell may not have on PATH.
runuser_bin() {
  command -v runuser 2>/dev/null || { [ -x /usr/sbin/runuser ] && echo /usr/sbin/runuser; } \
    || { [ -x /sbin/runuser ] && echo /sbin/runuser; } || die "runuser (util-linux) not found"
}

# initdb and postgres refuse to run as root: as root, run them as the
# 'postgres' system user that the Debian package creates.
as_pg_user() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' system user (created by the postgresql package)"
    "$(runuser_bin)" -u postgres -- "$@"
  else
    "$@"
  fi
}

port_is_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_free_port() {
  local port=${1:-55432}
  while ! port_is_free "$port"; do port=$((port + 1)); done
  echo "$port"
}

# Where a cluster's files may live: the postgres user must be able to reach
# the folder. A checkout under a private home directory is not reachable, so
# fall back to a folder under /var/tmp named after the checkout.
cluster_base_dir() {
  local wanted=$1
  mkdir -p "$wanted"
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$wanted" 2>/dev/null || true
    if ! as_pg_user test -w "$wanted" 2>/dev/null; then
      local fallback
      fallback="/var/tmp/dbaas-$(printf '%s' "$wanted" | sha256sum | cut -c1-12)"
      mkdir -p "$fallback" && chown postgres: "$fallback"
      log "the postgres user cannot reach $wanted; keeping the cluster in $fallback"
      wanted=$fallback
    fi
  fi
  echo "$wanted"
}

# start_cluster BASE_DIR [fast]
# Creates (once) and starts a cluster under BASE_DIR (data/, run/, port,
# superuser password), reusing a running one. Sets PG_PORT, PG_PASSWORD,
# PG_BASE_DIR. 'fast' turns durability off: for throwaway test clusters only.
start_cluster() {
  local base
  base=$(cluster_base_dir "$1")
  local mode=${2:-}
  local data="$base/data" run="$base/run"
  PG_BASE_DIR=$base
  if [ ! -f "$data/PG_VERSION" ]; then
    log "creating a PostgreSQL cluster in $data"
    as_pg_user mkdir -p "$data" "$run"
    # The password file must be readable by initdb, which runs as postgres.
    local password
    password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
    printf '%s\n' "$password" >"$base/superuser-password"
    chmod 600 "$base/superuser-password"
    [ "$(id -u)" = 0 ] && chown postgres: "$base/superuser-password"
    as_pg_user "$PG_BIN/initdb" -D "$data" -U postgres --pwfile="$base/superuser-password" \
      --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$base/initdb.log" 2>&1 \
      || die "initdb failed; see $base/initdb.log"
    {
      echo "listen_addresses = '127.0.0.1'"
      echo "unix_socket_directories = '$run'"
      echo "max_connections = 300"
      echo "password_encryption = 'scram-sha-256'"
      if [ "$mode" = fast ]; then
        echo "fsync = off"
        echo "synchronous_commit = off"
        echo "full_page_writes = off"
      fi
    } | as_pg_user tee -a "$data/postgresql.conf" >/dev/null
  fi
  as_pg_user mkdir -p "$run"
  ensure_cluster_ssl "$base"
  PG_PASSWORD=$(cat "$base/superuser-password")
  if as_pg_user "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    PG_PORT=$(cat "$base/port")
    log "PostgreSQL already running on 127.0.0.1:$PG_PORT"
  else
    PG_PORT=$(pick_free_port "${PG_PREFERRED_PORT:-55432}")
    echo "$PG_PORT" >"$base/port"
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    as_pg_user "$PG_BIN/pg_ctl" -D "$data" -l "$base/server.log" -o "-p $PG_PORT" -w -t 60 start >/dev/null \
      || die "PostgreSQL did not start; see $base/server.log"
  fi
  if [ ! -f "$base/hardened" ]; then
    # Tenant roles may connect only to their own database (the provisioner
    # revokes PUBLIC there); close the two databases every cluster has too.
    as_pg_user "$PG_BIN/psql" -h "$run" -p "$PG_PORT" -U postgres -d postgres -qAt \
      -c 'REVOKE CONNECT ON DATABASE postgres FROM PUBLIC' \
      -c 'REVOKE CONNECT ON DATABASE template1 FROM PUBLIC' >/dev/null \
      && touch "$base/hardened"
  fi
  export PG_PORT PG_PASSWORD PG_BASE_DIR
}

# Connection snippets say sslmode=require (as production does), so the local
# cluster speaks TLS too, with a self-signed certificate for localhost and
# 127.0.0.1 (use it as sslrootcert for verify-full: $base/data/server.crt).
ensure_cluster_ssl() {
  local base=$1 data="$1/data"
  [ -f "$data/server.crt" ] && return 0
  command -v openssl >/dev/null || { log "openssl not found: the local cluster runs without TLS (sslmode=require will fail)"; return 0; }
  log "creating a self-signed TLS certificate for the local cluster"
  local tmp
  tmp=$(mktemp -d)
  openssl req -new -x509 -days 3650 -nodes -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$tmp/server.key" -out "$tmp/server.crt" >/dev/null 2>&1 \
    || { rm -rf "$tmp"; die "openssl could not create the local cluster's certificate"; }
  chmod 600 "$tmp/server.key"
  chmod 644 "$tmp/server.crt"
  [ "$(id -u)" = 0 ] && chown postgres: "$tmp/server.key" "$tmp/server.crt"
  mv "$tmp/server.key" "$tmp/server.crt" "$data/"
  rm -rf "$tmp"
  echo "ssl = on" | as_pg_user tee -a "$data/postgresql.conf" >/dev/null
  # A running cluster picks TLS up on reload.
  as_pg_user "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1 \
    && as_pg_user "$PG_BIN/pg_ctl" -D "$data" reload >/dev/null
  return 0
}

stop_cluster() {
  local base=$1
  [ -f "$base/data/PG_VERSION" ] || return 0
  as_pg_user "$PG_BIN/pg_ctl" -D "$base/data" -m fast -w stop >/dev/null 2>&1 || true
}

pg_url() {
  echo "postgresql://postgres:${PG_PASSWORD}@127.0.0.1:${PG_PORT}${1:+/$1}"
}
