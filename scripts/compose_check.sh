#!/usr/bin/env bash
# Validate docker-compose.yml with whichever compose client exists; install Debian's when root.
set -euo pipefail
if command -v docker-compose >/dev/null 2>&1; then
  exec docker-compose -f docker-compose.yml config -q
fi
if docker compose version >/dev/null 2>&1; then
  exec docker compose -f docker-compose.yml config -q
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get install -y -qq docker-compose >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq docker-compose >/dev/null; })
  exec docker-compose -f docker-compose.yml config -q
fi
echo "error: no compose client to validate docker-compose.yml; install docker-compose (Debian: apt-get install docker-compose)" >&2
exit 2
