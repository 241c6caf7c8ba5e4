#!/usr/bin/env bash
# Installs the Debian packages the test suites need, when they are missing. Idempotent: a machine that has them
# is left alone. Run by .ci/run before the build, and before the README's test command.
#   redis-server: the Redis tests of posthog-spring-boot-autoconfigure start and stop their own redis-server
#                 processes on free loopback ports (flag definitions shared through Redis).
set -euo pipefail

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "== installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
# The package starts a system-wide redis on 6379; the tests never use it (they start their own on free ports).
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet redis-server 2>/dev/null; then
  $SUDO systemctl stop redis-server || true
fi
