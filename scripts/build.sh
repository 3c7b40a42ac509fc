#!/usr/bin/env bash
# Configures and builds afori-search into build/ (warnings are errors here).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAFORI_WERROR=ON -DAFORI_BUILD_TESTS=ON -DAFORI_BUILD_BENCH=ON >/dev/null
cmake --build build -j"$(nproc)"
