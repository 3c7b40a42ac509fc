#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz, docs/hardening.md) with clang into build-asan/
# and runs each for SECONDS (default 60), as many at once as there are cores, starting from a copy of its seed corpus
# tests/fuzz/corpus/<target>/ (the committed corpus is never written). Exit status 0 = no
# target found a crash, a sanitizer report or a broken invariant; otherwise the crashing
# inputs are kept and their paths printed.
#   scripts/fuzz.sh [SECONDS]        all targets
#   FUZZ_TARGETS="query_fuzz" scripts/fuzz.sh 600
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
targets=(${FUZZ_TARGETS:-document_fuzz query_fuzz http_params_fuzz meili_filter_fuzz})

scripts/configure-asan.sh
cmake --build build-asan -j"$(nproc)" --target fuzz_targets

work="$(mktemp -d "${TMPDIR:-/tmp}/afori-fuzz-run-XXXXXX")"
# One target per core at a time.
run_one() {
  local t="$1"
  mkdir -p "$work/$t/corpus" "$work/$t/artifacts"
  cp -R "tests/fuzz/corpus/$t/." "$work/$t/corpus/"
  local dict=()
  [ -f "tests/fuzz/$t.dict" ] && dict=(-dict="tests/fuzz/$t.dict")
  # New inputs go to the temporary corpus; crashes, leaks and timeouts to artifacts/.
  if "build-asan/tests/fuzz/$t" "${dict[@]}" -max_total_time="$seconds" -timeout=10 \
       -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/$t/artifacts/" \
       "$work/$t/corpus" >"$work/$t/log" 2>&1; then
    touch "$work/$t/passed"
  fi
}
pending=("${targets[@]}")
while [ ${#pending[@]} -gt 0 ]; do
  batch=("${pending[@]:0:$(nproc)}")
  pending=("${pending[@]:$(nproc)}")
  for t in "${batch[@]}"; do
    echo "fuzz: $t for ${seconds}s"
    run_one "$t" &
  done
  wait
done
failed=()
for t in "${targets[@]}"; do
  if [ -f "$work/$t/passed" ]; then
    grep -E "^stat::(number_of_executed_units|new_units_added)|^#[0-9]+.*DONE" "$work/$t/log" | \
      sed "s/^/fuzz: $t: /" || true
    rm -rf "$work/$t"
  else
    failed+=("$t")
    tail -n 60 "$work/$t/log"
    echo "fuzz: $t FAILED; inputs in $work/$t/artifacts/, log $work/$t/log"
  fi
done
if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz: failures in ${failed[*]} (kept in $work)"
  exit 1
fi
rm -rf "$work"
echo "fuzz: ${#targets[@]} targets ran ${seconds}s each without findings"
