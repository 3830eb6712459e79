#!/usr/bin/env bash
# Sigstore bundles verified per second: Warden's BundleVerifier vs sigstore-js (npm's bundled copy),
# on the same public-good bundles (the conformance suite's passing cases that use the public-good
# root and a Fulcio identity), in one run. Each call parses the bundle's JSON and verifies it fully.
# 1 core: one thread each, pinned to CPU 0 with taskset. Then all cores: Warden with one thread per
# core, sigstore-js with one worker thread per core.
# It builds nothing: it uses warden-provenance/target/classes and warden-sigstore-model/target/classes
# as they are, the rest of the classpath from mvn dependency:build-classpath.
# The JVM needs about 15 s on one core to reach its steady speed (C2 shares that core), hence the
# 20 s warm-up; sigstore-js is at speed within 3 s.
# usage: bench/sigstore-verify.sh [--warmup S] [--duration S]
set -euo pipefail
cd "$(dirname "$0")/.."
WARMUP=20 DURATION=10
while [ $# -gt 0 ]; do
  case "$1" in
    --warmup) WARMUP=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
for d in warden-provenance/target/classes warden-sigstore-model/target/classes; do
  [ -d "$d" ] || { echo "$d is missing: build warden-provenance first" >&2; exit 1; }
done
mkdir -p bench/.work bench/results
mvn -q dependency:build-classpath -pl warden-provenance -Dmdep.outputFile="$PWD/bench/.work/sigstore-cp.txt" >/dev/null
CP="warden-provenance/target/classes:warden-sigstore-model/target/classes:$(cat bench/.work/sigstore-cp.txt)"
export SIGSTORE_JS_MODULES="$(npm root -g 2>/dev/null)/npm/node_modules"

CASES=warden-cli/src/test/resources/sigstore/conformance
ARGS=(warden-server/src/test/resources/sigstore/public-good-trusted_root.json "$CASES/a.txt" "$WARMUP" "$DURATION")
BUNDLES=()
for c in happy-path-v0.1 happy-path-v0.3 happy-path-v0.3-new-mediaType happy-path-intoto-in-dsse-v3; do
  BUNDLES+=("$CASES/$c/bundle.sigstore.json")
done
CORES=$(nproc)
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)

# Each part prints bundles/s and the CPU it got, in cores (less than asked: other processes took some).
echo "sigstore-js, 1 thread on CPU 0..." >&2
r=$(taskset -c 0 node bench/sigstore/verify-bench.mjs "${ARGS[@]}" 1 "${BUNDLES[@]}"); read -r js1 js1c <<< "$r"
echo "Warden, 1 thread on CPU 0..." >&2
r=$(taskset -c 0 "$JAVA" -cp "$CP" bench/sigstore/VerifyBench.java "${ARGS[@]}" 1 "${BUNDLES[@]}"); read -r w1 w1c <<< "$r"
echo "sigstore-js, $CORES worker threads..." >&2
r=$(node bench/sigstore/verify-bench.mjs "${ARGS[@]}" "$CORES" "${BUNDLES[@]}"); read -r jsn jsnc <<< "$r"
echo "Warden, $CORES threads..." >&2
r=$("$JAVA" -cp "$CP" bench/sigstore/VerifyBench.java "${ARGS[@]}" "$CORES" "${BUNDLES[@]}"); read -r wn wnc <<< "$r"

JSV=$(node -p "require('$SIGSTORE_JS_MODULES/sigstore/package.json').version")
VV=$(node -p "require('$SIGSTORE_JS_MODULES/@sigstore/verify/package.json').version")
row() { awk -v c="$1" -v j="$2" -v w="$3" 'BEGIN { printf "| %s | %.0f | %.0f | %.2fx |\n", c, j, w, w / j }'; }
out=$(
  echo "| cores | sigstore-js $JSV bundles/s | Warden bundles/s | Warden/sigstore-js |"
  echo "|---|--:|--:|--:|"
  row "1 (pinned to CPU 0)" "$js1" "$w1"
  row "$CORES" "$jsn" "$wn"
  echo
  awk -v a="$w1" -v b="$wn" -v x="$js1" -v y="$jsn" -v c="$CORES" \
    'BEGIN { printf "Scaling from 1 to %s cores: Warden %.2fx, sigstore-js %.2fx.\n", c, b / a, y / x }'
  echo "CPU each process got over warm-up and measurement, in cores: sigstore-js $js1c (1 core), $jsnc ($CORES cores);"
  echo "Warden $w1c (1 core), $wnc ($CORES cores). Less than the cores given means other processes took CPU time."
  echo
  echo "${#BUNDLES[@]} public-good conformance bundles (v0.1, v0.3, v0.3 new media type, v0.3 in-toto DSSE), the same"
  echo "files for both; JSON parse + full verification each time. Warm-up ${WARMUP} s, measured ${DURATION} s per cell."
  echo "sigstore-js: npm $(npm --version 2>/dev/null)'s copy (@sigstore/verify $VV) on Node $(node --version)."
  echo "Warden: $("$JAVA" -version 2>&1 | head -1). Load average before the run: $LOAD."
)
echo "$out"
{
  echo "# Sigstore bundle verification ($(date -u +%Y-%m-%dT%H:%MZ), $(git rev-parse --short HEAD))"
  echo
  echo "\`bench/sigstore-verify.sh --warmup $WARMUP --duration $DURATION\`"
  echo
  echo "$out"
} > bench/results/sigstore-verify-latest.md
