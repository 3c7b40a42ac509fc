#!/bin/bash
# Side-by-side run with the peer engines of ../shared/peers (docs/performance.md): the same
# generated corpus and query file through Lucene, plain Xapian and PostgreSQL (their own
# harnesses), then through our indexer and bench/query_bench, then one table of ratios.
#
#   bench/compare_peers.sh WORK [N_DOCS]     (default 100000 documents, 1000 queries)
#
# Environment: ENGINES (peers to run, default "lucene xapian_raw postgres"; "" runs none and
# reuses WORK's earlier results), NQ, SEED, ROUNDS as in ../shared/peers/README.md, BUILD
# (our build directory, default build). Writes WORK/afori/{metrics,hits.tsv,strict_hits.tsv}
# and prints the table (bench/compare_peers.py). Needs the peers' Debian packages
# (liblucene8-java default-jdk-headless postgresql wswedish) and a build with benchmarks.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
peers=$(cd "$root/../shared/peers" && pwd)
work=${1:?usage: compare_peers.sh WORK [N_DOCS]}
n=${2:-100000}
build=${BUILD:-$root/build}
mkdir -p "$work"
work=$(cd "$work" && pwd)

if [ -n "${ENGINES-lucene xapian_raw postgres}" ]; then
  WORK="$work" ENGINES="${ENGINES-lucene xapian_raw postgres}" "$peers/run_all.sh" "$n" > "$work/peers.out"
else
  [ -f "$work/corpus.jsonl" ] || python3 "$peers/gen_corpus.py" --docs "$n" --seed "${SEED:-42}" \
    --out "$work/corpus.jsonl" 2> "$work/corpus.info"
  [ -f "$work/queries.tsv" ] || python3 "$peers/gen_corpus.py" --queries "${NQ:-1000}" \
    --seed "${SEED:-42}" --out "$work/queries.tsv"
fi

out="$work/afori"
rm -rf "$out" && mkdir -p "$out"
/usr/bin/time -v -o "$out/time_index.txt" "$build/indexer/indexer" build \
  --input "$work/corpus.jsonl" --db "$out/db" > "$out/index.log"
rounds=${ROUNDS:-3}
/usr/bin/time -v -o "$out/time_search.txt" "$build/bench/query_bench" --db "$out/db" \
  --queries "$work/queries.tsv" --rounds "$rounds" --hits-out "$out/hits.tsv" > "$out/search.log"
"$build/bench/query_bench" --db "$out/db" --queries "$work/queries.tsv" --rounds "$rounds" \
  --strict --hits-out "$out/strict_hits.tsv" | sed -n 's/^\(p50_us\|p95_us\|p99_us\|qps1\|qps2\)=/strict_&/p' \
  > "$out/strict.log"
{
  sed -n 's/^docs_per_s=/index_docs_per_s=/p' "$out/index.log"
  grep -E '^[a-z0-9_]+=' "$out/search.log" | grep -v '_rounds='
  cat "$out/strict.log"
  echo "index_bytes=$(du -sbL "$out/db" | cut -f1)"
  echo "rss_index_kb=$(awk -F': ' '/Maximum resident/{print $2}' "$out/time_index.txt")"
  echo "rss_search_kb=$(awk -F': ' '/Maximum resident/{print $2}' "$out/time_search.txt")"
} > "$out/metrics"
# WORK/afori/db stays for HTTP runs (bench/http_load); about 800 MB at 100,000 documents.
python3 "$here/compare_peers.py" "$work"
