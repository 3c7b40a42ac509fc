#!/usr/bin/env bash
# Runs the engine on the shipped corpus: installs what is missing, builds, indexes corpus/data
# into var/index and serves it with searchd (Ctrl-C stops it).
#   HOST=127.0.0.1 PORT=8080 scripts/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
mkdir -p var
build/indexer/indexer build --input corpus/data --db var/index
echo "Search page: http://${HOST:-127.0.0.1}:${PORT:-8080}/"
echo "API:         curl 'http://${HOST:-127.0.0.1}:${PORT:-8080}/v1/search?q=upphandling'"
exec build/searchd/searchd --db var/index --host "${HOST:-127.0.0.1}" --port "${PORT:-8080}"
