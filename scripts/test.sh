#!/usr/bin/env bash
# The full test command: installs what the tests need, builds, starts PostgreSQL and Redis on
# loopback, and runs every suite, first on SQLite, then on PostgreSQL with Redis.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/system-deps.sh
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
npm run typecheck

eval "$(bash scripts/services.sh start)"
trap 'bash scripts/services.sh stop "$ABS_SERVICES_DIR"' EXIT

echo "== suite on SQLite (memory counters)"
env -u TEST_POSTGRES_URL -u TEST_REDIS_URL npx vitest run

echo "== suite on PostgreSQL with Redis"
npx vitest run
