#!/usr/bin/env bash
# Checks that `yarn changeset version` works offline on what is committed:
# runs it in a scratch worktree of HEAD (sharing node_modules) and checks
# that every pending changeset became version bumps and CHANGELOG entries
# of published packages only. The repository itself is left untouched.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/envplane-changesets.XXXXXX")"
trap 'git -C "$ROOT" worktree remove --force "$SCRATCH/repo" >/dev/null 2>&1 || true; rm -rf "$SCRATCH"' EXIT

git -C "$ROOT" worktree add --quiet --detach "$SCRATCH/repo" HEAD
cd "$SCRATCH/repo"
ln -s "$ROOT/node_modules" node_modules
pending="$(find .changeset -name '*.md' ! -name README.md | wc -l)"
node "$ROOT/node_modules/@changesets/cli/bin.js" version >"$SCRATCH/version.log" 2>&1 ||
  { cat "$SCRATCH/version.log"; exit 1; }
changed="$(git status --porcelain -- '*/package.json' | awk '{print $2}')"
for file in $changed; do
  if node -e 'process.exit(require(process.argv[1]).private ? 0 : 1)' "./$file"; then
    echo "changeset version changed the private $file" >&2; exit 1
  fi
done
if [ "$pending" -gt 0 ] && [ -z "$changed" ]; then
  echo "$pending pending changesets but no package was versioned" >&2; exit 1
fi
echo "changeset version: $pending pending changesets, $(echo "$changed" | grep -c . || true) packages versioned"
