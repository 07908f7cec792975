#!/usr/bin/env bash
# make demo: the seed quick start in each language named, one after another, against
# one local Everruns server (or against EVERRUNS_API_URL when EVERRUNS_API_KEY is set).
set -euo pipefail
cd "$(dirname "$0")/.."
langs=("$@")
[ ${#langs[@]} -gt 0 ] || langs=(python typescript rust)

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

say "Preparing the Python environment (python/.venv; the local server lives there)"
make --no-print-directory -C python install >/dev/null

server_pid=""
cleanup() { [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true; }
trap cleanup EXIT

if [ -z "${EVERRUNS_API_KEY:-}" ]; then
  ready=$(mktemp)
  python/.venv/bin/python -m everruns_sdk.testing --port 0 --json >"$ready" &
  server_pid=$!
  for _ in $(seq 1 100); do
    [ -s "$ready" ] && break
    kill -0 "$server_pid" 2>/dev/null || { echo "the local server did not start" >&2; exit 1; }
    sleep 0.1
  done
  line=$(head -n 1 "$ready"); rm -f "$ready"
  EVERRUNS_API_URL=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["url"])' "$line")
  EVERRUNS_API_KEY=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["api_key"])' "$line")
  export EVERRUNS_API_URL EVERRUNS_API_KEY
  say "No EVERRUNS_API_KEY: using a local Everruns server at $EVERRUNS_API_URL"
else
  say "Using ${EVERRUNS_API_URL:-https://app.everruns.com/api} (EVERRUNS_API_KEY is set)"
fi

for lang in "${langs[@]}"; do
  if [ ! -f "$lang/Makefile" ]; then
    echo "no SDK in $lang/ yet" >&2
    exit 1
  fi
  say "The quick start in $lang (a first run installs and builds it: a minute or two)"
  make --no-print-directory -C "$lang" demo
done
say "Done: the same turn from ${langs[*]}"
