#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (ctest). Exit status 0 = all passed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
(cd build && ctest --output-on-failure -j"$(nproc)")
# Hardening (docs/hardening.md), in one clang build with ASan+UBSan+LeakSanitizer: every
# module's unit tests, then each fuzz target for 60 s. The end-to-end tests under the
# sanitizers (scripts/sanitize.sh asan, 6 more minutes) are run by hand: CI must fit in 30.
scripts/sanitize.sh asan-unit
scripts/fuzz.sh 60
