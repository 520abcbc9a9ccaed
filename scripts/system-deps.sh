#!/usr/bin/env bash
# Installs the Debian packages some tests need, when they are missing:
#   chromium      headless browser tests (report page, browser example), driven by playwright-core
#   redis-server  the job-queue tests (BullMQ) start their own redis-server on loopback
# Needs root (or sudo) and Debian's package index; does nothing when all are present.
#
#   bash scripts/system-deps.sh
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "system-deps: installing ${missing[*]} (apt-get)" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
  $sudo apt-get update >/dev/null 2>&1
  $sudo apt-get install -y --no-install-recommends "${missing[@]}" >&2
}
