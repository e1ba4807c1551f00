#!/usr/bin/env bash
# Installs the Debian packages the test suite runs against, when they are missing:
# PostgreSQL and Redis servers, Chromium for the dashboard tests, and httpx for the spec's
# Python client.
set -euo pipefail

missing=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
  || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v chromium >/dev/null || missing+=(chromium)
# Fonts for readable screenshots of the dashboard tests; the tests themselves do not need them.
[ -d /usr/share/fonts/truetype/liberation ] || missing+=(fonts-liberation)
/usr/bin/python3 -c 'import httpx' 2>/dev/null || missing+=(python3-httpx)
command -v curl >/dev/null || missing+=(curl)

if [ ${#missing[@]} -gt 0 ]; then
  echo "system-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
