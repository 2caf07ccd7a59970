#!/usr/bin/env bash
# Prints the path of a schemathesis executable (`st`), installing it once if needed into a venv of
# the per-user cache, keyed by version (like the Temporal CLI): nothing inside the clone.
# Order: SCHEMATHESIS_PATH, the cache, a `pip install` from PyPI into that cache. Exit 3 when no
# Python 3.9+ with venv is available.
set -euo pipefail
version="${SCHEMATHESIS_VERSION:-4.32.5}"
if [ -n "${SCHEMATHESIS_PATH:-}" ]; then echo "$SCHEMATHESIS_PATH"; exit 0; fi
cache="${TENTACLE_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tentacle}/schemathesis-$version"
if [ -x "$cache/bin/st" ] && [ -f "$cache/.complete" ]; then echo "$cache/bin/st"; exit 0; fi
python="${PYTHON:-$(command -v python3 || true)}"
[ -n "$python" ] || { echo "no python3 to install schemathesis" >&2; exit 3; }
"$python" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 9) else 1)' 2>/dev/null \
  || { echo "python3 >= 3.9 with venv is needed for schemathesis" >&2; exit 3; }
rm -rf "$cache"
mkdir -p "$(dirname "$cache")"
echo "installing schemathesis $version into $cache (first run only)..." >&2
"$python" -m venv "$cache" >&2
"$cache/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version" >&2
touch "$cache/.complete"
echo "$cache/bin/st"
