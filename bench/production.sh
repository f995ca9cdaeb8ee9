#!/usr/bin/env bash
# The status read in production mode, measured through the real path: the
# built backend (scripts/lib/production.sh, as packages/backend/Dockerfile
# runs it) as two replicas on PostgreSQL and Redis behind the round-robin
# proxy, the real catalog and permission framework, the demo project
# provisioned into the AWS sandbox through the scaffolder. Then
# bench/production-load.mjs compares the cached status read with the
# catalog's read of the same entity. Results go to docs/benchmarks.md by
# hand, with the date and the machine's load.
#
#   bench/production.sh            # needs the ports of scripts/test free
#
# Or beside a running scripts/test, on other ports:
#   BENCH_PROXY_PORT=7300 AWS_SANDBOX_PORT=4588 bench/production.sh
# (the replicas take the next two ports).
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/env.sh"
source "$ROOT/scripts/lib/portal.sh"
source "$ROOT/scripts/lib/production.sh"
cd "$ROOT"
bootstrap

OUT="$ROOT/test-results/bench-production"
rm -rf "$OUT" && mkdir -p "$OUT"
trap stop_portal EXIT

build_production
stage_production

PROXY="${BENCH_PROXY_PORT:-7100}"
R1=$((PROXY + 1)) R2=$((PROXY + 2))
BASE="http://localhost:$PROXY"
export APP_BASE_URL="$BASE" BACKEND_BASE_URL="$BASE"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}/2"
export APP_CONFIG_auth_providers_guest_dangerouslyAllowOutsideDevelopment=true
start_sandbox "$OUT/sandbox-state.json" "$OUT/sandbox.log"
start_in_group "$OUT/proxy.log" node scripts/lib/round-robin-proxy.mjs "$PROXY" "http://localhost:$R1" "http://localhost:$R2"
start_replicas envplane_bench_ "$OUT" "$R1" "$R2"

log "Provisioning the demo project through the scaffolder"
node scripts/lib/provision-demo.mjs "$BASE" >"$OUT/demo.log" 2>&1
# The catalog module finds the stacks on its schedule (30 s by default).
for _ in $(seq 1 90); do
  token="$(curl -fsS "$BASE/api/auth/guest/refresh" | node -pe 'JSON.parse(require("fs").readFileSync(0)).backstageIdentity.token')"
  if curl -fsS -o /dev/null -H "Authorization: Bearer $token" \
    "$BASE/api/catalog/entities/by-name/component/default/devops-app"; then
    break
  fi
  sleep 2
done

log "Load: cached status vs catalog read of component:default/devops-app"
node bench/production-load.mjs "$BASE" component:default/devops-app "$REPLICA_PIDS" | tee "$OUT/result.md"
