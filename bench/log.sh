#!/usr/bin/env bash
# Transparency log benchmark (see bench/README.md):
#   1. sustained appends per second into the embedded store (SQLite), with integration latency;
#   2. over HTTP, against a Warden server whose log holds ENTRIES entries: checkpoint, tiles, entry
#      bundles, inclusion and consistency proofs, each against packument reads from the same server
#      in the same run, and tiles and bundles against nginx serving the same bytes as static files.
# Usage: bench/log.sh [--quick] [--entries N] [--duration S] [--out FILE]
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$BENCH_DIR/.." && pwd)"
WORK="$BENCH_DIR/.work/log"
RUN="$WORK/run"
CMDLINE="bench/log.sh $*"

ENTRIES=1000000; DURATION=15; WARMUP=5; APPEND_SECONDS=30; IN_FLIGHT=2048; ENTRY_BYTES=600
CONNECTIONS=64; THREADS=2; PACKAGES=200
OUT="$BENCH_DIR/results/log-latest.md"
while (( $# )); do
  case "$1" in
    --quick) ENTRIES=100000; DURATION=5; WARMUP=2; APPEND_SECONDS=10; PACKAGES=50 ;;
    --entries) ENTRIES="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --append-seconds) APPEND_SECONDS="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    *) echo "usage: bench/log.sh [--quick] [--entries N] [--duration S] [--append-seconds S] [--out FILE]" >&2; exit 2 ;;
  esac
  shift
done
PORT="${WARDEN_PORT:-18780}"
NGINX_PORT="${NGINX_PORT:-18782}"

log() { printf '\033[1m[log-bench %s]\033[0m %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

PIDS=()
cleanup() {
  local rc=$?
  set +e
  for p in "${PIDS[@]}"; do kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null; done
  sleep 1
  for p in "${PIDS[@]}"; do kill -KILL -- "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null; done
  exit "$rc"
}
trap cleanup EXIT

# ------------------------------------------------------------------ requirements
as_root() { if (( EUID == 0 )); then "$@"; else sudo "$@"; fi; }
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || need+=(nginx-light)
command -v curl >/dev/null || need+=(curl)
if (( ${#need[@]} )); then
  log "installing ${need[*]}"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
NGINX_BIN="$(command -v nginx || echo /usr/sbin/nginx)"

JAVA=""
for j in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} /usr/lib/jvm/*/bin/java "$(command -v java)"; do
  [[ -x "$j" ]] || continue
  v="$("$j" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1)"
  if [[ "${v%%.*}" -ge 21 ]]; then JAVA="$j"; break; fi
done
[[ -n "$JAVA" ]] || die "no JDK 21 or newer"
JAVA_HOME="$(dirname "$(dirname "$JAVA")")"
export JAVA_HOME

log "building"
(cd "$REPO_DIR" && mvn -B -q install -DskipTests -pl warden-cli -am && mvn -B -q test-compile -pl warden-log-sqlite \
  && mvn -B -q -pl warden-log-sqlite dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test) >&2
CP="$REPO_DIR/warden-log-sqlite/target/test-classes:$REPO_DIR/warden-log-sqlite/target/classes:$(cat "$WORK/cp.txt")"
JAR="$REPO_DIR/warden-cli/target/warden.jar"

rm -rf "$RUN" "$WORK/append" "$WORK/data" "$WORK/nginx"
mkdir -p "$RUN" "$WORK/data" "$WORK/nginx/www" "$WORK/nginx/tmp" "$WORK/nginx/logs"

# ------------------------------------------------------------------ 1. appends
log "appends: $APPEND_SECONDS s sustained, $IN_FLIGHT in flight, $ENTRY_BYTES-byte entries"
"$JAVA" -cp "$CP" dev.warden.log.sqlite.LogBench appends "$WORK/append" "$APPEND_SECONDS" "$IN_FLIGHT" "$ENTRY_BYTES" 2>/dev/null \
  | sed -n 's/^BENCH_LOG //p' >"$RUN/appends.json"
cat "$RUN/appends.json" >&2
rm -rf "$WORK/append"

# ------------------------------------------------------------------ 2. a server with a big log
log "populating a log of $ENTRIES entries"
"$JAVA" -cp "$CP" dev.warden.log.sqlite.LogBench populate "$WORK/data" "$WORK/data/keys/log.key" "127.0.0.1:$PORT/-/log" "$ENTRIES" 2>/dev/null \
  | sed -n 's/^BENCH_LOG //p' >"$RUN/populate.json"
( cd "$REPO_DIR" && exec setsid "$JAVA" -XX:+UseParallelGC -jar "$JAR" serve --host 127.0.0.1 --port "$PORT" \
    --data "$WORK/data" --set log.access=none ) >"$RUN/warden.log" 2>&1 </dev/null &
PIDS+=($!)
helper() { node "$BENCH_DIR/bench.mjs" "$@"; }
helper wait --url "http://127.0.0.1:$PORT/-/ping" --pid "${PIDS[0]}" --timeout 300 || die "warden did not start"
REG="http://127.0.0.1:$PORT"
helper gen --out "$WORK/pkgs" --packages "$PACKAGES" --versions 1 >/dev/null
TOKEN="$(helper token --registry "$REG" --user reader --password "tiles-and-proofs-2026")"
helper publish --registry "$REG" --token "$TOKEN" --pkgs "$WORK/pkgs" --samples 0 --concurrency 4 --out "$RUN/publish.json" >/dev/null
helper lists --registry "$REG" --pkgs "$WORK/pkgs" --out "$RUN/lists" >/dev/null
SIZE="$(curl -sf "$REG/-/log/checkpoint" | sed -n 2p)"
log "log size $SIZE; making request lists"

python3 - "$SIZE" "$RUN" <<'EOF'
import random, sys
size, run = int(sys.argv[1]), sys.argv[2]
def enc(n):
    s = str(n).zfill(((len(str(n)) + 2) // 3) * 3)
    parts = [s[i:i+3] for i in range(0, len(s), 3)]
    return "/".join(["x" + p for p in parts[:-1]] + [parts[-1]])
rnd = random.Random(7)
full = size // 256
tiles = sorted(rnd.sample(range(full), min(4096, full)))
with open(f"{run}/tiles.txt", "w") as f:
    f.writelines(f"/-/log/tile/0/{enc(t)}\n" for t in tiles)
with open(f"{run}/bundles.txt", "w") as f:
    f.writelines(f"/-/log/tile/entries/{enc(t)}\n" for t in tiles)
with open(f"{run}/inclusion.txt", "w") as f:
    f.writelines(f"/-/log/proof/inclusion?index={rnd.randrange(size)}&size={size}\n" for _ in range(4096))
# Distinct proofs: more than the server's proof-answer memory holds, so most are computed.
with open(f"{run}/inclusion-distinct.txt", "w") as f:
    f.writelines(f"/-/log/proof/inclusion?index={i}&size={size}\n" for i in rnd.sample(range(size), min(size, 200000)))
with open(f"{run}/consistency.txt", "w") as f:
    f.writelines(f"/-/log/proof/consistency?from={rnd.randrange(1, size)}&to={size}\n" for _ in range(4096))
with open(f"{run}/checkpoint.txt", "w") as f:
    f.write("/-/log/checkpoint\n")
EOF

log "copying the sampled tiles and bundles for nginx"
cat "$RUN/tiles.txt" "$RUN/bundles.txt" | while read -r p; do
  mkdir -p "$WORK/nginx/www$(dirname "$p")"
  curl -sf -o "$WORK/nginx/www$p" "$REG$p" || die "GET $p failed"
done

NG="$WORK/nginx"
user_line=""; (( EUID == 0 )) && user_line="user root;"
cat >"$NG/nginx.conf" <<EOF
$user_line
daemon off;
worker_processes 2;
pid $NG/nginx.pid;
error_log $NG/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off; sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_timeout 65; keepalive_requests 1000000;
  open_file_cache max=20000 inactive=120s; open_file_cache_valid 120s;
  client_body_temp_path $NG/tmp/body; proxy_temp_path $NG/tmp/proxy; fastcgi_temp_path $NG/tmp/fastcgi;
  uwsgi_temp_path $NG/tmp/uwsgi; scgi_temp_path $NG/tmp/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $NG/www;
    types { } default_type application/octet-stream;
    add_header Cache-Control "public, max-age=31536000, immutable";
  }
}
EOF
( cd "$NG" && exec setsid "$NGINX_BIN" -p "$NG" -c "$NG/nginx.conf" ) >"$RUN/nginx.log" 2>&1 </dev/null &
PIDS+=($!)
sleep 1
first="$(head -n1 "$RUN/tiles.txt")"
cmp <(curl -sf "$REG$first") <(curl -sf "http://127.0.0.1:$NGINX_PORT$first") || die "nginx serves other bytes than warden for $first"

# ------------------------------------------------------------------ 3. reads
cell() { # name url list
  local name="$1" url="$2" list="$3"
  if (( WARMUP > 0 )); then
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$BENCH_DIR/rotate.lua" "$url" -- "$list" >/dev/null 2>&1 || true
  fi
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$BENCH_DIR/rotate.lua" "$url" -- "$list" 2>/dev/null \
    | sed -n 's/^BENCH_RESULT //p' >"$RUN/$name.json"
  log "$name: $(cat "$RUN/$name.json")"
}
cell packument "$REG" "$RUN/lists/packuments.txt"
cell checkpoint "$REG" "$RUN/checkpoint.txt"
cell tile "$REG" "$RUN/tiles.txt"
cell bundle "$REG" "$RUN/bundles.txt"
cell inclusion "$REG" "$RUN/inclusion.txt"
cell consistency "$REG" "$RUN/consistency.txt"
cell inclusion-distinct "$REG" "$RUN/inclusion-distinct.txt"
cell nginx-tile "http://127.0.0.1:$NGINX_PORT" "$RUN/tiles.txt"
cell nginx-bundle "http://127.0.0.1:$NGINX_PORT" "$RUN/bundles.txt"

# ------------------------------------------------------------------ report
mkdir -p "$(dirname "$OUT")"
python3 - "$RUN" "$OUT" "$CMDLINE" "$(cd "$REPO_DIR" && git rev-parse --short HEAD)" "$SIZE" <<'EOF'
import json, sys, datetime, os
run, out, cmd, commit, size = sys.argv[1:6]
def j(n):
    with open(os.path.join(run, n + ".json")) as f:
        return json.loads(f.read() or "{}")
a = j("appends"); pop = j("populate")
def rps(r): return r["requests"] / (r["duration_us"] / 1e6) if r else 0
pk = rps(j("packument"))
rows = []
for name, label, peer in [("checkpoint", "checkpoint", None), ("tile", "level-0 tile (8 KiB)", "nginx-tile"),
                          ("bundle", "entry bundle (256 entries)", "nginx-bundle"), ("inclusion", "inclusion proof (4,096 URLs, repeated)", None),
                          ("inclusion-distinct", "inclusion proof (200,000 URLs, computed)", None),
                          ("consistency", "consistency proof (4,096 URLs, repeated)", None), ("packument", "packument (same server)", None)]:
    r = j(name); v = rps(r)
    p = rps(j(peer)) if peer else None
    errs = sum(r.get(k, 0) for k in ("connect_err", "read_err", "write_err", "status_err", "timeout_err")) if r else 0
    rows.append(f"| {label} | {v:,.0f} | {v / pk:.2f}x | " + (f"{p:,.0f} | {v / p:.2f}x" if p else "- | -")
                + f" | {r.get('p50_us', 0) / 1000:.2f} / {r.get('p99_us', 0) / 1000:.2f} ms | {errs} |")
text = f"""# Transparency log benchmark

Run {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')} on commit {commit}: `{cmd}`

## Appends (embedded store: SQLite WAL, synchronous=FULL)

| | value |
|---|--:|
| sustained appends/s ({a.get('in_flight')} in flight, {a.get('entry_bytes')}-byte entries, {a.get('seconds', 0):.0f} s) | {a.get('per_second', 0):,.0f} |
| integration latency under that load, p50 / p99 / max | {a.get('integrate_p50_ms', 0):.1f} / {a.get('integrate_p99_ms', 0):.1f} / {a.get('integrate_max_ms', 0):.1f} ms |
| integration latency, one append at a time, p50 / p99 | {a.get('idle_p50_ms', 0):.2f} / {a.get('idle_p99_ms', 0):.2f} ms |
| populating {pop.get('size', 0):,} entries for the read test | {pop.get('seconds', 0):.1f} s |

An append is acknowledged once it is durably integrated under a signed checkpoint, so its latency is the integration latency.
Proof answers for an explicit tree size never change and are kept in a 16 MB memory: the repeated
rows mostly hit it (as clients checking the same fresh versions would); the 200,000-URL row mostly
computes the proof.

## Reads over HTTP (log of {int(size):,} entries; wrk, 2 threads, 64 connections)

| request | Warden req/s | vs packuments | nginx req/s (same bytes) | vs nginx | p50 / p99 | errors |
|---|--:|--:|--:|--:|--:|--:|
""" + "\n".join(rows) + "\n"
with open(out, "w") as f:
    f.write(text)
print(text)
EOF
log "report: $OUT"
