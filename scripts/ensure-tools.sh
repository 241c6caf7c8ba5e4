#!/usr/bin/env bash
# Installs the Debian packages the test suites need, when they are missing. Idempotent: a machine that has them
# is left alone. Run by .ci/run before the build, and by the README's test command. Uses apt-get, through sudo
# when not root.
#   chromium, chromium-driver: the sample app's dashboard is tested in a real headless browser (Selenium).
#   curl:                      the AOT smoke test talks to the started sample app.
#   redis-server:              the Redis tests of posthog-spring-boot-autoconfigure start and stop their own
#                              redis-server processes on free loopback ports (flag definitions shared through Redis).
set -euo pipefail

# command -> Debian package that provides it
declare -A tools=(
  [chromium]=chromium
  [chromedriver]=chromium-driver
  [curl]=curl
  [redis-server]=redis-server
)

missing=()
for cmd in "${!tools[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${tools[$cmd]}")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "ensure-tools: ${!tools[*]} are installed"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-tools: missing ${missing[*]} and no apt-get on this machine: install them with your package manager" >&2
  exit 1
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "ensure-tools: missing ${missing[*]}; run as root or install sudo" >&2
    exit 1
  fi
  SUDO=(sudo)
fi

mapfile -t packages < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "== installing ${packages[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
for cmd in "${!tools[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || { echo "ensure-tools: $cmd still missing after the install" >&2; exit 1; }
done
# The redis-server package starts a system-wide redis on 6379; the tests never use it (they start their own on
# free ports).
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet redis-server 2>/dev/null; then
  "${SUDO[@]}" systemctl stop redis-server || true
fi
