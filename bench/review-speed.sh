#!/usr/bin/env bash
# The release review's speed: builds warden-review's test classes in this tree and runs
# dev.warden.review.ReviewSpeed on a JDK >= 21 over generated JavaScript.
# Usage: bench/review-speed.sh [MB of unpacked content, default 64] [rounds, default 5]
#        [percent of files changed since the previous release, default 100]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
# One Maven run: compile (siblings from this tree) and write the test classpath.
if ! out="$(flock /tmp/build.lock mvn -o -q -pl warden-review -am -DskipPrerequisites -Dformat.skip \
  test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" 2>&1)"; then
  echo "$out" >&2
  exit 1
fi

java_bin=""
for candidate in "${JAVA_HOME:-}/bin/java" /usr/lib/jvm/*/bin/java; do
  [[ -x "$candidate" ]] || continue
  major="$("$candidate" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')"
  if [[ "${major:-0}" -ge 21 ]]; then java_bin="$candidate"; break; fi
done
[[ -n "$java_bin" ]] || { echo "no JDK >= 21 found (set JAVA_HOME)" >&2; exit 1; }

# One core: the figure is per core, as the issue's target is.
exec taskset -c 0 "$java_bin" -Xmx2g -XX:ActiveProcessorCount=1 \
  -cp "warden-review/target/test-classes:warden-review/target/classes:$(cat "$cp_file")" \
  dev.warden.review.ReviewSpeed "$@"
