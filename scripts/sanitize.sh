#!/usr/bin/env bash
# Sanitizer builds (docs/hardening.md): builds everything with AFORI_SANITIZE and runs tests.
#   scripts/sanitize.sh asan   ASan+UBSan (gcc) in build-asan/: the whole ctest suite except
#                              the node/npm tests (see docs/hardening.md), ctest -j"$(nproc)"
#   scripts/sanitize.sh asan-unit   the same build, only the unit-test programs (what CI runs)
#   scripts/sanitize.sh tsan   TSan (gcc) in build-tsan/: the concurrency tests (names with
#                              Concurrent, Rebuild, Pool or Refresher), with tests/tsan.supp
# Extra arguments go to ctest. Exit status 0 = built, and every test passed without a report.
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:?usage: scripts/sanitize.sh asan|asan-unit|tsan [ctest or gtest arguments]}"
shift
# The node/npm tests drive Chromium or the JS clients against the sanitized searchd; they test
# JavaScript and take minutes, and the C++ they reach is covered by the gtest suites.
node_tests='^(browser_|meili_npm_ci|meili_js_client|instantsearch_npm_ci)'
case "$kind" in
  asan)
    dir=build-asan sanitize=address,undefined
    export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    # The 20,000-document shard test indexes for minutes even without ASan; the normal run
    # has it.
    select=(-E "$node_tests|TwentyThousand")
    ;;
  asan-unit)
    # CI's share of the 30 minutes: the unit-test programs only (every module's own tests,
    # searchd's HTTP servers on loopback included), run directly rather than through ctest.
    dir=build-asan sanitize=address,undefined
    export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    programs=(common_tests corpus_tests stemming_tests indexer_tests searchd_tests openapi_tests)
    ;;
  tsan)
    dir=build-tsan sanitize=thread
    export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tests/tsan.supp"
    select=(-R 'Concurrent|Rebuild|Pool|Refresher' -E "$node_tests")
    ;;
  *) echo "usage: scripts/sanitize.sh asan|tsan [ctest arguments]" >&2; exit 2 ;;
esac
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAFORI_SANITIZE="$sanitize" \
  -DAFORI_BUILD_TESTS=ON -DAFORI_BUILD_BENCH=OFF >/dev/null
if [ "$kind" = asan-unit ]; then
  cmake --build "$dir" -j"$(nproc)" --target "${programs[@]}"
  for p in "${programs[@]}"; do
    echo "sanitize: $p under ASan+UBSan"
    "$dir/tests/$p" --gtest_brief=1 "$@"
  done
  exit 0
fi
cmake --build "$dir" -j"$(nproc)"
cd "$dir"
ctest --output-on-failure -j"$(nproc)" "${select[@]}" "$@"
