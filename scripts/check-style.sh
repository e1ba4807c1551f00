#!/usr/bin/env bash
# Fails when a TypeScript file is not as prettier writes it, or when any source line is wider
# than 100 characters (prettier leaves long strings and comments alone).
set -euo pipefail
cd "$(dirname "$0")/.."
wide=$(git ls-files -co --exclude-standard -- 'src' 'test' 'web' 'bench' 'scripts' 'bin' \
  | grep -E '\.(ts|mjs|js|sh|css)$' | while read -r f; do [ -f "$f" ] && echo "$f"; done \
  | xargs -r awk 'length($0) > 100 { print FILENAME ":" FNR }')
if [ -n "$wide" ]; then
  echo "lines wider than 100 characters:"
  echo "$wide"
  exit 1
fi
npx prettier --check --log-level warn 'src/**/*.ts' 'test/**/*.ts' 'web/src/**/*.ts' 'bench/**/*.ts'
