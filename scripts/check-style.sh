#!/usr/bin/env bash
# Fails when a source line is wider than 100 characters (the project's one formatting rule that
# tools do not already enforce).
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
