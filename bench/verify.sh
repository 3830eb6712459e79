#!/usr/bin/env bash
# `warden verify` against npm's own verification code, on the same 1,000-package lockfile served by
# one Warden, in the same run. See bench/README.md. Usage: bench/verify.sh [options]
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$BENCH_DIR/.." && pwd)"
WORK="$BENCH_DIR/.work/verify"
cd "$REPO_DIR"
CMDLINE="bench/verify.sh $*"

usage() {
  cat <<EOF
usage: bench/verify.sh [options]
  --packages N       packages to publish and lock (default 1000)
  --share PCT        percent of them published with provenance (default 100)
  --rounds N         timed rounds of each cell; the median is reported (default 3)
  --concurrency N    parallel fetches, for warden verify and npm's code alike (default 16)
  --no-warden        measure npm's code only (before warden verify exists)
  --reuse            keep the published registry and lockfile of the last run (bench/.work/verify)
  --out FILE         report file (default bench/results/verify-latest.md)
environment: WARDEN_CMD (default ./warden), WARDEN_PORT (18780), OIDC_PORT (18781),
  WARDEN_START_TIMEOUT seconds (900)
EOF
}

PACKAGES=1000; SHARE=100; ROUNDS=3; CONCURRENCY=16; WITH_WARDEN=1; REUSE=0
OUT="$BENCH_DIR/results/verify-latest.md"
while (( $# )); do
  case "$1" in
    --packages) PACKAGES="$2"; shift ;;
    --share) SHARE="$2"; shift ;;
    --rounds) ROUNDS="$2"; shift ;;
    --concurrency) CONCURRENCY="$2"; shift ;;
    --no-warden) WITH_WARDEN=0 ;;
    --reuse) REUSE=1 ;;
    --out) OUT="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

WARDEN_CMD="${WARDEN_CMD:-./warden}"
WARDEN_PORT="${WARDEN_PORT:-18780}"
OIDC_PORT="${OIDC_PORT:-18781}"
WARDEN_START_TIMEOUT="${WARDEN_START_TIMEOUT:-900}"
REG="http://127.0.0.1:$WARDEN_PORT"

# ------------------------------------------------------------------ helpers (as bench/run.sh's)
log() { printf '\033[1m[verify-bench %s]\033[0m %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
declare -A PID=()
stop_pid() { # stop a process we started (its own process group)
  local pid="$1"
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$pid" 2>/dev/null && { kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; }
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  set +e
  for name in "${!PID[@]}"; do log "stopping $name (pid ${PID[$name]})"; stop_pid "${PID[$name]}"; done
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
start() { # NAME LOGFILE DIR CMD...: in its own session, so it and its children stop together
  local name="$1" logfile="$2" dir="$3"; shift 3
  ( cd "$dir" && exec setsid "$@" ) >"$logfile" 2>&1 </dev/null &
  PID[$name]=$!
  log "started $name (pid ${PID[$name]}): $*"
}
helper() { node "$BENCH_DIR/bench.mjs" "$@"; }
vhelper() { node "$BENCH_DIR/verify/verify-bench.mjs" "$@"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

command -v node >/dev/null || die "node is required"
command -v jq >/dev/null || die "jq is required (apt-get install -y jq)"
for p in "$WARDEN_PORT" "$OIDC_PORT"; do port_busy "$p" && die "port $p is already in use"; done
mkdir -p "$WORK/logs" "$(dirname "$OUT")"

# ------------------------------------------------------------------ registry
ISSUERS="[{\"type\":\"github\",\"issuer\":\"http://127.0.0.1:$OIDC_PORT/github\",\"jwks\":\"http://127.0.0.1:$OIDC_PORT/github/jwks\"}]"
start oidc "$WORK/logs/oidc.log" "$REPO_DIR" node "$BENCH_DIR/verify/verify-bench.mjs" oidc --port "$OIDC_PORT"
helper wait --url "http://127.0.0.1:$OIDC_PORT/github/jwks" --pid "${PID[oidc]}" --timeout 30 >/dev/null
if (( ! REUSE )) || [[ ! -f "$WORK/project/package-lock.json" ]]; then
  REUSE=0
  rm -rf "$WORK/data" "$WORK/project"
fi
mkdir -p "$WORK/data"
start warden "$WORK/logs/warden.log" "$REPO_DIR" \
  $WARDEN_CMD serve --host 127.0.0.1 --port "$WARDEN_PORT" --data "$WORK/data" \
  --set "oidc.extra_issuers=$ISSUERS"
if ! helper wait --url "$REG/-/ping" --pid "${PID[warden]}" --timeout "$WARDEN_START_TIMEOUT" >/dev/null; then
  tail -n 30 "$WORK/logs/warden.log" >&2; die "warden did not come up"
fi

PUBLISH_JSON="$WORK/publish.json"
if (( ! REUSE )); then
  token="$(helper token --registry "$REG" --user verifybench --password "verify-bench-secret-2026")"
  log "publishing $PACKAGES packages, $SHARE% with provenance (Fulcio, Rekor and the publish check on this Warden)"
  vhelper publish --registry "$REG" --token "$token" --oidc "http://127.0.0.1:$OIDC_PORT" \
    --packages "$PACKAGES" --share "$SHARE" --concurrency 4 --out "$WORK/project" | tee "$PUBLISH_JSON" >&2
  log "installing them with npm (its lockfile is what is verified)"
  (cd "$WORK/project" && npm_config_cache="$WORK/npm-cache-lock" npm install \
    --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
LOCK="$WORK/project/package-lock.json"
LOCKED=$(jq '[.packages | to_entries[] | select(.key != "")] | length' "$LOCK")
curl -sf "$REG/-/sigstore/trusted_root.json" -o "$WORK/trusted_root.json"
log "lockfile: $LOCKED packages"

# ------------------------------------------------------------------ cells
declare -A TIMES=() DETAIL=()
# cell NAME CACHE-STATE CMD...: CACHE-STATE cold empties the cache dir before each round
cell() {
  local name="$1"; shift
  local times=() t0 t1 out
  for r in $(seq 1 "$ROUNDS"); do
    [[ -n "${COLD_DIR:-}" ]] && rm -rf "$COLD_DIR"
    t0=$(now_ms)
    out="$("$@" 2>>"$WORK/logs/$name.err" || true)"
    t1=$(now_ms)
    times+=($(( t1 - t0 )))
    DETAIL[$name]="$out"
  done
  TIMES[$name]=$(printf '%s\n' "${times[@]}" | median)
  log "$name: median ${TIMES[$name]} ms over $ROUNDS (${times[*]}); last: ${DETAIL[$name]:0:300}"
}

NPMC="$WORK/npm-cache"
for mode in pacote signatures equivalent; do
  args=(npm --lockfile "$LOCK" --registry "$REG" --cache "$NPMC" --mode "$mode" --concurrency "$CONCURRENCY" --trusted-root "$WORK/trusted_root.json")
  COLD_DIR="$NPMC" cell "npm-$mode-cold" vhelper "${args[@]}"
  COLD_DIR="" cell "npm-$mode-warm" vhelper "${args[@]}"
  COLD_DIR="" cell "npm-$mode-offline" vhelper "${args[@]}" --offline
done

if (( WITH_WARDEN )); then
  WC="$WORK/warden-cache"
  wargs=(verify "$WORK/project" --cache "$WC" --json --no-progress --concurrency "$CONCURRENCY")
  wrun() { $WARDEN_CMD "$@" --output "$WORK/warden-report.json"; echo "exit $?"; }
  COLD_DIR="$WC" cell warden-cold wrun "${wargs[@]}"
  COLD_DIR="" cell warden-warm wrun "${wargs[@]}"
  COLD_DIR="" cell warden-offline wrun "${wargs[@]}" --offline
  WSUM="$(jq -c '.summary' "$WORK/warden-report.json" 2>/dev/null || echo '?')"
fi

# ------------------------------------------------------------------ report
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else printf "-" }'; }
row() { # LABEL PREFIX
  echo "| $1 | ${TIMES[$2-cold]:--} | ${TIMES[$2-warm]:--} | ${TIMES[$2-offline]:--} | $(jq -r '"\(.ok)/\(.packages) ok, \(.attested) with attestations checked; failures: \(.failed | tostring)\(if .firstError then "; first: " + .firstError else "" end)"' <<<"${DETAIL[$2-offline]:-{\}}" 2>/dev/null || echo '?') |"
}
{
  echo "# warden verify against npm's verification code ($(date -u +%Y-%m-%dT%H:%MZ), $(git -C "$REPO_DIR" rev-parse --short HEAD))"
  echo
  echo "\`$CMDLINE\`"
  echo
  echo "$LOCKED packages in one package-lock.json (made by npm $(npm --version) against this Warden);"
  echo "published: $(cat "$PUBLISH_JSON" 2>/dev/null || echo 'reused'). Median wall time in ms over $ROUNDS rounds,"
  echo "each a new process (node or the JVM), concurrency $CONCURRENCY. Cold: empty cache directory;"
  echo "warm: the cache the previous round filled; offline: that cache, no network."
  echo
  echo "| what | cold | warm | offline | result (offline round) |"
  echo "|---|--:|--:|--:|---|"
  row "pacote $(node -p "require('$(npm root -g)/npm/node_modules/pacote/package.json').version") manifest, verifySignatures + verifyAttestations" npm-pacote
  row "pacote, verifySignatures only" npm-signatures
  row "npm's code doing warden verify's work (pacote signatures + tarball integrity + sigstore-js with Warden's root)" npm-equivalent
  if (( WITH_WARDEN )); then
    echo "| warden verify (--json; summary $WSUM) | ${TIMES[warden-cold]} | ${TIMES[warden-warm]} | ${TIMES[warden-offline]} | ${DETAIL[warden-offline]} |"
    echo
    echo "Ratios (npm's code / warden verify): equivalent work: cold $(ratio "${TIMES[npm-equivalent-cold]}" "${TIMES[warden-cold]}"),"
    echo "warm $(ratio "${TIMES[npm-equivalent-warm]}" "${TIMES[warden-warm]}"), offline $(ratio "${TIMES[npm-equivalent-offline]}" "${TIMES[warden-offline]}");"
    echo "pacote's signature checks alone (all it can verify of Warden's): cold $(ratio "${TIMES[npm-signatures-cold]}" "${TIMES[warden-cold]}"),"
    echo "warm $(ratio "${TIMES[npm-signatures-warm]}" "${TIMES[warden-warm]}"), offline $(ratio "${TIMES[npm-signatures-offline]}" "${TIMES[warden-offline]}")."
  fi
  echo
  echo "pacote's verifyAttestations cannot verify Warden's attestations: the publish attestation is signed"
  echo "with the registry key and has no transparency-log entry (pacote reads tlogEntries[0] when the key has"
  echo "an expiry, and sigstore-js asks for one tlog entry), and the provenance is signed by Warden's own"
  echo "Sigstore, which pacote cannot be given (it verifies against the public-good root in npm's TUF cache)."
  echo "The third row is npm's code given what pacote cannot be: sigstore-js's Verifier with the instance's"
  echo "trusted_root.json, and the registry key with no tlog entry required for the publish attestation."
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), Node $(node --version); load before the cells: $(cut -d' ' -f1-3 /proc/loadavg)."
} >"$OUT"
cat "$OUT"
