# shellcheck shell=bash
# Starts the local AWS sandbox and the portal (app dev server on :3000,
# backend on :7007; or the backend serving the built app) in the background,
# each in its own process group, and stops them all on exit. Used by
# scripts/start and by the browser tests in scripts/test.

PORTAL_PIDS=()

# The plugins see only ordinary AWS SDK settings; these point them at the
# sandbox. Against real AWS, leave AWS_ENDPOINT_URL unset (README, "Real AWS").
use_sandbox_endpoint() {
  export AWS_SANDBOX_PORT="${AWS_SANDBOX_PORT:-4566}"
  export AWS_ENDPOINT_URL="http://127.0.0.1:$AWS_SANDBOX_PORT"
  export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-sandbox}"
  export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-sandbox}"
  export AWS_REGION="${AWS_REGION:-us-east-1}"
}

stop_portal() {
  local pid
  for pid in "${PORTAL_PIDS[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || true
  done
  for pid in "${PORTAL_PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  PORTAL_PIDS=()
}

# start_in_group LOGFILE CMD...: runs CMD in a new process group so that the
# whole tree (yarn, backstage-cli, node) can be stopped at once.
start_in_group() {
  local logfile="$1"; shift
  if [ -n "$logfile" ]; then
    setsid bash -c 'cd "$0" && exec "$@"' "$ROOT" "$@" >"$logfile" 2>&1 &
  else
    setsid bash -c 'cd "$0" && exec "$@"' "$ROOT" "$@" &
  fi
  PORTAL_PIDS+=("$!")
}

wait_for_url() {
  local url="$1" what="$2" seconds="${3:-180}" i
  for i in $(seq 1 "$seconds"); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then return 0; fi
    sleep 1
  done
  echo "error: $what did not answer on $url within ${seconds}s" >&2
  return 1
}

# start_sandbox STATE_FILE LOGFILE
start_sandbox() {
  use_sandbox_endpoint
  start_in_group "$2" yarn sandbox --port "$AWS_SANDBOX_PORT" --state-file "$1"
  wait_for_url "$AWS_ENDPOINT_URL/_sandbox/health" "the AWS sandbox" 60
}

# start_portal LOGFILE [extra backstage-cli args...]
start_portal() {
  local logfile="$1"; shift
  start_in_group "$logfile" yarn start "$@"
  wait_for_url "http://localhost:7007/.backstage/health/v1/readiness" "the backend" 240
  wait_for_url "http://localhost:3000" "the app" 240
}

# start_portal_built LOGFILE: the backend alone, in development mode as
# start_portal runs it, serving the app's production build (packages/app/dist,
# made by build_production) on :7007 instead of the dev server on :3000. In
# Chromium a page of the built app loads in a quarter of the time: its
# first scripts are 2.5 MB, the dev server's 58 MB.
start_portal_built() {
  export APP_CONFIG_app_baseUrl="http://localhost:7007"
  start_in_group "$1" yarn workspace backend start
  wait_for_url "http://localhost:7007/.backstage/health/v1/readiness" "the backend" 240
  wait_for_url "http://localhost:7007/catalog" "the built app" 60
}
