#!/usr/bin/env bash
# Prints the path of a Temporal CLI binary, building it once if needed.
# Order: TEMPORAL_CLI_PATH, `temporal` on PATH, the per-user cache (keyed by version), a build
# with `go install` into that cache. v1.5.1 is the newest release whose go.mod has no `replace`
# directive (later tags cannot be go-installed). Exit 3 when none is possible: callers then fall
# back to the SDK's own download, which works on a connected machine.
set -euo pipefail
version="${TEMPORAL_CLI_VERSION:-1.5.1}"
if [ -n "${TEMPORAL_CLI_PATH:-}" ]; then echo "$TEMPORAL_CLI_PATH"; exit 0; fi
if command -v temporal >/dev/null 2>&1; then command -v temporal; exit 0; fi
cache="${TENTACLE_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tentacle}/temporal-cli-$version"
if [ -x "$cache/temporal" ]; then echo "$cache/temporal"; exit 0; fi
command -v go >/dev/null 2>&1 || { echo "no Go toolchain to build the Temporal CLI" >&2; exit 3; }
mkdir -p "$cache"
echo "building Temporal CLI v$version with go install (first run only, a few minutes)..." >&2
GOBIN="$cache" GOFLAGS=-mod=mod go install "github.com/temporalio/cli/cmd/temporal@v$version" >&2
echo "$cache/temporal"
