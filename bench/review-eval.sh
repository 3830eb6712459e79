#!/usr/bin/env bash
# The release review's evaluation (issue 17): runs the real Reviewer and ReviewPolicy over the
# malicious corpus (bench/review/attacks/, reconstructions that are never run), the held-out
# reconstructions (bench/review/holdout/, reported apart) and the benign corpus
# (consecutive real releases of the packages in bench/review/benign-packages.txt, fetched on demand
# into bench/.work/review-cache, never committed) and writes a confusion table, the findings behind
# each decision and the analysis throughput to bench/results/review-eval-latest.md.
#
# usage: bench/review-eval.sh [--limit N] [--no-fetch] [--out FILE]
#   --limit N    review only the first N benign releases (a quick look; the report says so)
#   --no-fetch   use the cache as it is (no registry access)
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$BENCH_DIR/.." && pwd)"
CACHE="$BENCH_DIR/.work/review-cache"
LIST="$BENCH_DIR/review/benign-packages.txt"
OUT="$BENCH_DIR/results/review-eval-latest.md"
CMDLINE="bench/review-eval.sh${*:+ $*}"
LIMIT=0
FETCH=1
while (( $# )); do
  case "$1" in
    --limit) LIMIT="$2"; shift ;;
    --no-fetch) FETCH=0 ;;
    --out) OUT="$(realpath -m "$2")"; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "review-eval: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1; }
find_java() {
  local candidates=()
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  for d in /usr/lib/jvm/*/ /opt/java/*/ /usr/local/lib/jvm/*/; do
    [[ -x "${d}bin/java" ]] && candidates+=("${d}bin/java")
  done
  for j in "${candidates[@]}"; do
    local v; v="$(java_major "$j" || true)"
    if [[ "$v" =~ ^[0-9]+$ ]] && (( v >= 21 )); then echo "$j"; return 0; fi
  done
  echo "review-eval: no JDK 21 or newer found (set JAVA_HOME)" >&2
  return 1
}
JAVA="$(find_java)"

if (( FETCH )); then
  echo "review-eval: fetching the benign corpus into $CACHE (cached files are kept)" >&2
  node "$BENCH_DIR/review/fetch.mjs" "$LIST" "$CACHE"
fi

echo "review-eval: building warden-review and its test classes" >&2
CP_FILE="$BENCH_DIR/.work/review-eval.classpath"
mkdir -p "$BENCH_DIR/.work"
(cd "$REPO_DIR" && flock /tmp/build.lock mvn -o -q -B -Dstyle.color=never -pl warden-review -am test-compile \
  dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test \
  -DskipPrerequisites -Dformat.skip) >&2
CP="$REPO_DIR/warden-review/target/test-classes:$REPO_DIR/warden-review/target/classes:$(cat "$CP_FILE")"

REVISION="$(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)"
[[ -n "$(git -C "$REPO_DIR" status --porcelain -- warden-review bench/review 2>/dev/null)" ]] && REVISION+=" (with uncommitted changes)"

# One core: the review runs on one thread; the collector is kept to one thread as well.
"$JAVA" -Xmx4g -XX:+UseSerialGC -cp "$CP" dev.warden.review.eval.ReviewEval \
  --attacks "$BENCH_DIR/review/attacks" --holdout "$BENCH_DIR/review/holdout" --list "$LIST" --cache "$CACHE" --out "$OUT" \
  --command "$CMDLINE" --revision "$REVISION" --limit "$LIMIT"
echo "review-eval: report written to ${OUT#"$REPO_DIR"/}" >&2
