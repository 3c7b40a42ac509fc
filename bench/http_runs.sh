#!/bin/bash
# searchd over HTTP on loopback with 1, 2, 8 and 64 connections, then /v1/suggest, with
# searchd's memory after warm-up and at its peak (docs/performance.md).
#
#   bench/http_runs.sh DB QUERIES [SECONDS]     (QUERIES: ../shared/peers' query file)
#
# Each run is bench/http_load with --format peers (all words, type filter, 10 hits with
# snippets and all facets, as bench/query_bench runs them in-process). Prints one line per run
# and RSS_after_warmup_kb= / RSS_peak_kb= (VmRSS after the warm-up run, VmHWM at the end).
# KEEP_ALIVE=1 keeps each client's connection open between requests (http_load --keep-alive).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
db=${1:?usage: http_runs.sh DB QUERIES [SECONDS]} queries=${2:?queries file} seconds=${3:-20}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$(mktemp)
"$build/searchd/searchd" --db "$db" --host 127.0.0.1 --port "$port" --web-root none --no-meili \
  > "$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$log"' EXIT
# searchd builds the vocabulary, suggestions and facet columns before it listens: a minute
# or more at 1,000,000 documents.
for _ in $(seq 1500); do
  curl -fs "http://127.0.0.1:$port/healthz" > /dev/null && break
  sleep 0.2
done
url="http://127.0.0.1:$port"
run() {  # label, then http_load arguments
  local label=$1; shift
  echo "$label $("$build/bench/http_load" --url "$url" --queries "$queries" ${KEEP_ALIVE:+--keep-alive} "$@" | tr '\n' ' ')"
}
run warmup --format peers --clients 2 --seconds "$seconds" > /dev/null
echo "RSS_after_warmup_kb=$(awk '/VmRSS/{print $2}' /proc/$pid/status)"
for clients in 1 2 8 64; do
  run "search clients=$clients" --format peers --clients "$clients" --seconds "$seconds"
done
run "suggest clients=1" --route suggest --clients 1 --seconds "$seconds"
run "suggest clients=64" --route suggest --clients 64 --seconds "$seconds"
echo "RSS_peak_kb=$(awk '/VmHWM/{print $2}' /proc/$pid/status)"
curl -fs "$url/metrics" | grep -E '^afori_searchd_derived_(builds_total|build_seconds) '
