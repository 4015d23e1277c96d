#!/usr/bin/env bash
# e2e-static.sh: end-to-end static-file benchmark.
#
# Serves the same three files (1 KiB, 64 KiB, 1 MiB of random bytes) from
# Ringside's standalone static server, nginx, Tomcat 11 (DefaultServlet) and
# Jetty 12.1 (ee10 DefaultServlet), one server at a time, on 127.0.0.1, with the
# server pinned to one CPU and wrk pinned to another, and prints one table per
# file size: req/s, p50/p99 latency, MB/s, server CPU µs per request, and the
# ratios to nginx.  Results are also written as markdown to bench/out/.
#
# Environment knobs (defaults in brackets):
#   SERVERS       which servers, in order        ["nginx ringside tomcat jetty"]
#   DURATION      measured wrk run               [10s]
#   WARMUP        wrk run before each measurement, 0 to skip   [5s]
#   REPEAT        measured runs per file; the one with most req/s is kept [1]
#   CONNECTIONS   wrk connections                [50]
#   WRK_THREADS   wrk threads                    [1]
#   SERVER_CPU / CLIENT_CPU  taskset CPU lists   [0 / 1]
#   PORT_BASE     nginx=+1 ringside=+2 tomcat=+3 jetty=+4   [28080: below the ephemeral range, so a test elsewhere cannot hold it]
#   JVM_OPTS      extra options for the three JVM servers   [-Xms1g -Xmx1g]
#   JAVA_HOME     a JDK 25+ (else the newest 25+ under /usr/lib/jvm)
#   RINGSIDE_JAR  [uring-runtime/target/ringside-uring-runtime.jar, built if missing]
#   RINGSIDE_ARGS extra arguments for the Ringside server   [--host 127.0.0.1]
#   STARTUP_TIMEOUT  seconds to wait for a server to answer [60]
#   TOMCAT_VERSION / JETTY_VERSION   [11.0.24 / 12.1.12]
#   MAVEN_REPO    [https://repo.maven.apache.org/maven2]
#   MAVEN_LOCAL   a Maven local repository to take the tarballs from first   [~/.m2/repository]
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")
WORK=$BENCH_DIR/work
OUT=$BENCH_DIR/out
WWW=$WORK/www
LOGS=$WORK/logs

SERVERS=${SERVERS:-"nginx ringside tomcat jetty"}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-60}
RINGSIDE_JAR_DEFAULT=$REPO_DIR/uring-runtime/target/ringside-uring-runtime.jar
RINGSIDE_JAR=${RINGSIDE_JAR:-}
# Ringside binds 0.0.0.0 by default; the others listen on 127.0.0.1 only.
RINGSIDE_ARGS=${RINGSIDE_ARGS-"--host 127.0.0.1"}


NGINX_BIN=""
RUN_ID=$(date +%Y%m%d-%H%M%S)
RUN_DIR=$OUT/e2e-$RUN_ID   # raw wrk outputs of this run
LOG_TAG=e2e

# Shared with e2e-app.sh: JDK lookup, downloads, process and CPU accounting,
# wrk runs and parsing, measure(), and the result arrays RPS P50 ... (keyed "server/file").
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"

# ---------------------------------------------------------------- setup ----

has_server() { [[ " $SERVERS " == *" $1 "* ]]; }

ensure_server_tools() {
    local extra=()
    if has_server nginx; then extra+=($(nginx_package_if_missing)); fi
    ensure_tools "${extra[@]}"
    # Debian's nginx unit may have started a system nginx on port 80; we never use it.
}

# ---------------------------------------------------------------- servers ----
# prepare_X: one-off setup (may fail: the server is then n/a).
# start_X PORT: launch in the background via launch().

prepare_ringside() {
    [[ -n $JAVA ]] || { log "no JDK 25+"; return 1; }
    if [[ -z $RINGSIDE_JAR ]]; then
        RINGSIDE_JAR=$RINGSIDE_JAR_DEFAULT
        if [[ ! -f $RINGSIDE_JAR ]]; then
            log "building $RINGSIDE_JAR (log $LOGS/ringside-build.log)"
            (cd "$REPO_DIR" && JAVA_HOME=$JAVA_HOME_25 ./mvnw -B -q -pl uring-runtime package -DskipTests) \
                >"$LOGS/ringside-build.log" 2>&1 || { log "build failed"; return 1; }
        fi
    fi
    [[ -f $RINGSIDE_JAR ]] || { log "no jar at $RINGSIDE_JAR"; return 1; }
}

start_ringside() {
    # shellcheck disable=SC2086 # JVM_OPTS / RINGSIDE_ARGS are word lists
    launch "$LOGS/ringside.log" "$JAVA" $JVM_OPTS --enable-native-access=ALL-UNNAMED \
        -jar "$RINGSIDE_JAR" --root "$WWW" --port "$1" --threads 1 $RINGSIDE_ARGS
}

prepare_tomcat() {
    [[ -n $JAVA ]] || { log "no JDK 25+"; return 1; }
    ensure_tomcat_home || return 1
    # A separate CATALINA_BASE: stock conf/ with our server.xml, only a ROOT
    # webapp holding copies of the files (Tomcat refuses symlinks by default).
    TOMCAT_BASE=$WORK/tomcat-base
    rm -rf "$TOMCAT_BASE"
    mkdir -p "$TOMCAT_BASE"/{logs,temp,work,webapps/ROOT}
    cp -r "$TOMCAT_HOME/conf" "$TOMCAT_BASE/conf"
    cp "$WWW"/* "$TOMCAT_BASE/webapps/ROOT/"
}

start_tomcat() {
    launch_tomcat "$LOGS/tomcat.log" "$1" "$JVM_OPTS"
}

prepare_jetty() {
    [[ -n $JAVA ]] || { log "no JDK 25+"; return 1; }
    ensure_jetty_home || return 1
    # Jetty base: http + ee10 webapp deployer (no requestlog module = no request log).
    JETTY_BASE=$WORK/jetty-base
    rm -rf "$JETTY_BASE"
    mkdir -p "$JETTY_BASE/webapps/ROOT"
    (cd "$JETTY_BASE" && "$JAVA" -jar "$JETTY_HOME/start.jar" --add-modules=http,ee10-deploy) \
        >"$LOGS/jetty-setup.log" 2>&1 || { log "jetty base setup failed, see $LOGS/jetty-setup.log"; return 1; }
    # webapps/ROOT without WEB-INF: an ee10 WebAppContext at "/" whose
    # DefaultServlet serves the files (copies: Jetty refuses symlink aliases).
    cp "$WWW"/* "$JETTY_BASE/webapps/ROOT/"
}

start_jetty() {
    # start.jar runs the server in this JVM (no --exec needed by these modules).
    # shellcheck disable=SC2086
    launch "$LOGS/jetty.log" env -C "$JETTY_BASE" "$JAVA" $JVM_OPTS -jar "$JETTY_HOME/start.jar" \
        jetty.http.host=127.0.0.1 jetty.http.port="$1"
}

port_of() {
    case $1 in
        nginx) echo $((PORT_BASE + 1)) ;; ringside) echo $((PORT_BASE + 2)) ;;
        tomcat) echo $((PORT_BASE + 3)) ;; jetty) echo $((PORT_BASE + 4)) ;;
    esac
}

# ------------------------------------------------------------ measuring ----

bench_server() {
    local s=$1 port entry name size url
    port=$(port_of "$s")
    SERVER_NAME=$s
    log "=== $s on 127.0.0.1:$port (CPU $SERVER_CPU) ==="
    local fail=""
    if port_in_use "$port"; then
        fail="port $port busy"
    elif ! "prepare_$s"; then
        fail="setup failed"
    else
        if ! "start_$s" "$port"; then
            fail="start failed"
        elif ! wait_ready "http://127.0.0.1:$port/${FILES[0]%%:*}"; then
            fail="did not start"
            [[ -f $LOGS/$s.log ]] && tail -5 "$LOGS/$s.log" | sed 's/^/    /' >&2
        fi
    fi
    if [[ -n $fail ]]; then
        log "$s: $fail, skipping"
        stop_server
        for entry in "${FILES[@]}"; do na "$s" "${entry%%:*}" "$fail"; done
        return 0
    fi

    for entry in "${FILES[@]}"; do
        IFS=: read -r name size _ <<<"$entry"
        url="http://127.0.0.1:$port/$name"
        local got=$WORK/got-$s-$name
        rm -f "$got"
        if ! curl -fsS --max-time 20 -o "$got" "$url" || ! cmp -s "$got" "$WWW/$name"; then
            log "$s: WRONG BYTES for $name"
            na "$s" "$name" "wrong bytes"
            continue
        fi
        rm -f "$got"
        local rc=0
        measure "$s" "$name" "$url" || rc=$?
        ((rc != 2)) || break
    done
    stop_server
}

# ------------------------------------------------------------- reporting ----

# rank (1 = most req/s) of server s among rankable rows for file f
rank_of() {
    local s=$1 f=$2 o r=1
    [[ ${RANKABLE[$s/$f]:-0} == 1 ]] || { echo "-"; return; }
    for o in $SERVERS; do
        [[ ${RANKABLE[$o/$f]:-0} == 1 ]] || continue
        awk -v a="${RPS[$o/$f]}" -v b="${RPS[$s/$f]}" 'BEGIN { exit !(a > b) }' && r=$((r + 1))
    done
    echo "$r"
}

report() {
    local md=$1 entry name label s key
    local best=""
    ((REPEAT <= 1)) || best=" best of $REPEAT,"
    local cfg="wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION, warm-up $WARMUP,$best server on CPU $SERVER_CPU, wrk on CPU $CLIENT_CPU"
    {
        echo "# Ringside e2e static-file benchmark, $(date -Is)"
        echo
        echo "- host: $(uname -srm), $(nproc) CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
        echo "- $cfg; JVM_OPTS=\`$JVM_OPTS\`; java: $( [[ -n $JAVA ]] && "$JAVA" -version 2>&1 | head -1)"
        echo "- servers: nginx $("${NGINX_BIN:-nginx}" -v 2>&1 | sed 's/.*nginx\///'), Tomcat $TOMCAT_VERSION, Jetty $JETTY_VERSION (ee10), Ringside ${RINGSIDE_JAR:-$RINGSIDE_JAR_DEFAULT}"
        echo "- MB/s is wrk's Transfer/sec (MiB, headers included); CPU µs/req and server CPU % are the server's utime+stime over the measured run; wrk CPU % is wrk's own utime+stime (near 100 = wrk-bound); NOISY flags rows where other processes used ≥10 % of a CPU during the run; rank by req/s among rows without errors"
        echo
    } >"$md"
    for entry in "${FILES[@]}"; do
        IFS=: read -r name _ label <<<"$entry"
        local base_r=${RPS[nginx/$name]:-} base_c=${CPU_US[nginx/$name]:-}
        echo
        echo "$label file  ($cfg)"
        echo "server     req/s     p50 ms   p99 ms   MB/s      CPU µs/req  req/s÷nginx  CPU÷nginx  srv CPU%  wrk CPU%  rank  notes"
        {
            echo "## $label file"
            echo
            echo "| server | req/s | p50 ms | p99 ms | MB/s | CPU µs/req | req/s ÷ nginx | CPU ÷ nginx | server CPU % | wrk CPU % | rank | notes |"
            echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|"
        } >>"$md"
        for s in $SERVERS; do
            key=$s/$name
            local row
            if [[ -z ${RPS[$key]:-} ]]; then
                row=("$s" n/a n/a n/a n/a n/a - - - - - "${NOTE[$key]:-}")
            else
                row=("$s" "${RPS[$key]}" "${P50[$key]}" "${P99[$key]}" "${MBS[$key]}" "${CPU_US[$key]}"
                    "$(ratio "${RPS[$key]}" "$base_r")" "$(ratio "${CPU_US[$key]}" "$base_c")"
                    "${CPU_PCT[$key]}" "${WRK_PCT[$key]}" "$(rank_of "$s" "$name")" "${NOTE[$key]}")
            fi
            printf '%-10s %-9s %-8s %-8s %-9s %-11s %-12s %-10s %-9s %-9s %-5s %s\n' "${row[@]}"
            { printf '| %s ' "${row[@]}"; echo '|'; } >>"$md"
        done
        echo >>"$md"
    done
    echo
    log "markdown: $md"
}

main() {
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    local s md
    for s in $SERVERS; do
        [[ $s =~ ^(nginx|ringside|tomcat|jetty)$ ]] || die "unknown server '$s' in SERVERS (nginx ringside tomcat jetty)"
    done
    [[ $(nproc) -ge 2 ]] || log "WARNING: fewer than 2 CPUs; server and wrk will share a core"
    ensure_server_tools
    if ! find_jdk; then
        log "WARNING: no JDK 25+ found (set JAVA_HOME or install one under /usr/lib/jvm); ringside, tomcat and jetty will be n/a"
    else
        log "JDK: $JAVA_HOME_25"
    fi
    make_files
    md=$OUT/e2e-$RUN_ID.md
    for s in $SERVERS; do bench_server "$s"; done
    report "$md"
}

main "$@"
