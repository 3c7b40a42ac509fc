#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (ctest). Exit status 0 = all passed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
(cd build && ctest --output-on-failure -j"$(nproc)")
# Hardening (docs/hardening.md): the suite again under ASan+UBSan, then each fuzz target 60 s.
scripts/sanitize.sh asan
scripts/fuzz.sh 60
