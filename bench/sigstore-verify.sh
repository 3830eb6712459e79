#!/usr/bin/env bash
# Sigstore bundles verified per second: Warden's verifier vs sigstore-js (npm's bundled copy), on the
# same public-good bundles (the conformance suite's passing cases that use the public-good root), in
# one run. One core: both single-threaded, each pinned to CPU 0 with taskset; then Warden on every core.
# usage: bench/sigstore-verify.sh [--warmup S] [--duration S]
set -euo pipefail
cd "$(dirname "$0")/.."
WARMUP=5 DURATION=10
while [ $# -gt 0 ]; do
  case "$1" in
    --warmup) WARMUP=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/temurin-2[1-9]*/bin/java /usr/lib/jvm/*-2[1-9]*/bin/java 2>/dev/null | head -1)}
[ -n "$JAVA" ] || { echo "needs a JDK >= 21" >&2; exit 1; }
mvn -q install -DskipTests -pl warden-provenance -am
mkdir -p bench/.work
mvn -q dependency:build-classpath -pl warden-provenance -Dmdep.outputFile="$PWD/bench/.work/sigstore-cp.txt" >/dev/null
CP="$(cat bench/.work/sigstore-cp.txt):warden-provenance/target/classes"
CASES=warden-server/src/test/resources/sigstore/conformance
ROOT=warden-server/src/test/resources/sigstore/public-good-trusted_root.json
BUNDLES=()
for c in happy-path-v0.1 happy-path-v0.3 happy-path-v0.3-new-mediaType happy-path-intoto-in-dsse-v3; do
  BUNDLES+=("$CASES/$c/bundle.sigstore.json")
done
CORES=$(nproc)
PIN="taskset -c 0"
command -v taskset >/dev/null || PIN=""

js=$($PIN node bench/sigstore/verify-bench.mjs "$ROOT" "$CASES/a.txt" "$WARMUP" "$DURATION" "${BUNDLES[@]}")
w1=$($PIN "$JAVA" -cp "$CP" bench/sigstore/VerifyBench.java "$ROOT" "$CASES/a.txt" "$WARMUP" "$DURATION" 1 "${BUNDLES[@]}")
wn=$("$JAVA" -cp "$CP" bench/sigstore/VerifyBench.java "$ROOT" "$CASES/a.txt" "$WARMUP" "$DURATION" "$CORES" "${BUNDLES[@]}")
out=$(python3 - "$js" "$w1" "$wn" "$CORES" "$WARMUP" "$DURATION" <<'PY'
import json, sys
js, w1, wn = (json.loads(a) for a in sys.argv[1:4])
cores, warm, dur = sys.argv[4:7]
p = js["perSecond"]
print(f"| verifier | cores | bundles/s | vs {js['peer']} |")
print("|---|---|---|---|")
print(f"| {js['peer']} | 1 | {p:.0f} | 1.00x |")
print(f"| Warden | 1 | {w1['perSecond']:.0f} | {w1['perSecond']/p:.2f}x |")
print(f"| Warden | {cores} | {wn['perSecond']:.0f} | {wn['perSecond']/p:.2f}x |")
print()
print(f"4 public-good bundles (v0.1 and v0.3 message signatures, a v0.3 DSSE bundle), parse + full verification each time; warm-up {warm} s, measured {dur} s.")
PY
)
echo "$out"
mkdir -p bench/results
{ echo "# Sigstore bundle verification ($(date -u +%Y-%m-%dT%H:%MZ))"; echo; echo "\`bench/sigstore-verify.sh --warmup $WARMUP --duration $DURATION\`"; echo; echo "$out"; } > bench/results/sigstore-verify-latest.md
