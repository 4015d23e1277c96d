#!/usr/bin/env bash
# Builds the benchmarks and runs them with the GC profiler.
#   bench/jmh.sh                      # parser and response head, short runs
#   bench/jmh.sh HttpParser -f 3      # any JMH arguments; they replace the defaults
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

java25="${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
[ -x "$java25" ] || java25="$(command -v java)"

./mvnw -B -q -pl bench -am package -DskipTests

args=("$@")
if [ ${#args[@]} -eq 0 ]; then
  args=(-f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc "HttpParserBenchmark|ResponseHeadBenchmark")
fi

out="bench/target/jmh-result.txt"
"$java25" --enable-native-access=ALL-UNNAMED -jar bench/target/ringside-bench.jar "${args[@]}" \
  -rf text -rff "$out"

echo
echo "== Results (also in $out) =="
grep -E '^Benchmark|avgt' "$out" | grep -Ev 'gc\.(count|time|alloc\.rate )' || cat "$out"

# Jetty / Ringside time per request, where both were measured.
awk '
  $1 ~ /HttpParserBenchmark\.(jetty|ringside)$/ && $3 == "avgt" {
    split($1, n, "."); t[n[2], $2] = $5; seen[$2] = 1
  }
  END {
    for (r in seen) if ((("jetty", r) in t) && (("ringside", r) in t))
      printf "ratio jetty/ringside %-8s %.2fx\n", r, t["jetty", r] / t["ringside", r]
  }' "$out"
