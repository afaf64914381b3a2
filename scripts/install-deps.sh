#!/usr/bin/env bash
# install-deps.sh - installs the Debian packages dlaaw builds and tests with; quiet when all are there.
# Idempotent: it asks apt only for what `dpkg -s` does not already report as installed. Extra
# package names given as arguments are installed too (`make fuzz` adds clang's).
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  nlohmann-json3-dev libgtest-dev libgmock-dev libcli11-dev
  libhiredis-dev redis-server libsqlite3-dev libcpp-httplib-dev
  chromium  # the report's browser test
)
packages+=("$@")

# Once arm64 packages sit beside the native ones (make test-aarch64), a bare name such as
# libgtest-dev is ambiguous to dpkg: then ask for the native architecture's.
installed() {
  dpkg -s "$1" >/dev/null 2>&1 || dpkg -s "$1:$(dpkg --print-architecture)" >/dev/null 2>&1
}

missing=()
for pkg in "${packages[@]}"; do
  installed "$pkg" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
