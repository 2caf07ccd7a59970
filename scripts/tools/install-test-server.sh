#!/usr/bin/env bash
# Resolves Temporal's Java time-skipping test server from Maven Central into a per-user cache
# keyed by version, and writes a wrapper that execs java (so killing it kills the JVM).
# Prints the wrapper's path. Re-runs are free once the wrapper exists.
set -euo pipefail
version="${TEMPORAL_TEST_SERVER_VERSION:-1.31.0}"
cache="${TENTACLE_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tentacle}/temporal-test-server-$version"
wrapper="$cache/temporal-test-server"
if [ -x "$wrapper" ] && [ -s "$cache/classpath.txt" ]; then echo "$wrapper"; exit 0; fi
command -v java >/dev/null && command -v mvn >/dev/null || { echo "java and mvn are needed to build the test server" >&2; exit 3; }
mkdir -p "$cache"
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
cp "$here/test-server.pom.xml" "$tmp/pom.xml"
( cd "$tmp" && mvn -q -B -DtestServerVersion="$version" dependency:build-classpath \
    -Dmdep.outputFile="$cache/classpath.txt" -Dmdep.includeScope=runtime ) >&2
rm -rf "$tmp"
cat > "$wrapper.tmp" <<WRAP
#!/bin/sh
# Temporal time-skipping test server $version. Usage: temporal-test-server <port>
exec java -Xss1m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "\$(cat "$cache/classpath.txt")" io.temporal.testserver.TestServer "\$@"
WRAP
chmod +x "$wrapper.tmp"
mv "$wrapper.tmp" "$wrapper"
echo "$wrapper"
