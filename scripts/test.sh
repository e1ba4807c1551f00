#!/usr/bin/env bash
# The full test command: installs what the tests need, builds, starts PostgreSQL and Redis on
# loopback, and runs every suite, first on SQLite, then on PostgreSQL with Redis.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/system-deps.sh
npm ci --no-audit --no-fund
npm run typecheck
bash scripts/check-style.sh

eval "$(bash scripts/services.sh start)"
trap 'bash scripts/services.sh stop "$ABS_SERVICES_DIR"' EXIT
mkdir -p test-artifacts

echo "== suite on SQLite (memory counters)"
env -u TEST_POSTGRES_URL -u TEST_REDIS_URL npx vitest run \
  --reporter=default --reporter=json --outputFile.json=test-artifacts/vitest-sqlite.json

echo "== suite on PostgreSQL with Redis"
npx vitest run \
  --reporter=default --reporter=json --outputFile.json=test-artifacts/vitest-postgres.json

# One plain closing line for both passes together.
node -e '
  const runs = ["sqlite", "postgres"].map((n) => require(`./test-artifacts/vitest-${n}.json`));
  const sum = (key) => runs.reduce((total, run) => total + run[key], 0);
  console.log(`tests: ${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed`);
'
