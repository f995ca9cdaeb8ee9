#!/usr/bin/env bash
# The public API of every published package, as API Extractor reports it
# (report.api.md, report-alpha.api.md). `yarn build:api-reports` rewrites the
# reports; scripts/test runs it with --ci, which fails when one differs.
#
# Always from a fresh compile: TypeScript orders the members of some
# inferred unions by when it first met them, which differs between a fresh
# and an incremental build, and the reports print them. The tsc step of
# scripts/test is that fresh compile, so it passes --no-tsc.
# ae-wrong-input-file-type is omitted as Backstage's own repository does:
# packages point "types" at src/index.ts, so API Extractor meets one
# package's sources through another's declarations.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
args=()
compile=1
for arg in "$@"; do
  case "$arg" in
    --no-tsc) compile=0 ;;
    *) args+=("$arg") ;;
  esac
done
if [ "$compile" = 1 ]; then
  rm -rf dist-types
  yarn tsc
fi
mapfile -t published < <(node scripts/lib/published-packages.mjs)
exec yarn backstage-repo-tools api-reports --validate-release-tags \
  -o ae-wrong-input-file-type "${args[@]}" "${published[@]}"
