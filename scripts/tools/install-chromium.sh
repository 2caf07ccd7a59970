#!/usr/bin/env bash
# Makes sure a Chromium exists for the staff console's browser tests (test/browser/, driven by
# playwright-core; Playwright's own browser download is not used). CHROMIUM_PATH, else Debian's
# /usr/bin/chromium, installed with apt-get when missing and we are root (CI); otherwise it says
# what to run and fails.
set -euo pipefail
path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$path" ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing chromium with apt-get (first run only)..." >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
  exit 0
fi
echo "Chromium is needed by the browser tests: run 'sudo apt-get install -y chromium' or set CHROMIUM_PATH" >&2
exit 1
