#!/bin/bash
# One commit under load (docs/performance.md): a suggest client and a search client, each on
# one kept-open connection, run against searchd for SECONDS while `indexer update` commits
# UPDATE (a JSONL file) to the index after 15 s. Prints when the update's titles are first
# suggested, both clients' figures, and searchd's derived-state metrics.
#
#   bench/commit_during_load.sh DB QUERIES UPDATE [SECONDS] [PROBE]
#
# PROBE (default "kvantdator") is a /v1/suggest query that finds the update's titles.
# The index at DB is changed by the update. BUILD as in http_runs.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
db=${1:?usage: commit_during_load.sh DB QUERIES UPDATE [SECONDS] [PROBE]}
queries=${2:?queries file} update=${3:?JSONL file to commit} seconds=${4:-120}
probe=${5:-kvantdator}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
work=$(mktemp -d)
"$build/searchd/searchd" --db "$db" --host 127.0.0.1 --port "$port" --web-root none --no-meili \
  > "$work/searchd.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
url="http://127.0.0.1:$port"
for _ in $(seq 1500); do  # searchd builds its derived state before it listens
  curl -fs "$url/healthz" > /dev/null && break
  sleep 0.2
done
"$build/bench/http_load" --url "$url" --queries "$queries" --route suggest --clients 1 \
  --seconds "$seconds" --keep-alive > "$work/suggest.txt" &
suggest=$!
"$build/bench/http_load" --url "$url" --queries "$queries" --format peers --clients 1 \
  --seconds "$seconds" --keep-alive > "$work/search.txt" &
search=$!
sleep 15
committed=$(date +%s.%N)
"$build/indexer/indexer" update --input "$update" --db "$db" | head -1
while kill -0 $suggest 2>/dev/null; do
  if curl -fs "$url/v1/suggest?q=$probe" | grep -q '"kind":"title"'; then
    echo "suggested_after_s=$(python3 -c "import time; print(round(time.time() - $committed, 2))")"
    break
  fi
  sleep 0.5
done
wait $suggest $search
echo "suggest $(tr '\n' ' ' < "$work/suggest.txt")"
echo "search $(tr '\n' ' ' < "$work/search.txt")"
curl -fs "$url/metrics" | grep -E '^afori_searchd_derived_'
