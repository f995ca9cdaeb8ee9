#!/usr/bin/env bash
# The fleet benchmark of issue 13, through the real path: an AWS sandbox
# (its own port, throttling at AWS's rates) filled with N projects x 4
# environments through ECS, SSM and Logs (AWS SDK v3, not CloudFormation),
# a catalog file of N annotated Components, and one backend on PostgreSQL and
# Redis that keeps the status snapshots. bench/fleet.mjs then measures, over
# a fixed window, the AWS calls per minute per account-region against the
# snapshot budget, throttling, snapshot ages (hot and cold) and the status
# page's and the tab's overview requests over real HTTP. Results go to
# docs/benchmarks.md by hand.
#
#   bench/fleet.sh [N]                 # N projects, default 1000
#
# Settings (environment):
#   FLEET_WINDOW_SECONDS=300           the measuring window
#   FLEET_CALLS_PER_SECOND=5           awsEnvironments.snapshots.callsPerSecond
#   FLEET_HOT_ENTITIES=5               entities whose overview is polled
#   FLEET_STACKS=on|off               one tagged CloudFormation stack per
#                                      environment, found by the catalog module
#                                      (default), or a catalog file instead
#   FLEET_TASKS=prod|all               one running task in prod only, or in every
#                                      environment (the sandbox slows down with tasks)
#   FLEET_BACKEND=production|dev       the built backend (default; falls back
#                                      to dev when the build fails) or the
#                                      dev backend (backstage-cli package start)
#   FLEET_SANDBOX_PORT=4577 FLEET_BACKEND_PORT=7207
# Uses PostgreSQL and Redis on 127.0.0.1 (databases envplane_fleet_*, dropped
# at the end; Redis database 5).
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/env.sh"
source "$ROOT/scripts/lib/portal.sh"
source "$ROOT/scripts/lib/production.sh"
cd "$ROOT"
ensure_node

N="${1:-1000}"
SANDBOX_PORT="${FLEET_SANDBOX_PORT:-4577}"
PORT="${FLEET_BACKEND_PORT:-7207}"
CPS="${FLEET_CALLS_PER_SECOND:-5}"
BACKEND="${FLEET_BACKEND:-production}"
PREFIX=envplane_fleet_
OUT="$ROOT/test-results/bench-fleet-$N"
rm -rf "$OUT" && mkdir -p "$OUT"
SANDBOX_URL="http://127.0.0.1:$SANDBOX_PORT"
BASE_URL="http://localhost:$PORT"

production_env
export PGPASSWORD="$POSTGRES_PASSWORD" PGHOST="$POSTGRES_HOST" PGPORT="$POSTGRES_PORT" PGUSER="$POSTGRES_USER"
drop_fleet_databases() {
  local db
  for db in $(psql -d postgres -Atc "select datname from pg_database where datname like '${PREFIX}%'"); do
    psql -d postgres -qc "drop database \"$db\" with (force)"
  done
}
# Redis database 5 holds the backend's cache (status, slow-cadence reads):
# emptied so that a run does not start with the last one's.
flush_fleet_cache() {
  redis-cli -n 5 flushdb >/dev/null
}
cleanup() {
  stop_portal
  drop_fleet_databases
  flush_fleet_cache
}
trap cleanup EXIT
drop_fleet_databases
flush_fleet_cache

if [ "$BACKEND" = production ]; then
  if ! (build_production && stage_production) >"$OUT/build.log" 2>&1; then
    log "The production build failed (see $OUT/build.log); using the dev backend"
    BACKEND=dev
  fi
fi

log "Sandbox on :$SANDBOX_PORT, filling $N projects x 4 environments (throttling off while filling)"
start_in_group "$OUT/sandbox.log" node --require @backstage/cli/config/nodeTransform.cjs \
  packages/aws-sandbox/src/main.ts --port "$SANDBOX_PORT" --quiet --throttle off
wait_for_url "$SANDBOX_URL/_sandbox/health" "the AWS sandbox" 60 || exit 1
node bench/fleet.mjs fill "$SANDBOX_URL" "$N" | tee "$OUT/fill.log" || exit 1
curl -fsS -XPOST "$SANDBOX_URL/_sandbox/throttling" -d '{"mode":"aws"}' >/dev/null || exit 1
curl -fsS -XDELETE "$SANDBOX_URL/_sandbox/throttling" >/dev/null || exit 1
log "Throttling at AWS rates is on"

ORG_LOCATION="{\"type\":\"file\",\"target\":\"$ROOT/catalog/org.yaml\",\"rules\":[{\"allow\":[\"User\",\"Group\"]}]}"
if [ "${FLEET_STACKS:-on}" = off ]; then
  CATALOG_FILE="$OUT/fleet-catalog.yaml"
  node bench/fleet.mjs catalog "$CATALOG_FILE" "$N" || exit 1
  LOCATIONS="[{\"type\":\"file\",\"target\":\"$CATALOG_FILE\"},$ORG_LOCATION]"
else
  # The catalog module finds the N projects in the stacks filled above.
  LOCATIONS="[$ORG_LOCATION]"
fi

export AWS_ENDPOINT_URL="$SANDBOX_URL" AWS_ACCESS_KEY_ID=fleet AWS_SECRET_ACCESS_KEY=fleet AWS_REGION=us-east-1
export REDIS_URL="redis://127.0.0.1:6379/5"
export APP_CONFIG_catalog_locations="$LOCATIONS"
export APP_CONFIG_awsEnvironments_snapshots_callsPerSecond="$CPS"
started=$(date +%s)
if [ "$BACKEND" = production ]; then
  log "Starting the built backend on :$PORT (PostgreSQL, Redis)"
  export APP_BASE_URL="$BASE_URL" BACKEND_BASE_URL="$BASE_URL"
  export APP_CONFIG_auth_providers_guest_dangerouslyAllowOutsideDevelopment=true
  start_replicas "$PREFIX" "$OUT" "$PORT" || exit 1
else
  log "Starting the dev backend on :$PORT (backstage-cli package start; PostgreSQL, Redis)"
  cat >"$OUT/fleet-config.yaml" <<EOF
backend:
  baseUrl: $BASE_URL
  listen: ':$PORT'
  database:
    client: pg
    prefix: $PREFIX
    connection:
      host: $POSTGRES_HOST
      port: $POSTGRES_PORT
      user: $POSTGRES_USER
      password: $POSTGRES_PASSWORD
  cache:
    store: redis
    connection: $REDIS_URL
EOF
  PROMETHEUS_METRICS_PORT=$((PORT + 2000)) start_in_group "$OUT/backend.log" \
    yarn workspace backend start --config "$ROOT/app-config.yaml" --config "$OUT/fleet-config.yaml"
  wait_for_url "$BASE_URL/.backstage/health/v1/readiness" "the backend" 300 || exit 1
fi
log "Backend ready after $(($(date +%s) - started)) s; waiting for the catalog to hold $N components"
node bench/fleet.mjs wait-catalog "$BASE_URL" "$N" | tee "$OUT/catalog.log" || exit 1

FLEET_DB="$(psql -d postgres -Atc "select datname from pg_database where datname like '${PREFIX}%aws%environments%' order by length(datname) limit 1")"
export FLEET_DB FLEET_CALLS_PER_SECOND="$CPS"
log "Measuring for ${FLEET_WINDOW_SECONDS:-300} s ($BACKEND backend, database $FLEET_DB)"
{
  echo "Command: bench/fleet.sh $N (FLEET_WINDOW_SECONDS=${FLEET_WINDOW_SECONDS:-300}, $BACKEND backend), $(date -u +'%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  node bench/fleet.mjs measure "$BASE_URL" "$SANDBOX_URL" "$N" "$OUT"
  # The same portal in Debian's Chromium: time to the status page's first
  # rows and to one service's tab (production backend only: it serves the
  # built app).
  if [ "$BACKEND" = production ] && [ -x /usr/bin/chromium ]; then
    echo
    FLEET_SCREENSHOT="$OUT/fleet-tab.png" node bench/fleet-browser.mjs "$BASE_URL" svc-0001 5
  fi
} | tee "$OUT/report.md"
