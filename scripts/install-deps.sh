#!/usr/bin/env bash
# Installs the Debian 12 packages afori-search builds and tests with, if any is missing.
set -euo pipefail
packages=(cmake g++ make pkg-config curl libxapian-dev libcpp-httplib-dev nlohmann-json3-dev
          libgtest-dev libgmock-dev libbenchmark-dev wswedish xapian-tools
          chromium chromium-driver  # the search page's browser test (tests/browser/)
          clang libclang-rt-14-dev)  # the libFuzzer targets (tests/fuzz/, scripts/fuzz.sh)
# Node.js and npm run that test; a machine may have them from outside Debian's archive (its
# own nodejs package, which bundles npm), and Debian's npm would conflict with that.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
