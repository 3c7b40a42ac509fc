#!/usr/bin/env bash
# Configures build-asan/ (docs/hardening.md): clang 14 with AddressSanitizer, UBSan and
# libFuzzer's coverage instrumentation on every target (-DAFORI_FUZZ=ON), tests included,
# benchmarks not. One build serves the fuzz targets (scripts/fuzz.sh) and the test suite
# under the sanitizers (scripts/sanitize.sh asan, asan-unit): the libraries compile once.
set -euo pipefail
cd "$(dirname "$0")/.."
CC=clang CXX=clang++ cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DAFORI_FUZZ=ON -DAFORI_BUILD_TESTS=ON -DAFORI_BUILD_BENCH=OFF >/dev/null
