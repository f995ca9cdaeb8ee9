# shellcheck shell=bash
# Browser tests run in Debian's Chromium (Playwright's own download cannot
# work on our machines); installs it with apt-get when it is missing.
ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then return 0; fi
  log "Installing Debian's Chromium for the browser tests (apt-get)"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
}
