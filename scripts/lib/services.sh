# shellcheck shell=bash
# Finds the PostgreSQL and Redis that the project's machines run on
# 127.0.0.1 and exports the variables through which @backstage/backend-test-utils
# (TestDatabases, TestCaches) and our own tests use them instead of Docker.
# When one is missing, tests for it are skipped, and this says so; with
# AWS_ENV_REQUIRE_SERVICES=1 (set by .ci/run) a missing one is an error, so
# CI never skips silently.

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && exec 3>&- 3<&-; }

SERVICES_SKIPPED=()

detect_services() {
  export BACKSTAGE_TEST_DISABLE_DOCKER=1
  if port_open 5432; then
    export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-postgresql://postgres@127.0.0.1:5432}"
    export AWS_ENV_TEST_POSTGRES=1
  else
    SERVICES_SKIPPED+=("PostgreSQL tests: nothing answers on 127.0.0.1:5432")
  fi
  if port_open 6379; then
    export BACKSTAGE_TEST_CACHE_REDIS7_CONNECTION_STRING="${BACKSTAGE_TEST_CACHE_REDIS7_CONNECTION_STRING:-redis://127.0.0.1:6379}"
    export AWS_ENV_TEST_REDIS=1
  else
    SERVICES_SKIPPED+=("Redis tests: nothing answers on 127.0.0.1:6379")
  fi
  local s
  for s in "${SERVICES_SKIPPED[@]}"; do
    if [ "${AWS_ENV_REQUIRE_SERVICES:-}" = "1" ]; then
      echo "error: AWS_ENV_REQUIRE_SERVICES=1 but $s" >&2
      return 1
    fi
    echo "skipping $s"
  done
}
