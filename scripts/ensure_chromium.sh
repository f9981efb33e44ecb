#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (Playwright's own download cannot work offline).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests..."
  (apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null; })
  command -v chromium >/dev/null && exit 0
fi
echo "error: the browser tests need Chromium at /usr/bin/chromium: install it (Debian: apt-get install chromium)" >&2
exit 2
