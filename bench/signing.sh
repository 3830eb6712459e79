#!/usr/bin/env bash
# The private Sigstore's write path, in-process on a fresh data directory (SQLite, fsync on every
# append as in production): certificates issued per second and Rekor entries logged per second,
# with 1 caller and with 16 concurrent callers. No peer: the public Fulcio and Rekor cannot be run
# or reached from this machine.
# usage: bench/signing.sh [--duration S]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=10
[ "${1:-}" = "--duration" ] && DURATION=$2
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/temurin-2[1-9]*/bin/java 2>/dev/null | head -1)}
[ -n "$JAVA" ] || { echo "needs a JDK >= 21" >&2; exit 1; }
mvn -q install -DskipTests -pl warden-signing -am
mkdir -p bench/.work bench/results
mvn -q dependency:build-classpath -pl warden-signing -Dmdep.outputFile="$PWD/bench/.work/signing-cp.txt" >/dev/null
CP="$(cat bench/.work/signing-cp.txt):warden-signing/target/classes"
DATA=$(mktemp -d)
trap 'rm -rf "$DATA"' EXIT
mkdir -p "$DATA/run"
out=$("$JAVA" --enable-native-access=ALL-UNNAMED -cp "$CP" bench/signing/SigningBench.java "$DATA/run" "$DURATION" 1 16 2>/dev/null)
table=$(python3 - "$out" <<'PY'
import json, sys
print("| callers | certificates/s | Rekor entries/s |")
print("|---|---|---|")
for line in sys.argv[1].splitlines():
    r = json.loads(line)
    print(f"| {r['threads']} | {r['certificatesPerSecond']:.0f} | {r['entriesPerSecond']:.0f} |")
PY
)
echo "$table"
{ echo "# Private Sigstore write path ($(date -u +%Y-%m-%dT%H:%MZ))"; echo; echo "\`bench/signing.sh --duration $DURATION\`"; echo; echo "$table"; } > bench/results/signing-latest.md
