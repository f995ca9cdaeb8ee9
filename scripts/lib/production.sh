# shellcheck shell=bash
# The portal as production runs it: the backend bundle built on the host and
# unpacked into a folder of its own with production dependencies only, as
# packages/backend/Dockerfile does it in an image. Used by
# `scripts/start --production` and by the production tests in scripts/test.
# Both steps are skipped when nothing they depend on changed.

PRODUCTION_DIR="${PRODUCTION_DIR:-$ROOT/.production}"
BACKEND_DIST="$ROOT/packages/backend/dist"

# What the build depends on: every tracked and untracked file that is not
# ignored, by content.
source_fingerprint() {
  (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard -- \
    package.json yarn.lock app-config.yaml packages plugins |
    xargs -0 sha1sum 2>/dev/null; node -v) | sha1sum | cut -d' ' -f1
}

# build_production: `yarn tsc` (the packages' type declarations) and
# `yarn build:backend`, which builds the app and every plugin the backend
# uses, then packs dist/skeleton.tar.gz and dist/bundle.tar.gz.
build_production() {
  local stamp="$BACKEND_DIST/.source-fingerprint" want
  want="$(source_fingerprint)"
  if [ -f "$BACKEND_DIST/bundle.tar.gz" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    log "Production build: unchanged since the last build (packages/backend/dist)"
    return 0
  fi
  log "Production build: yarn tsc, then yarn build:backend (the app, the plugins, the backend bundle)"
  (cd "$ROOT" && yarn tsc && yarn build:backend)
  echo "$want" >"$stamp"
}

# stage_production: the Dockerfile's steps in $PRODUCTION_DIR. The
# dependency install is redone only when the skeleton or yarn.lock changed;
# the bundle and configuration are always unpacked fresh.
stage_production() {
  local dir="$PRODUCTION_DIR" deps_want deps_stamp
  deps_want="$( (tar -xzOf "$BACKEND_DIST/skeleton.tar.gz"; cat "$ROOT/yarn.lock"; node -v) | sha1sum | cut -d' ' -f1)"
  deps_stamp="$dir/.deps-fingerprint"
  if [ ! -f "$deps_stamp" ] || [ "$(cat "$deps_stamp")" != "$deps_want" ]; then
    log "Production install: yarn workspaces focus --all --production in ${dir#"$ROOT"/}"
    rm -rf "$dir" && mkdir -p "$dir/.yarn"
    cp -r "$ROOT/.yarn/releases" "$dir/.yarn/"
    cp "$ROOT/.yarnrc.yml" "$ROOT/backstage.json" "$ROOT/yarn.lock" "$ROOT/package.json" "$dir/"
    tar -xzf "$BACKEND_DIST/skeleton.tar.gz" -C "$dir"
    (cd "$dir" && NODE_ENV=production YARN_ENABLE_IMMUTABLE_INSTALLS=false \
      yarn workspaces focus --all --production)
    echo "$deps_want" >"$deps_stamp"
  fi
  rm -rf "$dir/catalog"
  cp "$ROOT/catalog-info.yaml" "$dir/"
  cp -r "$ROOT/catalog" "$dir/catalog"
  cp "$ROOT/app-config.yaml" "$ROOT/app-config.production.yaml" "$dir/"
  tar -xzf "$BACKEND_DIST/bundle.tar.gz" -C "$dir"
}

# production_env: PostgreSQL and Redis for app-config.production.yaml, the
# servers on 127.0.0.1 unless POSTGRES_* and REDIS_URL say otherwise.
production_env() {
  export POSTGRES_HOST="${POSTGRES_HOST:-127.0.0.1}"
  export POSTGRES_PORT="${POSTGRES_PORT:-5432}"
  export POSTGRES_USER="${POSTGRES_USER:-postgres}"
  export POSTGRES_PASSWORD="${POSTGRES_PASSWORD:-postgres}"
  export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
}

# run_production_backend: the Dockerfile's CMD, in $PRODUCTION_DIR.
run_production_backend() {
  cd "$PRODUCTION_DIR" && NODE_ENV=production exec node packages/backend \
    --config app-config.yaml --config app-config.production.yaml "$@"
}

# start_replicas PREFIX LOGDIR PORT...: one built backend per port, all on
# the same PostgreSQL (databases named PREFIX*, dropped first so that each
# run starts empty) and Redis, each in its own process group (portal.sh's
# start_in_group; stop_portal stops them), started one after the other.
# Each serves Prometheus metrics on its port + 2000. Exports REPLICA_PIDS
# and METRICS_URLS (comma-separated, in port order).
start_replicas() {
  local prefix="$1" logdir="$2" port db
  shift 2
  production_env
  for db in $(PGPASSWORD="$POSTGRES_PASSWORD" psql -h "$POSTGRES_HOST" -p "$POSTGRES_PORT" -U "$POSTGRES_USER" -d postgres -Atc \
    "select datname from pg_database where datname like '${prefix}%'"); do
    PGPASSWORD="$POSTGRES_PASSWORD" psql -h "$POSTGRES_HOST" -p "$POSTGRES_PORT" -U "$POSTGRES_USER" -d postgres -qc "drop database \"$db\" with (force)"
  done
  REPLICA_PIDS="" METRICS_URLS=""
  for port in "$@"; do
    METRICS_URLS="$METRICS_URLS${METRICS_URLS:+,}http://localhost:$((port + 2000))/metrics"
    PROMETHEUS_METRICS_PORT=$((port + 2000)) \
      APP_CONFIG_backend_listen=":$port" APP_CONFIG_backend_database_prefix="$prefix" \
      start_in_group "$logdir/replica-$port.log" \
      bash -c 'source scripts/lib/env.sh && source scripts/lib/production.sh && run_production_backend'
    REPLICA_PIDS="$REPLICA_PIDS${REPLICA_PIDS:+,}${PORTAL_PIDS[-1]}"
    # One at a time: the first creates the databases and runs migrations.
    wait_for_url "http://localhost:$port/.backstage/health/v1/readiness" "the replica on :$port" 240 || return 1
  done
  export REPLICA_PIDS METRICS_URLS
}
