#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (ctest). Exit status 0 = all passed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
(cd build && ctest --output-on-failure -j"$(nproc)")
# Hardening (docs/hardening.md): each fuzz target for 60 s, built with ASan+UBSan. The test
# suite under ASan+UBSan (scripts/sanitize.sh asan or asan-unit) is run by hand: building it
# took 15 minutes on 2 cores, and CI must fit in 30.
scripts/fuzz.sh 60
