#!/usr/bin/env bash
# ab.sh: two Ringside standalone servers, A and B, measured alternately in one run, with nginx
# beside them as the reference; for a change whose cost or gain is smaller than a machine's
# drift between two runs (sequential runs of one server after another cannot show 2 %).
#
# Each server: warmed until two 3 s runs in a row agree within 5 %; then REPEAT rounds, each one
# wrk run per server (A, B, nginx), on each FILE; printed per round and as medians: req/s, p99,
# the server's CPU µs per request, and B/A. When wrk's own CPU is near 100 % the client is the
# limit: read CPU µs/req then, not req/s.
#
# Environment knobs (defaults in brackets):
#   A_JAR, B_JAR        Ringside jars   [uring-runtime/target/ringside-uring-runtime.jar, both]
#   A_OPTS, B_OPTS      extra JVM options of each   [none]   e.g. B_OPTS=-XX:StartFlightRecording
#   A_ARGS, B_ARGS      extra server arguments      [none]
#   ABFILES             which of the generated files  ["1k.bin 64k.bin"]
#   DURATION REPEAT CONNECTIONS SERVER_CPU CLIENT_CPU PORT_BASE JVM_OPTS  as in lib.sh  [5s 3 50 0 1 28080]
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")
WORK=$BENCH_DIR/work
OUT=$BENCH_DIR/out
WWW=$WORK/www
LOGS=$WORK/logs
RUN_ID=$(date +%Y%m%d-%H%M%S)
RUN_DIR=$OUT/ab-$RUN_ID
LOG_TAG=ab
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-60}
DURATION=${DURATION:-5s}
REPEAT=${REPEAT:-3}
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"
DEFAULT_JAR=$REPO_DIR/uring-runtime/target/ringside-uring-runtime.jar
A_JAR=${A_JAR:-$DEFAULT_JAR}
B_JAR=${B_JAR:-$DEFAULT_JAR}
A_OPTS=${A_OPTS:-}
B_OPTS=${B_OPTS:-}
A_ARGS=${A_ARGS:-}
B_ARGS=${B_ARGS:-}
read -r -a ABFILES <<<"${ABFILES:-1k.bin 64k.bin}"
SIDES=(a b nginx)
declare -A PIDS

port_of() { case $1 in a) echo $((PORT_BASE + 6)) ;; b) echo $((PORT_BASE + 7)) ;; nginx) echo $((PORT_BASE + 1)) ;; esac; }

start_side() {  # a | b | nginx
    local s=$1 port
    port=$(port_of "$s")
    SERVER_NAME=$s
    if [[ $s == nginx ]]; then
        prepare_nginx && start_nginx "$port"
    else
        local jar opts args
        if [[ $s == a ]]; then jar=$A_JAR opts=$A_OPTS args=$A_ARGS; else jar=$B_JAR opts=$B_OPTS args=$B_ARGS; fi
        # shellcheck disable=SC2086 # option lists
        launch "$LOGS/ab-$s.log" "$JAVA" $JVM_OPTS $opts --enable-native-access=ALL-UNNAMED \
            -jar "$jar" --root "$WWW" --port "$port" --threads 1 --host 127.0.0.1 $args
    fi
    wait_ready "http://127.0.0.1:$port/${ABFILES[0]}" || die "$s did not start"
    PIDS[$s]=$SERVER_PID
    SERVER_PID=""
}

warm() {  # side file
    local s=$1 f=$2 prev=0 rps i
    for ((i = 1; i <= 12; i++)); do
        run_wrk 3s "http://127.0.0.1:$(port_of "$s")/$f" "$LOGS/ab-warm-$s.txt"
        rps=$(parse_wrk "$LOGS/ab-warm-$s.txt" | awk '{print $2}')
        awk -v a="$rps" -v b="$prev" 'BEGIN { exit !(b > 0 && a / b > 0.95 && a / b < 1.05) }' && return 0
        prev=$rps
    done
    log "$s $f: warm-up did not settle within 12 runs"
}

one_run() {  # side file round: appends "rps p99 cpu_us wrk_pct" to RUN_DIR/<file>-<side>.txt
    local s=$1 f=$2 r=$3 out t0 t1 w0 w1 parsed
    out=$RUN_DIR/wrk-$s-$f-$r.txt
    t0=$(tree_ticks "${PIDS[$s]}"); children_cpu; w0=$CHILD_CPU
    run_wrk "$DURATION" "http://127.0.0.1:$(port_of "$s")/$f" "$out"
    t1=$(tree_ticks "${PIDS[$s]}"); children_cpu; w1=$CHILD_CPU
    parsed=$(parse_wrk "$out")
    awk -v p="$parsed" -v d=$((t1 - t0)) -v hz="$CLK_TCK" -v a="$w0" -v b="$w1" -v secs="$(dur_secs "$DURATION")" 'BEGIN {
        split(p, v, " "); printf "%s %s %.1f %.0f\n", v[2], v[4], d * 1e6 / hz / v[1], (b - a) / secs * 100 }' \
        >>"$RUN_DIR/$f-$s.txt"
    log "$s $f round $r: $(tail -1 "$RUN_DIR/$f-$s.txt") (req/s p99 µs/req wrk%)"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

main() {
    ensure_tools "$(nginx_package_if_missing)"
    find_jdk || die "no JDK 25+"
    mkdir -p "$LOGS" "$RUN_DIR"
    make_files
    [[ -f $DEFAULT_JAR ]] || (cd "$REPO_DIR" && JAVA_HOME=$JAVA_HOME_25 ./mvnw -B -q -pl uring-runtime -am package -DskipTests)
    trap 'for p in "${PIDS[@]}"; do SERVER_PID=$p; stop_server; done' EXIT
    local s f r
    for s in "${SIDES[@]}"; do start_side "$s"; done
    {
        echo "## A/B ($RUN_ID): A = ${A_JAR#"$REPO_DIR"/} ${A_OPTS} ${A_ARGS}; B = ${B_JAR#"$REPO_DIR"/} ${B_OPTS} ${B_ARGS}"
        echo
        echo "Alternating rounds; server on CPU $SERVER_CPU, wrk -t1 -c$CONNECTIONS -d$DURATION on CPU $CLIENT_CPU; medians of $REPEAT."
        echo
        echo "| file | A req/s | B req/s | nginx req/s | B/A req/s | A µs/req | B µs/req | nginx µs/req | B/A µs/req | A p99 ms | B p99 ms | wrk CPU % |"
        echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    } >"$RUN_DIR/report.md"
    for f in "${ABFILES[@]}"; do
        for s in "${SIDES[@]}"; do warm "$s" "$f"; done
        for ((r = 1; r <= REPEAT; r++)); do
            for s in "${SIDES[@]}"; do one_run "$s" "$f" "$r"; done
        done
        local ar br nr au bu nu ap bp wp
        ar=$(awk '{print $1}' "$RUN_DIR/$f-a.txt" | median); br=$(awk '{print $1}' "$RUN_DIR/$f-b.txt" | median)
        nr=$(awk '{print $1}' "$RUN_DIR/$f-nginx.txt" | median)
        au=$(awk '{print $3}' "$RUN_DIR/$f-a.txt" | median); bu=$(awk '{print $3}' "$RUN_DIR/$f-b.txt" | median)
        nu=$(awk '{print $3}' "$RUN_DIR/$f-nginx.txt" | median)
        ap=$(awk '{print $2}' "$RUN_DIR/$f-a.txt" | median); bp=$(awk '{print $2}' "$RUN_DIR/$f-b.txt" | median)
        wp=$(cat "$RUN_DIR/$f-a.txt" "$RUN_DIR/$f-b.txt" | awk '{print $4}' | median)
        echo "| $f | $ar | $br | $nr | $(ratio "$br" "$ar") | $au | $bu | $nu | $(ratio "$bu" "$au") | $ap | $bp | $wp |" >>"$RUN_DIR/report.md"
    done
    {
        echo
        echo "Rounds (req/s p99 µs/req wrk%):"
        for f in "${ABFILES[@]}"; do for s in "${SIDES[@]}"; do echo; echo "$f $s:"; sed 's/^/    /' "$RUN_DIR/$f-$s.txt"; done; done
    } >>"$RUN_DIR/report.md"
    cat "$RUN_DIR/report.md"
}

main "$@"
