#!/usr/bin/env bash
# `npm run bench`: the load benchmark of bench/README.md (not part of the test suite). Installs
# nothing: it needs only the npm dependencies already in node_modules. It seeds its own SQLite
# files (in $BENCH_DIR, default /tmp/abs-bench), starts every server it loads on 127.0.0.1 and
# stops them, and writes bench/results.md. BENCH_SCALE=small gives a quick run of the harness.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules/autocannon ] || [ ! -d node_modules/better-auth ]; then
  echo "bench: run 'npm ci' first (autocannon and better-auth are dev dependencies)" >&2
  exit 1
fi
echo "bench: $(nproc) cores, node $(node --version), load average $(cut -d' ' -f1-3 /proc/loadavg)"
exec node --import tsx bench/run.ts
