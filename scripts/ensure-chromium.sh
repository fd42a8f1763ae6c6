#!/usr/bin/env bash
# The browser tests drive Debian's Chromium. Installs it when missing and we may (root); otherwise says how.
set -u
CHROMIUM=/usr/bin/chromium
[ -x "$CHROMIUM" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Chromium for the browser tests (apt-get install chromium)…"
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null; then
    exit 0
  fi
fi
echo "Chromium is not installed at $CHROMIUM; the browser tests (test/web) will fail. Install it with: sudo apt-get install chromium" >&2
exit 0
