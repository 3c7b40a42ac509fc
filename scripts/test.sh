#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (ctest). Exit status 0 = all passed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
(cd build && ctest --output-on-failure -j"$(nproc)")
# Hardening (docs/hardening.md): the unit-test programs again under ASan+UBSan, then each
# fuzz target for 60 s. The whole suite under ASan (scripts/sanitize.sh asan) is run by hand:
# with it CI would not fit in 30 minutes on 2 cores.
scripts/sanitize.sh asan-unit
scripts/fuzz.sh 60
