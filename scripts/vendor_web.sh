#!/usr/bin/env bash
# Copy the page's JS libraries from npm into api/static/vendor/ so the page needs no CDN.
# Runs `npm ci` only when web/node_modules is missing or older than the lock file.
# Usage: scripts/vendor_web.sh [--check]   (--check: only report whether the vendored files are current)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
web="$root/web"
src="$web/node_modules/cytoscape/dist/cytoscape.min.js"
dest_dir="$root/api/static/vendor"
dest="$dest_dir/cytoscape.min.js"

if [ "${1:-}" = "--check" ]; then
  if [ -f "$dest" ] && [ -f "$src" ] && cmp -s "$src" "$dest"; then exit 0; fi
  echo "api/static/vendor/cytoscape.min.js is missing or stale: run scripts/vendor_web.sh" >&2
  exit 1
fi

stamp="$web/node_modules/.package-lock.json"
if [ ! -f "$src" ] || [ ! -f "$stamp" ] || [ "$web/package-lock.json" -nt "$stamp" ]; then
  command -v npm >/dev/null || {
    echo "error: npm is needed once to fetch Cytoscape.js (Debian: apt-get install npm)" >&2
    exit 2
  }
  npm ci --prefix "$web" --no-audit --no-fund --loglevel=error
fi
mkdir -p "$dest_dir"
if ! cmp -s "$src" "$dest" 2>/dev/null; then
  cp "$src" "$dest"
  version="$(node -p "require('$web/node_modules/cytoscape/package.json').version" 2>/dev/null || echo '?')"
  echo "vendored cytoscape $version -> api/static/vendor/cytoscape.min.js"
fi
touch "$dest"  # newer than web/package-lock.json: make's file target is satisfied
