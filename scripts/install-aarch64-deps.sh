#!/usr/bin/env bash
# install-aarch64-deps.sh - what `make test-aarch64` needs: Debian's aarch64 cross compiler, qemu,
# the arm64 -dev packages through multiarch, and qemu registered for aarch64 executables.
# Idempotent and quiet when everything is there. Needs root (or sudo) for apt and binfmt_misc.
set -euo pipefail
cd "$(dirname "$0")/.."

# Host tools (cmake, redis-server for the queue tests) and the header-only packages, which are
# architecture-independent and serve the cross build as they are.
bash scripts/install-deps.sh

host_packages=(g++-aarch64-linux-gnu qemu-user-static)
# GoogleTest comes prebuilt for arm64 in libgtest-dev:arm64 (Multi-Arch: same, so it installs
# beside the amd64 one); apt keeps both architectures of each package at one version.
arm64_packages=(libhiredis-dev libsqlite3-dev libcpp-httplib-dev libgtest-dev libgmock-dev)

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-aarch64-deps: need root or sudo" >&2; exit 1; }
  sudo="sudo"
fi

missing=()
for pkg in "${host_packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
for pkg in "${arm64_packages[@]}"; do
  dpkg -s "$pkg:arm64" >/dev/null 2>&1 || missing+=("$pkg:arm64")
done

if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    echo "install-aarch64-deps: adding the arm64 architecture to dpkg"
    $sudo dpkg --add-architecture arm64
  fi
  echo "install-aarch64-deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Tests start the aarch64 `dlaaw` binary as a child process; the kernel runs it through qemu
# only when binfmt_misc knows the aarch64 ELF header. Debian's qemu-user-static ships the entry
# for systemd-binfmt, which a container without systemd never loads: load it here.
binfmt=/proc/sys/fs/binfmt_misc
if [ ! -e "$binfmt/register" ]; then
  $sudo mount -t binfmt_misc binfmt_misc "$binfmt" || {
    echo "install-aarch64-deps: cannot mount binfmt_misc; tests that start dlaaw will fail" >&2
    exit 1
  }
fi
if [ ! -e "$binfmt/qemu-aarch64" ]; then
  entry=/usr/lib/binfmt.d/qemu-aarch64.conf
  [ -r "$entry" ] || { echo "install-aarch64-deps: $entry missing (qemu-user-static?)" >&2; exit 1; }
  echo "install-aarch64-deps: registering qemu for aarch64 executables (binfmt_misc)"
  grep -v '^#' "$entry" | $sudo tee "$binfmt/register" >/dev/null
fi
