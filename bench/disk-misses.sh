#!/usr/bin/env bash
# disk-misses.sh: what requests for files not yet cached cost the cached ones.
#
# One client (wrk, 50 connections) asks for a cached 1 KiB file the whole time; a
# second one (wrk, 4 connections), one second in, asks for MISSES distinct files
# that no server has seen (a fresh directory per round), each once, with the page
# cache dropped first when this runs as root, so the misses read the disk. The miss
# path is warmed too (three passes over other fresh files) before anything is measured. Printed per
# server: the cached client's req/s, p50, p99 and max, the misses' own p50/p99,
# and the server's CPU µs per request; then ratios to nginx (which opens files
# on its one worker) and, when given, to Ringside before the loop stopped doing
# disk work itself (RINGSIDE_BEFORE_JAR, or BEFORE=<commit> to build it).
# Servers are warmed until two runs in a row agree within 5 %; rounds alternate
# between servers; the median round is reported.
#
# Environment knobs (defaults in brackets):
#   SERVERS       [nginx ringside, plus before when RINGSIDE_BEFORE_JAR or BEFORE is set]
#   MISSES        distinct uncached files per round          [1000]
#   MISS_BYTES    size of each                               [16384]
#   DURATION      the cached client's run                    [8s]
#   REPEAT        rounds                                     [3]
#   SERVER_CPU / CLIENT_CPU   taskset CPU lists               [0 / 1]
#   PORT_BASE     nginx=+1 ringside=+2 before=+5             [28080]
#   RINGSIDE_JAR / RINGSIDE_BEFORE_JAR / BEFORE
#   RINGSIDE_ARGS extra arguments for both Ringside servers              []
#   MODE          misses (the above) or churn: every request a miss of a cache too small to
#                 hold the MISSES files (RINGSIDE_ARGS=--cache-entries 64), from the page cache
#                 (not dropped), 50 connections for DURATION: what a miss and an eviction cost
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")
WORK=$BENCH_DIR/work
OUT=$BENCH_DIR/out
WWW=$WORK/www-misses
LOGS=$WORK/logs
RUN_ID=$(date +%Y%m%d-%H%M%S)
RUN_DIR=$OUT/misses-$RUN_ID
LOG_TAG=misses
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-60}
DURATION=${DURATION:-8s}
REPEAT=${REPEAT:-3}
MISSES=${MISSES:-1000}
MISS_BYTES=${MISS_BYTES:-16384}
RINGSIDE_JAR=${RINGSIDE_JAR:-$REPO_DIR/uring-runtime/target/ringside-uring-runtime.jar}
RINGSIDE_BEFORE_JAR=${RINGSIDE_BEFORE_JAR:-}
BEFORE=${BEFORE:-}
RINGSIDE_ARGS=${RINGSIDE_ARGS:-}
MODE=${MODE:-misses}
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"
FILES=("1k.bin:1024:1 KiB")
SERVERS=${SERVERS:-"nginx ringside${RINGSIDE_BEFORE_JAR:+ before}${BEFORE:+ before}"}
NGINX_ROOT=$WWW

declare -A PIDS HOT_RPS HOT_P50 HOT_P99 HOT_MAX MISS_P50 MISS_P99 CPU
port_of() { case $1 in nginx) echo $((PORT_BASE + 1)) ;; ringside) echo $((PORT_BASE + 2)) ;; before) echo $((PORT_BASE + 5)) ;; esac; }

build_before() {
    [[ -z $RINGSIDE_BEFORE_JAR && -n $BEFORE ]] || return 0
    local tree=$WORK/before-$BEFORE
    if [[ ! -f $tree/uring-runtime/target/ringside-uring-runtime.jar ]]; then
        log "building Ringside at $BEFORE in $tree"
        rm -rf "$tree"
        git -C "$REPO_DIR" worktree add -f --detach "$tree" "$BEFORE" >/dev/null
        (cd "$tree" && JAVA_HOME=$JAVA_HOME_25 ./mvnw -B -q -o -pl uring-runtime -am package -DskipTests) \
            >"$LOGS/before-build.log" 2>&1 || die "build of $BEFORE failed, see $LOGS/before-build.log"
    fi
    RINGSIDE_BEFORE_JAR=$tree/uring-runtime/target/ringside-uring-runtime.jar
}

start_one() {  # server
    local s=$1 port
    port=$(port_of "$s")
    SERVER_NAME=$s
    case $s in
        nginx) prepare_nginx && start_nginx "$port" ;;
        ringside | before)
            local jar=$RINGSIDE_JAR
            [[ $s == before ]] && jar=$RINGSIDE_BEFORE_JAR
            # shellcheck disable=SC2086
            launch "$LOGS/misses-$s.log" "$JAVA" $JVM_OPTS --enable-native-access=ALL-UNNAMED \
                -jar "$jar" --root "$WWW" --port "$port" --threads 1 --host 127.0.0.1 $RINGSIDE_ARGS ;;
    esac
    wait_ready "http://127.0.0.1:$port/1k.bin" || die "$s did not start"
    PIDS[$s]=$SERVER_PID
    SERVER_PID=""
}

warm() {  # server: until two 3 s runs in a row agree within 5 %
    local s=$1 prev=0 rps i
    for ((i = 1; i <= 12; i++)); do
        run_wrk 3s "http://127.0.0.1:$(port_of "$s")/1k.bin" "$LOGS/misses-warm-$s.txt"
        rps=$(parse_wrk "$LOGS/misses-warm-$s.txt" | awk '{print $2}')
        log "$s warm-up $i: $rps req/s"
        if awk -v a="$rps" -v b="$prev" 'BEGIN { exit !(b > 0 && a / b > 0.95 && a / b < 1.05) }'; then break; fi
        prev=$rps
    done
    ((i <= 12)) || log "$s: warm-up did not settle within 12 runs"
    # The miss path too (its code compiled before it is measured): three passes over fresh files.
    for i in 1 2 3; do
        fresh_dir "warm-$i-$s"
        miss_script "warm-$i-$s"
        taskset -c "$CLIENT_CPU" wrk -t1 -c4 -d30s -s "$WORK/misses.lua" "http://127.0.0.1:$(port_of "$s")/" \
            >"$LOGS/misses-warm-miss-$s.txt" 2>&1 || true
        rm -rf "${WWW:?}/warm-$i-$s"
    done
}

max_ms() {  # the Max column of wrk's "Latency" line, in ms
    awk '$1 == "Latency" && $2 != "Distribution" { v = $4; if (v ~ /us$/) print v / 1000; else if (v ~ /ms$/) print v + 0; else print v * 1000; exit }' "$1"
}

# The misses' client: each of the MISSES files once, then it stops (its latencies are the misses' only).
miss_script() {  # directory
    cat >"$WORK/misses.lua" <<EOF
local i, answered = -1, 0
request = function()
  i = i + 1
  return wrk.format("GET", string.format("/$1/f%05d", i % $MISSES))
end
response = function(status, headers, body)
  answered = answered + 1
  if answered >= $MISSES then wrk.thread:stop() end
end
EOF
}

# A directory of MISSES fresh files, written out of the page cache (dropped) when root may.
fresh_dir() {  # directory
    mkdir -p "$WWW/$1"
    head -c $((MISSES * MISS_BYTES)) /dev/urandom | split -b "$MISS_BYTES" -d -a 5 - "$WWW/$1/f"
    sync
    if [[ $EUID -eq 0 ]] && echo 3 >/proc/sys/vm/drop_caches 2>/dev/null; then :; else log "page cache not dropped (not root): misses read memory"; fi
}

round() {  # server round
    local s=$1 r=$2 port dir t0 t1
    port=$(port_of "$s")
    dir=cold-$r-$s
    fresh_dir "$dir"
    miss_script "$dir"
    local hot=$RUN_DIR/hot-$s-$r.txt miss=$RUN_DIR/miss-$s-$r.txt secs
    secs=$(dur_secs "$DURATION")
    t0=$(tree_ticks "${PIDS[$s]}")
    taskset -c "$CLIENT_CPU" wrk -t1 -c50 -d"$DURATION" --latency "http://127.0.0.1:$port/1k.bin" >"$hot" 2>&1 &
    local hot_pid=$!
    sleep 1
    # Misses only: the client stops once each file has been answered.
    taskset -c "$CLIENT_CPU" wrk -t1 -c4 -d$((secs - 2))s --latency -s "$WORK/misses.lua" \
        "http://127.0.0.1:$port/" >"$miss" 2>&1 || true
    wait "$hot_pid"
    t1=$(tree_ticks "${PIDS[$s]}")
    local hp mp reqs
    hp=$(parse_wrk "$hot"); mp=$(parse_wrk "$miss")
    reqs=$(($(awk '{print $1}' <<<"$hp") + $(awk '{print $1}' <<<"$mp")))
    printf '%s %s %s %s %s %s %s\n' "$(awk '{print $2}' <<<"$hp")" "$(awk '{print $3}' <<<"$hp")" \
        "$(awk '{print $4}' <<<"$hp")" "$(max_ms "$hot")" "$(awk '{print $3}' <<<"$mp")" "$(awk '{print $4}' <<<"$mp")" \
        "$(awk -v d=$((t1 - t0)) -v hz="$CLK_TCK" -v n="$reqs" 'BEGIN { printf "%.1f", d * 1e6 / hz / n }')" \
        >>"$RUN_DIR/rounds-$s.txt"
    log "$s round $r: hot req/s p50 p99 max, miss p50 p99, µs/req: $(tail -1 "$RUN_DIR/rounds-$s.txt")"
    rm -rf "${WWW:?}/$dir"
}

# MODE=churn: 50 connections cycle over the MISSES files of one directory written once.
churn_round() {  # server round
    local s=$1 r=$2 port out t0 t1 hp
    port=$(port_of "$s")
    out=$RUN_DIR/churn-$s-$r.txt
    miss_script churn
    sed -i '/^response = /,/^end/d' "$WORK/misses.lua" # no stop: the files come round again and again
    t0=$(tree_ticks "${PIDS[$s]}")
    taskset -c "$CLIENT_CPU" wrk -t1 -c50 -d"$DURATION" --latency -s "$WORK/misses.lua" "http://127.0.0.1:$port/" >"$out" 2>&1
    t1=$(tree_ticks "${PIDS[$s]}")
    hp=$(parse_wrk "$out")
    printf '%s %s %s %s - - %s\n' "$(awk '{print $2}' <<<"$hp")" "$(awk '{print $3}' <<<"$hp")" \
        "$(awk '{print $4}' <<<"$hp")" "$(max_ms "$out")" \
        "$(awk -v d=$((t1 - t0)) -v hz="$CLK_TCK" -v n="$(awk '{print $1}' <<<"$hp")" 'BEGIN { printf "%.1f", d * 1e6 / hz / n }')" \
        >>"$RUN_DIR/rounds-$s.txt"
    log "$s churn round $r: req/s p50 p99 max µs/req: $(tail -1 "$RUN_DIR/rounds-$s.txt")"
}

median_of() {  # file column
    sort -n -k"$2","$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { print v[int((NR + 1) / 2)] }'
}

main() {
    ensure_tools "$(nginx_package_if_missing)"
    find_jdk || die "no JDK 25+"
    mkdir -p "$WWW" "$LOGS" "$RUN_DIR"
    make_files
    [[ -f $RINGSIDE_JAR ]] || (cd "$REPO_DIR" && JAVA_HOME=$JAVA_HOME_25 ./mvnw -B -q -o -pl uring-runtime -am package -DskipTests)
    build_before
    trap 'for p in "${PIDS[@]}"; do SERVER_PID=$p; stop_server; done' EXIT
    local s r
    for s in $SERVERS; do start_one "$s"; warm "$s"; done
    if [[ $MODE == churn ]]; then
        mkdir -p "$WWW/churn"
        head -c $((MISSES * MISS_BYTES)) /dev/urandom | split -b "$MISS_BYTES" -d -a 5 - "$WWW/churn/f"
        for s in $SERVERS; do churn_round "$s" 0; done # warm the miss path; not counted
        rm -f "$RUN_DIR"/rounds-*.txt
    fi
    for ((r = 1; r <= REPEAT; r++)); do
        for s in $SERVERS; do
            if [[ $MODE == churn ]]; then churn_round "$s" "$r"; else round "$s" "$r"; fi
        done
    done
    {
        if [[ $MODE == churn ]]; then
            echo "## Every request a miss: $MISSES files ($MISS_BYTES bytes each) round robin, Ringside's args: ${RINGSIDE_ARGS:-none} ($RUN_ID)"
            echo; echo "(columns: the one client's req/s, p50, p99, max; no separate misses)"
        else
            echo "## Cached hits while $MISSES uncached files ($MISS_BYTES bytes each) are requested ($RUN_ID)"
        fi
        echo
        echo "Median of $REPEAT rounds; server on CPU $SERVER_CPU, wrk on CPU $CLIENT_CPU; page cache dropped before each round: $([[ $MODE == misses && $EUID -eq 0 ]] && echo yes || echo no)."
        echo
        echo "| server | hits req/s | hits p50 ms | hits p99 ms | hits max ms | misses p50 ms | misses p99 ms | server CPU µs/req | hits p99 / nginx's |"
        echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        local np99
        np99=$( [[ -f $RUN_DIR/rounds-nginx.txt ]] && median_of "$RUN_DIR/rounds-nginx.txt" 3 || echo "")
        for s in $SERVERS; do
            local f=$RUN_DIR/rounds-$s.txt
            echo "| $s | $(median_of "$f" 1) | $(median_of "$f" 2) | $(median_of "$f" 3) | $(median_of "$f" 4) | $(median_of "$f" 5) | $(median_of "$f" 6) | $(median_of "$f" 7) | $(ratio "$(median_of "$f" 3)" "$np99") |"
        done
        echo
        echo "Every round (hits req/s, p50, p99, max; misses p50, p99; µs/req):"
        for s in $SERVERS; do echo; echo "$s:"; sed 's/^/    /' "$RUN_DIR/rounds-$s.txt"; done
    } | tee "$RUN_DIR/report.md"
}

main "$@"
