#!/usr/bin/env bash
# System packages Gulou Desk needs on Debian/Ubuntu: Qt's runtime libraries, CJK fonts,
# Xvfb for screenshots, HAProxy and PostgreSQL for the scale-out tests. Run as root
# (or with sudo). Safe to run again; --check only tells what is missing.
set -euo pipefail
packages=(
  python3 python3-venv python3-pip
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0
  libxcb-randr0 libxcb-render-util0 libxcb-image0
  fonts-noto-cjk xvfb xauth
  haproxy postgresql curl   # scale-out tests: load balancer, private database cluster
  xdotool                   # the bundle's smoke test (scripts/smoke-bundle.sh)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  [ "${1:-}" = --check ] || echo "system packages: all present"
  exit 0
fi
if [ "${1:-}" = --check ]; then  # only tell (./dev, without root)
  echo "missing system packages: ${missing[*]}" >&2
  exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
