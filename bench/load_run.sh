#!/usr/bin/env bash
# Load run against a real searchd while the index changes every second (docs/hardening.md):
# wrk with CONNECTIONS connections for SECONDS over a mix of search-box queries, Meilisearch
# searches and suggestions; meanwhile one document is PUT through the admin API every second.
# Prints wrk's latency distribution, the error counts, the admin writes, and searchd's RSS
# sampled every 5 s. Fails if any response was 5xx, any socket error occurred or a write
# was refused.
#
#   bench/load_run.sh [SECONDS=60] [CONNECTIONS=64] [THREADS=2]
#   SEARCHD_WRAPPER="heaptrack -o /tmp/soak" bench/load_run.sh 240   # searchd under heaptrack
# (with a wrapper, the RSS samples are the wrapper's process, not searchd's)
#
# Needs build/ (scripts/build.sh) and wrk (installed from Debian if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
connections=${2:-64}
wrk_threads=${3:-2}
if ! command -v wrk >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/afori-load-XXXXXX")
cleanup() {
  # searchd itself first when it runs under a wrapper, so the wrapper can finish its report.
  [ -n "${searchd_pid:-}" ] && { pkill -TERM -P "$searchd_pid" 2>/dev/null || true; }
  [ -n "${searchd_pid:-}" ] && kill "$searchd_pid" 2>/dev/null && wait "$searchd_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

build/indexer/indexer build --input corpus/data --db "$work/index" >/dev/null
token="load-run-token-$(date +%s%N)"
echo "$token" > "$work/token"
${SEARCHD_WRAPPER:-} build/searchd/searchd --db "$work/index" --port 0 --admin-port 0 --admin-token-file "$work/token" \
  --web-root none --today 2026-12-01 > "$work/searchd.log" 2>&1 &
searchd_pid=$!
for _ in $(seq 100); do
  grep -q "admin API on" "$work/searchd.log" && break
  sleep 0.1
done
port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/searchd.log")
admin=$(sed -n 's|.*admin API on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/searchd.log")

cat > "$work/mix.lua" <<'LUA'
-- Requests a site's visitors and clients send, round robin.
local paths = {
  "/v1/search?q=innovationsupphandling",
  "/v1/search?q=upphandling&type=funding&status=open",
  "/v1/search?q=energi%20effektivisering&theme=Energi",
  "/v1/search?q=",
  "/v1/search?q=matsvin&as_you_type=1",
  "/v1/search?q=marknadsdialg",
  "/v1/search?q=LOU&sort=newest&page=2",
  "/v1/suggest?q=inno",
  "/v1/suggest?q=cirk",
  "/indexes/kunskapsbank/search?q=cirkul%C3%A4r&facets=themes,type",
  "/v1/facets?facet=region&facet_query=v%C3%A4st",
  "/v1/documents/exempel-adalsviken-anropsstyrd-trafik",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
local errors5xx = 0
response = function(status, headers, body)
  if status >= 500 then errors5xx = errors5xx + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("requests=%d\n", summary.requests))
  io.write(string.format("errors_connect=%d errors_read=%d errors_write=%d errors_timeout=%d errors_status=%d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    summary.errors.status))
  for _, p in ipairs({50, 95, 99, 99.9}) do
    io.write(string.format("p%s_ms=%.2f\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("max_ms=%.2f\n", latency.max / 1000))
end
LUA

# One document changed every second through the admin API, as an editor would.
doc=corpus/data/cases/exempel-adalsviken-anropsstyrd-trafik.json
( writes=0; refused=0
  end=$((SECONDS + seconds))
  while [ $SECONDS -lt $end ]; do
    body=$(sed "s|\"title\": \"|\"title\": \"[$writes] |" "$doc")
    code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' --data-binary "$body" \
      "http://127.0.0.1:$admin/v1/documents/exempel-adalsviken-anropsstyrd-trafik")
    if [ "$code" = 200 ] || [ "$code" = 201 ]; then writes=$((writes + 1)); else refused=$((refused + 1)); fi
    sleep 1
  done
  echo "admin_writes=$writes admin_refused=$refused" > "$work/writes"
) &
writer=$!
( while kill -0 "$searchd_pid" 2>/dev/null; do
    echo "rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$searchd_pid/status) threads=$(awk '/Threads/ {print $2}' /proc/$searchd_pid/status)"
    sleep 5
  done ) > "$work/rss" &
sampler=$!

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%FT%TZ)"
echo "command: bench/load_run.sh $seconds $connections $wrk_threads"
wrk -t"$wrk_threads" -c"$connections" -d"${seconds}s" --latency -s "$work/mix.lua" \
  "http://127.0.0.1:$port" | tee "$work/wrk.out"
wait "$writer"
kill "$sampler" 2>/dev/null || true
cat "$work/writes"
echo "rss samples (every 5 s):"
cat "$work/rss"
revision=$(curl -s "http://127.0.0.1:$port/healthz")
echo "healthz after: $revision"
status=0
grep -q "errors_status=0" "$work/wrk.out" || true
if grep -q "Non-2xx or 3xx responses" "$work/wrk.out"; then
  echo "load_run: some responses were not 2xx/3xx" >&2; status=1
fi
if grep -q "Socket errors" "$work/wrk.out"; then
  echo "load_run: socket errors" >&2; status=1
fi
grep -q "admin_refused=0" "$work/writes" || { echo "load_run: admin writes refused" >&2; status=1; }
exit $status
