# shellcheck shell=bash
# Contract tests with real AWS clients (packages/aws-sandbox/src/cliContract):
# the AWS CLI v2 and the AWS CDK CLI, each against its own in-process
# sandbox on a random port. They are not unit tests (they need the CLIs and
# take a minute each), so `yarn backstage-cli repo test` leaves them out and
# scripts/test runs them as steps of their own.

AWS_CLI=/usr/bin/aws

# The AWS CLI v2 is Debian's awscli package (2.9 on bookworm), installed with
# apt-get when missing, as Chromium is. Another `aws` on PATH (a pyenv shim
# for v1, say) is never used: the tests call /usr/bin/aws.
ensure_awscli() {
  if [ -x "$AWS_CLI" ] && "$AWS_CLI" --version 2>/dev/null | grep -q '^aws-cli/2\.'; then
    return 0
  fi
  log "Installing Debian's AWS CLI v2 for the CLI contract tests (apt-get)"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq awscli >/dev/null
  "$AWS_CLI" --version 2>/dev/null | grep -q '^aws-cli/2\.'
}

# run_cli_contract NAME FILE OUTDIR: one contract file (relative to
# packages/aws-sandbox) with its Jest JSON report in OUTDIR/NAME.json, its
# output in OUTDIR/NAME.log and its wall time in seconds in OUTDIR/NAME.secs.
run_cli_contract() {
  local name="$1" file="$2" out="$3" start=$SECONDS
  mkdir -p "$out"
  (
    cd "$ROOT/packages/aws-sandbox" &&
      CI=true yarn backstage-cli package test --testPathIgnorePatterns /node_modules/ \
        --runTestsByPath "$file" --json --outputFile="$out/$name.json"
  ) >"$out/$name.log" 2>&1 || true
  echo $((SECONDS - start)) >"$out/$name.secs"
}
