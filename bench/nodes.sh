#!/usr/bin/env bash
# Several Warden nodes on PostgreSQL and S3 (issue 21); results go to bench/results/nodes-latest.md
# (see BENCHMARKS.md):
#   1. publishes per second (npm's publish body, CONCURRENCY at a time) into one node on the
#      embedded driver, and into one node on the postgres driver;
#   2. full packument and tarball reads per second with 1, 2 and 3 nodes on the postgres driver
#      loaded at once (one wrk per node, the 64 connections split between them; the embedded node
#      too, as the baseline), with the CPU each node and PostgreSQL used, from /proc;
#   3. the log sequencer's fail-over: kill -9 the node holding it, time until a publish (a log
#      append) through another node is answered 200.
# Everything (PostgreSQL, S3Proxy, the nodes, wrk) shares this machine's cores: the ratio of 2 and 3
# nodes to 1 says whether nodes add throughput or contend; on 2 cores it cannot be above ~2.
# Usage: bench/nodes.sh [--quick] [--packages N] [--duration S] [--rounds N] [--out FILE]
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$BENCH_DIR/.." && pwd)"
WORK="$BENCH_DIR/.work/nodes"
RUN="$WORK/run"
CMDLINE="bench/nodes.sh $*"

PACKAGES=300; VERSIONS=3; DURATION=15; WARMUP=5; ROUNDS=3; CONNECTIONS=64; CONCURRENCY=4
OUT="$BENCH_DIR/results/nodes-latest.md"
while (( $# )); do
  case "$1" in
    --quick) PACKAGES=50; DURATION=5; WARMUP=2; ROUNDS=1 ;;
    --packages) PACKAGES="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --rounds) ROUNDS="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    *) echo "usage: bench/nodes.sh [--quick] [--packages N] [--duration S] [--rounds N] [--out FILE]" >&2; exit 2 ;;
  esac
  shift
done
BASE_PORT="${WARDEN_PORT:-18770}"   # nodes on 18770..18772, embedded on 18773
PG_PORT="${PG_PORT:-18790}"
S3_PORT="${S3_PORT:-18791}"
FULL_ACCEPT='application/json'

log() { printf '\033[1m[nodes-bench %s]\033[0m %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
helper() { node "$BENCH_DIR/bench.mjs" "$@"; }

declare -A PID=()
PG_BIN=""
stop_pid() {
  local pid="$1"
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
pg() { if (( EUID == 0 )); then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  local rc=$?
  set +e
  for name in "${!PID[@]}"; do stop_pid "${PID[$name]}"; done
  [[ -n "$PG_BIN" && -f "$WORK/pg/data/postmaster.pid" ]] && pg "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -m fast -w stop >/dev/null 2>&1
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ requirements
as_root() { if (( EUID == 0 )); then "$@"; else sudo "$@"; fi; }
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v ss >/dev/null || need+=(iproute2)
if (( ${#need[@]} )); then
  log "installing ${need[*]} with apt-get"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v node >/dev/null || die "node is required"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[[ -x "$PG_BIN/initdb" ]] || die "PostgreSQL server binaries not found (apt-get install postgresql-15)"
S3PROXY="${S3PROXY_JAR:-$HOME/.m2/repository/org/gaul/s3proxy/2.6.0/s3proxy-2.6.0-jar-with-dependencies.jar}"
[[ -f "$S3PROXY" ]] || die "S3Proxy's jar is not at $S3PROXY (a Maven build of warden-storage-tests fetches it)"

JAVA=""
for j in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} /usr/lib/jvm/*/bin/java "$(command -v java)"; do
  [[ -x "$j" ]] || continue
  v="$("$j" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1)"
  if [[ "${v%%.*}" -ge 21 ]]; then JAVA="$j"; break; fi
done
[[ -n "$JAVA" ]] || die "no JDK 21 or newer"

JAR="$REPO_DIR/warden-cli/target/warden.jar"
if [[ "${WARDEN_SKIP_BUILD:-}" != 1 || ! -f "$JAR" ]]; then
  log "building warden.jar"
  lock=(); [[ -e /tmp/build.lock ]] && lock=(flock /tmp/build.lock)
  (cd "$REPO_DIR" && "${lock[@]}" mvn -B -q -o -pl warden-cli -am package -DskipTests -Dformat.skip -DskipPrerequisites) >&2
fi

for p in "$BASE_PORT" $((BASE_PORT + 1)) $((BASE_PORT + 2)) $((BASE_PORT + 3)) "$PG_PORT" "$S3_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then die "port $p is already in use"; fi
done
[[ -f "$WORK/pg/data/postmaster.pid" ]] && pg "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
rm -rf "$WORK/pg" "$WORK/s3" "$WORK/data" "$RUN"
mkdir -p "$WORK/pg" "$WORK/s3/objects/warden" "$WORK/data" "$RUN" "$(dirname "$OUT")"

log "generating $PACKAGES packages x $VERSIONS versions"
helper gen --out "$WORK/pkgs" --packages "$PACKAGES" --versions "$VERSIONS" >&2

# ------------------------------------------------------------------ PostgreSQL and S3
log "starting PostgreSQL on $PG_PORT and S3Proxy on $S3_PORT"
(( EUID == 0 )) && chown postgres:postgres "$WORK/pg"
pg "$PG_BIN/initdb" -D "$WORK/pg/data" -U warden -A trust -E UTF8 --locale=C >/dev/null
pg "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/server.log" -w -o \
  "-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB" start >/dev/null
PG_MAIN="$(head -1 "$WORK/pg/data/postmaster.pid")"
psql_() { "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U warden -d "${DB:-postgres}" -qtAX "$@"; }
psql_ -c "CREATE DATABASE warden"

cat >"$WORK/s3/s3proxy.properties" <<EOF
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=bench
s3proxy.credential=bench-secret
jclouds.provider=filesystem
jclouds.filesystem.basedir=$WORK/s3/objects
EOF
( exec setsid "$JAVA" -Xmx256m -jar "$S3PROXY" --properties "$WORK/s3/s3proxy.properties" ) >"$WORK/s3/server.log" 2>&1 </dev/null &
PID[s3]=$!
for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$S3_PORT") 2>/dev/null && break; sleep 0.2; done

# ------------------------------------------------------------------ nodes
port_of() { if [[ "$1" == embedded ]]; then echo $((BASE_PORT + 3)); else echo $((BASE_PORT + $1)); fi; }
url_of() { echo "http://127.0.0.1:$(port_of "$1")"; }

start_node() { # NODE (0..2 on postgres, or "embedded")
  local n="$1" port; port="$(port_of "$n")"
  mkdir -p "$WORK/data/node-$n"
  {
    echo "[server]"; echo "host = \"127.0.0.1\""; echo "port = $port"
    echo "public_url = \"$(url_of "$n")\""
    echo "[storage]"; echo "data = \"$WORK/data/node-$n\""
    if [[ "$n" == embedded ]]; then echo 'driver = "embedded"'; else
      echo 'driver = "postgres"'
      echo "postgres_url = \"jdbc:postgresql://127.0.0.1:$PG_PORT/warden\""
      echo 'postgres_user = "warden"'
      echo "s3_endpoint = \"http://127.0.0.1:$S3_PORT\""
      echo 's3_region = "us-east-1"'; echo 's3_bucket = "warden"'; echo 's3_access_key = "bench"'
      echo 'migrate_on_start = false'   # as deploy/: warden migrate first, then the nodes
    fi
    echo "[log]"; echo 'access = "none"'
  } >"$WORK/data/node-$n.toml"
  local secrets=()   # through the environment, as the deployment guide says
  [[ "$n" == embedded ]] || secrets=(WARDEN_STORAGE_POSTGRES_PASSWORD=unused WARDEN_STORAGE_S3_SECRET_KEY=bench-secret)
  if [[ "$n" != embedded && ! -f "$WORK/data/migrated" ]]; then
    env "${secrets[@]}" "$JAVA" -jar "$JAR" migrate --config "$WORK/data/node-$n.toml" >>"$RUN/migrate.log" 2>&1 \
      || die "warden migrate failed: $(tail -n 20 "$RUN/migrate.log")"
    touch "$WORK/data/migrated"
  fi
  ( cd "$WORK/data" && exec env "${secrets[@]}" setsid "$JAVA" --enable-native-access=ALL-UNNAMED -Xmx1g -jar "$JAR" serve --config "$WORK/data/node-$n.toml" \
  ) >>"$RUN/node-$n.log" 2>&1 </dev/null &
  PID[node$n]=$!
  if ! helper wait --url "$(url_of "$n")/-/ping" --pid "${PID[node$n]}" --timeout 120 >/dev/null; then
    tail -n 40 "$RUN/node-$n.log" >&2; die "node $n did not start"
  fi
  log "node $n up (pid ${PID[node$n]}) at $(url_of "$n")"
}

ticks() { # PID...: utime + stime of the processes, in clock ticks
  local t=0 p f
  for p in "$@"; do
    f="$(cat "/proc/$p/stat" 2>/dev/null)" || continue
    f="${f##*) }"; set -- $f
    t=$((t + ${12} + ${13}))
  done
  echo "$t"
}
pg_pids() { echo "$PG_MAIN" $(pgrep -P "$PG_MAIN" || true); }
HZ="$(getconf CLK_TCK)"

# reads TARGETS... : wrk on each target at once (CONNECTIONS split), KIND packuments|tarballs.
# Writes a JSON line into $RUN/reads.jsonl.
reads() {
  local label="$1" kind="$2"; shift 2
  local targets=("$@") n=${#targets[@]} c=$((CONNECTIONS / ${#targets[@]})) t=1 paths accept=""
  (( n == 1 )) && t=2
  paths="$RUN/lists/$kind.txt"; [[ "$kind" == packuments ]] && accept="$FULL_ACCEPT"
  local jobs=()
  for x in "${targets[@]}"; do
    wrk -t"$t" -c"$c" -d"${WARMUP}s" -s "$BENCH_DIR/rotate.lua" "$(url_of "$x")" -- "$paths" "$accept" >/dev/null 2>&1 &
    jobs+=($!)
  done
  wait "${jobs[@]}"
  local before=() pids=() x i
  for x in "${targets[@]}"; do pids+=("${PID[node$x]}"); done
  for x in "${pids[@]}"; do before+=("$(ticks "$x")"); done
  local pg_before; pg_before="$(ticks $(pg_pids))"
  local t0; t0="$(date +%s%N)"
  jobs=()
  for x in "${targets[@]}"; do
    wrk -t"$t" -c"$c" -d"${DURATION}s" --latency -s "$BENCH_DIR/rotate.lua" "$(url_of "$x")" -- "$paths" "$accept" \
      >"$RUN/wrk-$label-$kind-$x.txt" 2>&1 &
    jobs+=($!)
  done
  wait "${jobs[@]}"
  local secs; secs="$(( ($(date +%s%N) - t0) / 1000000 ))"
  local total=0 cpus=() errors=0 r
  i=0
  for x in "${targets[@]}"; do
    r="$(sed -n 's/^BENCH_RESULT //p' "$RUN/wrk-$label-$kind-$x.txt")"
    [[ -n "$r" ]] || die "wrk gave no result: $(cat "$RUN/wrk-$label-$kind-$x.txt")"
    total=$(( total + $(jq -r '.requests' <<<"$r") ))
    errors=$(( errors + $(jq -r '.status_err + .connect_err + .read_err + .timeout_err' <<<"$r") ))
    cpus+=("$(awk -v a="${before[$i]}" -v b="$(ticks "${pids[$i]}")" -v hz="$HZ" -v ms="$secs" 'BEGIN { printf "%.2f", (b - a) / hz / (ms / 1000) }')")
    i=$((i + 1))
  done
  local pg_cpu; pg_cpu="$(awk -v a="$pg_before" -v b="$(ticks $(pg_pids))" -v hz="$HZ" -v ms="$secs" 'BEGIN { printf "%.2f", (b - a) / hz / (ms / 1000) }')"
  local rps; rps="$(awk -v n="$total" -v d="$DURATION" 'BEGIN { printf "%.0f", n / d }')"
  log "$label $kind: $rps/s (node CPU ${cpus[*]}, PostgreSQL $pg_cpu, errors $errors)"
  printf '{"label":"%s","kind":"%s","rps":%s,"cpu":"%s","pg_cpu":%s,"errors":%s}\n' \
    "$label" "$kind" "$rps" "${cpus[*]}" "$pg_cpu" "$errors" >>"$RUN/reads.jsonl"
}

# ------------------------------------------------------------------ 1. embedded baseline
start_node embedded
TOKEN="$(helper token --registry "$(url_of embedded)" --user bench --password "load-test-secret-2026")"
log "embedded: publishing $((PACKAGES * VERSIONS)) versions, $CONCURRENCY at a time"
helper publish --registry "$(url_of embedded)" --token "$TOKEN" --pkgs "$WORK/pkgs" --samples 50 \
  --concurrency "$CONCURRENCY" --out "$RUN/publish-embedded.json" >&2
helper lists --registry "$(url_of embedded)" --pkgs "$WORK/pkgs" --out "$RUN/lists" >&2
reads embedded packuments embedded
reads embedded tarballs embedded
stop_pid "${PID[nodeembedded]}"; unset 'PID[nodeembedded]'

# ------------------------------------------------------------------ 2. postgres: publishes, reads
# node 0 starts alone and takes the first log append: it holds the log sequencer.
start_node 0
TOKEN="$(helper token --registry "$(url_of 0)" --user bench --password "load-test-secret-2026")"
log "postgres: publishing $((PACKAGES * VERSIONS)) versions through node 0, $CONCURRENCY at a time"
helper publish --registry "$(url_of 0)" --token "$TOKEN" --pkgs "$WORK/pkgs" --samples 50 \
  --concurrency "$CONCURRENCY" --out "$RUN/publish-postgres.json" >&2
start_node 1
start_node 2
helper lists --registry "$(url_of 2)" --pkgs "$WORK/pkgs" --out "$RUN/lists-node2" >&2 \
  || die "node 2 does not serve what node 0 took: $(cat "$RUN/lists-node2/info.json")"
for kind in packuments tarballs; do
  reads "1-node" "$kind" 0
  reads "2-nodes" "$kind" 0 1
  reads "3-nodes" "$kind" 0 1 2
done

# ------------------------------------------------------------------ 3. sequencer fail-over
# The holder: the node whose PostgreSQL session holds a session-level advisory lock (the lease).
holder() {
  local port p n
  for port in $(DB=warden psql_ -c "SELECT a.client_port FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                                    WHERE l.locktype = 'advisory' AND l.granted AND a.client_port > 0"); do
    p="$(ss -tnpH "( sport = :$port )" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1)"
    for n in 0 1 2; do [[ "${PID[node$n]:-}" == "$p" ]] && { echo "$n"; return; }; done
  done
}
: >"$RUN/failover.jsonl"
for round in $(seq 1 "$ROUNDS"); do
  h="$(holder)"
  if [[ -z "$h" ]]; then
    (( round == 1 )) && h=0 || { log "round $round: no node holds the lease; stopping"; break; }
  fi
  other=$(( (h + 1) % 3 ))
  log "fail-over round $round: kill -9 node $h (pid ${PID[node$h]}), publish through node $other"
  r="$(node "$BENCH_DIR/nodes.mjs" failover --registry "$(url_of "$other")" --token "$TOKEN" \
        --pid "${PID[node$h]}" --name "failover-$round" --timeout 120 2>>"$RUN/failover.err")"
  wait "${PID[node$h]}" 2>/dev/null || true
  log "  $r"
  echo "$r" >>"$RUN/failover.jsonl"
  start_node "$h"
done

# ------------------------------------------------------------------ report
{
  echo "# Several nodes on PostgreSQL + S3 ($(date -u +%Y-%m-%d\ %H:%M) UTC)"
  echo
  echo "\`$CMDLINE\` at $(cd "$REPO_DIR" && git rev-parse --short HEAD); $(nproc) cores; $PACKAGES packages x $VERSIONS versions;"
  echo "wrk ${DURATION}s after ${WARMUP}s warm-up, $CONNECTIONS connections split over the nodes loaded."
  echo
  echo "| publishes | per second ($CONCURRENCY at a time) | sequential median ms | p99 ms |"
  echo "|---|--:|--:|--:|"
  for d in embedded postgres; do
    jq -r --arg d "$d" '"| \($d) (one node) | \(.bulk_puts_per_sec|floor) | \(.median_ms*100|round/100) | \(.p99_ms*100|round/100) |"' "$RUN/publish-$d.json"
  done
  echo
  echo "| reads | nodes loaded | requests/s | ratio to 1 node | CPU of each node (cores) | PostgreSQL CPU | errors |"
  echo "|---|---|--:|--:|---|--:|--:|"
  for kind in packuments tarballs; do
    one="$(jq -r --arg k "$kind" 'select(.label=="1-node" and .kind==$k) | .rps' "$RUN/reads.jsonl")"
    jq -r --arg k "$kind" --argjson one "${one:-0}" 'select(.kind==$k) |
      "| \(.kind) | \(.label) | \(.rps) | \(if .label=="embedded" or $one==0 then "" else ((.rps/$one*100|round)/100|tostring) end) | \(.cpu) | \(.pg_cpu) | \(.errors) |"' "$RUN/reads.jsonl"
  done
  echo
  echo "| sequencer fail-over round | ms from kill -9 to an acknowledged append | attempts |"
  echo "|---|--:|--:|"
  n=0
  while read -r line; do n=$((n + 1)); jq -r --arg n "$n" '"| \($n) | \(.failover_ms) | \(.attempts) |"' <<<"$line"; done <"$RUN/failover.jsonl"
} >"$OUT"
cat "$OUT"
