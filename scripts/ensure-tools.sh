#!/usr/bin/env bash
# Installs the system tools the tests need when they are missing, and does nothing when they are there
# (idempotent; safe to run before every build). Debian/Ubuntu only: uses apt-get, through sudo when not root.
#
# Today: chromium and chromium-driver (the sample app's dashboard is tested in a real headless browser),
# curl (the AOT smoke test of .ci/run talks to the started app).
set -euo pipefail

# command -> Debian package that provides it
declare -A tools=(
  [chromium]=chromium
  [chromedriver]=chromium-driver
  [curl]=curl
)

missing=()
for cmd in "${!tools[@]}"; do
  if ! command -v "$cmd" >/dev/null 2>&1; then
    missing+=("${tools[$cmd]}")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "ensure-tools: chromium, chromedriver and curl are installed"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-tools: missing ${missing[*]} and no apt-get on this machine: install them with your package manager" >&2
  exit 1
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "ensure-tools: missing ${missing[*]}; run as root or install sudo" >&2
    exit 1
  fi
fi

# Sorted and de-duplicated, so that the message is stable.
mapfile -t packages < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "ensure-tools: installing ${packages[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
for cmd in "${!tools[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || { echo "ensure-tools: $cmd still missing after the install" >&2; exit 1; }
done
echo "ensure-tools: installed ${packages[*]}"
