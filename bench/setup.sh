#!/usr/bin/env bash
# setup.sh - installs what the benchmarks need beyond `make test`: Debian's PyTorch (the peer).
set -euo pipefail
missing=()
for pkg in python3-torch python3-numpy time; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "bench/setup.sh: installing ${missing[*]}"
DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
