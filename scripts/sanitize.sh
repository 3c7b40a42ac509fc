#!/usr/bin/env bash
# Sanitizer builds (docs/hardening.md): builds everything instrumented and runs tests.
#   scripts/sanitize.sh asan        ASan+UBSan+LeakSanitizer (clang, build-asan/, configured by
#                                   scripts/configure-asan.sh and shared with the fuzz
#                                   targets): the whole ctest suite but the node/npm tests
#   scripts/sanitize.sh asan-unit   the same build, only the unit-test programs (what CI runs)
#   scripts/sanitize.sh tsan        TSan (gcc) in build-tsan/: the concurrency tests (names with
#                                   Concurrent, Rebuild, Pool or Refresher), with tests/tsan.supp
# Extra arguments go to ctest (asan, tsan) or to each gtest program (asan-unit). Exit status
# 0 = built, and every test passed without a report.
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:?usage: scripts/sanitize.sh asan|asan-unit|tsan [ctest or gtest arguments]}"
shift
# The node/npm tests drive Chromium or the JS clients against the sanitized searchd; they test
# JavaScript and take minutes, and the C++ they reach is covered by the gtest suites.
node_tests='^(browser_|meili_npm_ci|meili_js_client|instantsearch_npm_ci)'
# Inherited by the indexer and searchd processes the end-to-end tests start, so a report in
# them aborts them and fails the test.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
case "$kind" in
  asan|asan-unit)
    scripts/configure-asan.sh
    dir=build-asan
    ;;
  tsan)
    dir=build-tsan
    export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tests/tsan.supp"
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAFORI_SANITIZE=thread \
      -DAFORI_BUILD_TESTS=ON -DAFORI_BUILD_BENCH=OFF >/dev/null
    ;;
  *) echo "usage: scripts/sanitize.sh asan|asan-unit|tsan [ctest or gtest arguments]" >&2; exit 2 ;;
esac
if [ "$kind" = asan-unit ]; then
  # CI's share of the 30 minutes: every module's own tests (searchd's HTTP servers on
  # loopback included), run directly rather than through ctest.
  programs=(common_tests corpus_tests stemming_tests indexer_tests searchd_tests openapi_tests)
  cmake --build "$dir" -j"$(nproc)" --target "${programs[@]}"
  for p in "${programs[@]}"; do
    echo "sanitize: $p under ASan+UBSan"
    "$dir/tests/$p" --gtest_brief=1 "$@"
  done
  exit 0
fi
cmake --build "$dir" -j"$(nproc)"
cd "$dir"
if [ "$kind" = asan ]; then
  ctest --output-on-failure -j"$(nproc)" -E "$node_tests" "$@"
else
  ctest --output-on-failure -j"$(nproc)" -R 'Concurrent|Rebuild|Pool|Refresher' -E "$node_tests" "$@"
fi
