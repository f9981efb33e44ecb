#!/usr/bin/env bash
# Copy the browser libraries from npm into api/static/vendor/ so no page needs a CDN:
# Cytoscape.js for the path explorer (/), GraphiQL with React for /graphql in a browser.
# Also installs axe-core (a devDependency the browser tests inject; never served).
# Runs `npm ci` only when web/node_modules is missing or older than the lock file.
# Usage: scripts/vendor_web.sh [--check]   (--check: only report whether the vendored files are current)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
web="$root/web"
modules="$web/node_modules"
dest_dir="$root/api/static/vendor"
# npm file (under web/node_modules) -> name under api/static/vendor
files=(
  "cytoscape/dist/cytoscape.min.js:cytoscape.min.js"
  "react/umd/react.production.min.js:react.production.min.js"
  "react-dom/umd/react-dom.production.min.js:react-dom.production.min.js"
  "graphiql/graphiql.min.js:graphiql.min.js"
  "graphiql/graphiql.min.css:graphiql.min.css"
)
# The Makefile's target: written last, so it is the newest file when all are in place.
stamp_file="cytoscape.min.js"

current() {
  local pair
  for pair in "${files[@]}"; do
    cmp -s "$modules/${pair%%:*}" "$dest_dir/${pair##*:}" 2>/dev/null || return 1
  done
}

if [ "${1:-}" = "--check" ]; then
  current && exit 0
  echo "api/static/vendor/ is missing files or stale: run scripts/vendor_web.sh" >&2
  exit 1
fi

stamp="$modules/.package-lock.json"
missing=0
for pair in "${files[@]}"; do [ -f "$modules/${pair%%:*}" ] || missing=1; done
# axe-core is not vendored: the browser tests inject it from node_modules.
[ -f "$modules/axe-core/axe.min.js" ] || missing=1
if [ "$missing" = 1 ] || [ ! -f "$stamp" ] || [ "$web/package-lock.json" -nt "$stamp" ]; then
  command -v npm >/dev/null || {
    echo "error: npm is needed once to fetch the page libraries (Debian: apt-get install npm)" >&2
    exit 2
  }
  npm ci --prefix "$web" --no-audit --no-fund --loglevel=error
fi
mkdir -p "$dest_dir"
copy() {  # copy() npm-path name: only when it differs
  local src="$modules/$1" name="$2" package="${1%%/*}" version
  cmp -s "$src" "$dest_dir/$name" 2>/dev/null && return 0
  cp "$src" "$dest_dir/$name"
  version="$(node -p "require('$modules/$package/package.json').version" 2>/dev/null || echo '?')"
  echo "vendored $package $version -> api/static/vendor/$name"
}
# The stamp file last, so an interrupted run leaves make's target out of date.
for pair in "${files[@]}"; do
  [ "${pair##*:}" = "$stamp_file" ] || copy "${pair%%:*}" "${pair##*:}"
done
for pair in "${files[@]}"; do
  [ "${pair##*:}" = "$stamp_file" ] && copy "${pair%%:*}" "${pair##*:}"
done
touch "$dest_dir/$stamp_file"  # newer than web/package-lock.json: make's file target is satisfied
