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
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")
WORK=$BENCH_DIR/work
OUT=$BENCH_DIR/out
WWW=$WORK/www
LOGS=$WORK/logs

SERVERS=${SERVERS:-"nginx ringside tomcat jetty"}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s}
REPEAT=${REPEAT:-1}
CONNECTIONS=${CONNECTIONS:-50}
WRK_THREADS=${WRK_THREADS:-1}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
PORT_BASE=${PORT_BASE:-28080}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-60}
JVM_OPTS=${JVM_OPTS:-"-Xms1g -Xmx1g"}
TOMCAT_VERSION=${TOMCAT_VERSION:-11.0.24}
JETTY_VERSION=${JETTY_VERSION:-12.1.12}
MAVEN_REPO=${MAVEN_REPO:-https://repo.maven.apache.org/maven2}
RINGSIDE_JAR_DEFAULT=$REPO_DIR/uring-runtime/target/ringside-uring-runtime.jar
RINGSIDE_JAR=${RINGSIDE_JAR:-}
# Ringside binds 0.0.0.0 by default; the others listen on 127.0.0.1 only.
RINGSIDE_ARGS=${RINGSIDE_ARGS-"--host 127.0.0.1"}

# name:size in bytes:label
FILES=("1k.bin:1024:1 KiB" "64k.bin:65536:64 KiB" "1m.bin:1048576:1 MiB")

CLK_TCK=$(getconf CLK_TCK)
JAVA=""            # JDK 25+ java and its home, set by find_jdk
JAVA_HOME_25=""
NGINX_BIN=""
RUN_ID=$(date +%Y%m%d-%H%M%S)
RUN_DIR=$OUT/e2e-$RUN_ID   # raw wrk outputs of this run
SERVER_PID=""      # the server being measured
SERVER_NAME=""
WRK_PID=""
CHILD_CPU=0

# Results, keyed "server/file".
declare -A RPS P50 P99 MBS CPU_US CPU_PCT WRK_PCT NOTE RANKABLE

log() { printf '[e2e] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- setup ----

has_server() { [[ " $SERVERS " == *" $1 "* ]]; }

ensure_tools() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    command -v curl >/dev/null || missing+=(curl)
    command -v taskset >/dev/null || missing+=(util-linux)
    command -v cmp >/dev/null || missing+=(diffutils)
    if has_server nginx && ! command -v nginx >/dev/null && [[ ! -x /usr/sbin/nginx ]]; then
        missing+=(nginx-light)
    fi
    if ((${#missing[@]})); then
        [[ $EUID -eq 0 ]] || die "missing ${missing[*]}; run as root or: sudo apt-get install -y ${missing[*]}"
        log "installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    # Debian's nginx unit may have started a system nginx on port 80; we never use it.
}

java_major() {  # prints e.g. 25 for a java binary
    "$1" -XshowSettings:properties -version 2>&1 |
        awk -F'= *' '/java.specification.version/ { split($2, v, "."); print v[1]; exit }'
}

find_jdk() {
    local cand v best="" bestv=0
    if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then
        v=$(java_major "$JAVA_HOME/bin/java")
        if [[ $v =~ ^[0-9]+$ ]] && ((v >= 25)); then
            JAVA_HOME_25=$JAVA_HOME; JAVA=$JAVA_HOME/bin/java; return 0
        fi
        log "JAVA_HOME=$JAVA_HOME is Java ${v:-?}, not 25+; looking under /usr/lib/jvm"
    fi
    for cand in /usr/lib/jvm/*; do
        [[ -x $cand/bin/java ]] || continue
        v=$(java_major "$cand/bin/java")
        if [[ $v =~ ^[0-9]+$ ]] && ((v >= 25 && v > bestv)); then
            best=$cand; bestv=$v
        fi
    done
    if [[ -n $best ]]; then
        JAVA_HOME_25=$best; JAVA=$best/bin/java; return 0
    fi
    return 1
}

make_files() {
    mkdir -p "$WWW" "$LOGS" "$RUN_DIR"
    local entry name size
    for entry in "${FILES[@]}"; do
        IFS=: read -r name size _ <<<"$entry"
        if [[ ! -f $WWW/$name || $(stat -c %s "$WWW/$name") -ne $size ]]; then
            log "generating $WWW/$name ($size bytes)"
            head -c "$size" /dev/urandom >"$WWW/$name"
        fi
    done
}

# Downloads group/artifact/version/file from Maven Central once, checks its sha1.
fetch_maven() {
    local path=$1 file=$2 dest=$WORK/$2
    [[ -s $dest ]] && return 0
    log "downloading $MAVEN_REPO/$path/$file"
    curl -fsSL --retry 3 --max-time 600 -o "$dest.part" "$MAVEN_REPO/$path/$file" || return 1
    local want got
    want=$(curl -fsSL --max-time 60 "$MAVEN_REPO/$path/$file.sha1" | awk '{print $1}') || want=""
    got=$(sha1sum "$dest.part" | awk '{print $1}')
    if [[ -n $want && $want != "$got" ]]; then
        log "sha1 mismatch for $file: want $want got $got"; rm -f "$dest.part"; return 1
    fi
    mv "$dest.part" "$dest"
}

# ------------------------------------------------------- process helpers ----

# pid and all its descendants
pid_tree() {
    local p=$1 c
    [[ -d /proc/$p ]] || return 0
    echo "$p"
    for c in $(pgrep -P "$p" 2>/dev/null || true); do pid_tree "$c"; done
}

# utime+stime (clock ticks) summed over the server's process tree
tree_ticks() {
    local p total=0 t
    for p in $(pid_tree "$1"); do
        # fields after "(comm) ": state is $1, so utime (field 14) is $12, stime $13
        t=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13}') || t=0
        total=$((total + ${t:-0}))
    done
    echo "$total"
}

# user+nice+system jiffies of the whole machine (irq/softirq excluded, as they
# are not billed to processes either)
machine_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 }' /proc/stat; }

# CPU seconds of this shell's reaped children (the `times` builtin, run in
# this shell so it sees them); the delta around run_wrk is wrk's own CPU.
# Sets CHILD_CPU.
children_cpu() {
    local f=$WORK/times.txt
    times >"$f"
    CHILD_CPU=$(awk 'NR == 2 { s = 0; for (i = 1; i <= 2; i++) { split($i, p, "m"); s += p[1] * 60 + p[2] }
        printf "%.3f", s }' "$f")
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_ready() {  # url timeout
    local url=$1 deadline=$((SECONDS + STARTUP_TIMEOUT))
    while ((SECONDS < deadline)); do
        kill -0 "$SERVER_PID" 2>/dev/null || { log "$SERVER_NAME exited during startup"; return 1; }
        curl -fs -o /dev/null --max-time 2 "$url" && return 0
        sleep 0.25
    done
    log "$SERVER_NAME not ready after ${STARTUP_TIMEOUT}s"
    return 1
}

stop_server() {
    [[ -n $SERVER_PID ]] || return 0
    local pids p i
    pids=$(pid_tree "$SERVER_PID")
    log "stopping $SERVER_NAME (pid $SERVER_PID)"
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        local alive=0
        for p in $pids; do kill -0 "$p" 2>/dev/null && alive=1; done
        ((alive)) || break
        sleep 0.2
    done
    for p in $pids; do kill -KILL "$p" 2>/dev/null || true; done
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n $WRK_PID ]]; then kill -TERM "$WRK_PID" 2>/dev/null || true; wait "$WRK_PID" 2>/dev/null || true; fi
    stop_server
    exit "$rc"
}

# Runs a command on the server CPU in the background; sets SERVER_PID.
# taskset and catalina.sh exec, so the pid is the server itself.
launch() {  # logfile cmd...
    local logfile=$1; shift
    taskset -c "$SERVER_CPU" "$@" >"$logfile" 2>&1 &
    SERVER_PID=$!
    log "$SERVER_NAME started, pid $SERVER_PID, log $logfile"
}

# ---------------------------------------------------------------- servers ----
# prepare_X: one-off setup (may fail: the server is then n/a).
# start_X PORT: launch in the background via launch().

prepare_nginx() {
    NGINX_BIN=$(command -v nginx || echo /usr/sbin/nginx)
    local d=$WORK/nginx
    mkdir -p "$d/logs" "$d/tmp"
    local user_line=""
    [[ $EUID -eq 0 ]] && user_line="user root;"
    # temp paths are set so nginx never touches /var/lib/nginx; -e keeps
    # startup errors away from /var/log/nginx.
    cat >"$d/nginx.conf" <<EOF
# generated by bench/e2e-static.sh
$user_line
worker_processes 1;
daemon off;
master_process on;
pid $d/nginx.pid;
error_log $d/logs/error.log warn;
events { worker_connections 4096; }
http {
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 100000;
    keepalive_timeout 75s;
    open_file_cache max=1000 inactive=60s;
    open_file_cache_valid 60s;
    client_body_temp_path $d/tmp/body;
    proxy_temp_path $d/tmp/proxy;
    fastcgi_temp_path $d/tmp/fastcgi;
    uwsgi_temp_path $d/tmp/uwsgi;
    scgi_temp_path $d/tmp/scgi;
    server {
        listen 127.0.0.1:@PORT@;
        server_name localhost;
        root $WWW;
    }
}
EOF
    # nginx-light may lack some modules: drop temp-path lines it rejects.
    local m
    for m in proxy fastcgi uwsgi scgi; do
        "$NGINX_BIN" -V 2>&1 | grep -q -- "--without-http_${m}_module" &&
            sed -i "/^ *${m}_temp_path/d" "$d/nginx.conf"
    done
    return 0
}

start_nginx() {
    local d=$WORK/nginx
    sed "s/@PORT@/$1/" "$d/nginx.conf" >"$d/nginx-run.conf"
    "$NGINX_BIN" -t -q -p "$d" -e "$d/logs/error.log" -c "$d/nginx-run.conf" >"$LOGS/nginx-test.log" 2>&1 ||
        { log "nginx -t failed: $(tail -3 "$LOGS/nginx-test.log")"; return 1; }
    launch "$LOGS/nginx.log" "$NGINX_BIN" -p "$d" -e "$d/logs/error.log" -c "$d/nginx-run.conf"
}

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
    TOMCAT_HOME=$WORK/apache-tomcat-$TOMCAT_VERSION
    if [[ ! -x $TOMCAT_HOME/bin/catalina.sh ]]; then
        fetch_maven "org/apache/tomcat/tomcat/$TOMCAT_VERSION" "tomcat-$TOMCAT_VERSION.tar.gz" || return 1
        tar xzf "$WORK/tomcat-$TOMCAT_VERSION.tar.gz" -C "$WORK" || return 1
    fi
    # A separate CATALINA_BASE: stock conf/ with our server.xml, only a ROOT
    # webapp holding copies of the files (Tomcat refuses symlinks by default).
    TOMCAT_BASE=$WORK/tomcat-base
    rm -rf "$TOMCAT_BASE"
    mkdir -p "$TOMCAT_BASE"/{logs,temp,work,webapps/ROOT}
    cp -r "$TOMCAT_HOME/conf" "$TOMCAT_BASE/conf"
    cp "$WWW"/* "$TOMCAT_BASE/webapps/ROOT/"
}

start_tomcat() {
    # The stock server.xml without comments, the AJP/SSL examples, the user
    # database realm and the AccessLogValve; shutdown port disabled.
    cat >"$TOMCAT_BASE/conf/server.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!-- generated by bench/e2e-static.sh -->
<Server port="-1" shutdown="SHUTDOWN">
  <Listener className="org.apache.catalina.startup.VersionLoggerListener" />
  <Listener className="org.apache.catalina.core.AprLifecycleListener" />
  <Listener className="org.apache.catalina.core.JreMemoryLeakPreventionListener" />
  <Listener className="org.apache.catalina.mbeans.GlobalResourcesLifecycleListener" />
  <Listener className="org.apache.catalina.core.ThreadLocalLeakPreventionListener" />
  <Service name="Catalina">
    <Connector port="$1" address="127.0.0.1" protocol="HTTP/1.1"
               connectionTimeout="20000" maxKeepAliveRequests="-1" />
    <Engine name="Catalina" defaultHost="localhost">
      <Host name="localhost" appBase="webapps" unpackWARs="false" autoDeploy="false" />
    </Engine>
  </Service>
</Server>
EOF
    launch "$LOGS/tomcat.log" env JAVA_HOME="$JAVA_HOME_25" JRE_HOME="$JAVA_HOME_25" \
        CATALINA_HOME="$TOMCAT_HOME" CATALINA_BASE="$TOMCAT_BASE" CATALINA_PID="" \
        CATALINA_OPTS="$JVM_OPTS" JAVA_OPTS="" "$TOMCAT_HOME/bin/catalina.sh" run
}

prepare_jetty() {
    [[ -n $JAVA ]] || { log "no JDK 25+"; return 1; }
    JETTY_HOME=$WORK/jetty-home-$JETTY_VERSION
    if [[ ! -f $JETTY_HOME/start.jar ]]; then
        fetch_maven "org/eclipse/jetty/jetty-home/$JETTY_VERSION" "jetty-home-$JETTY_VERSION.tar.gz" || return 1
        tar xzf "$WORK/jetty-home-$JETTY_VERSION.tar.gz" -C "$WORK" || return 1
    fi
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

dur_secs() {  # wrk duration (10, 10s, 2m, 1h) -> seconds
    local d=$1
    case $d in
        *h) echo $((${d%h} * 3600)) ;; *m) echo $((${d%m} * 60)) ;;
        *s) echo "${d%s}" ;; *) echo "$d" ;;
    esac
}

run_wrk() {  # duration url outfile
    local secs
    secs=$(dur_secs "$1")
    timeout -k 5 $((secs + 30)) taskset -c "$CLIENT_CPU" \
        wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$1" --latency "$2" >"$3" 2>&1 &
    WRK_PID=$!
    local rc=0
    wait "$WRK_PID" || rc=$?
    WRK_PID=""
    return "$rc"
}

# Parses wrk --latency output: requests rps p50_ms p99_ms MiB/s non2xx socket_errors
parse_wrk() {
    awk '
    function ms(v) {
        if (v ~ /us$/) return v / 1000
        if (v ~ /ms$/) return v + 0
        if (v ~ /s$/)  return v * 1000
        if (v ~ /m$/)  return v * 60000
        if (v ~ /h$/)  return v * 3600000
        return v + 0
    }
    function mib(v) {
        if (v ~ /GB$/) return v * 1024
        if (v ~ /MB$/) return v + 0
        if (v ~ /KB$/) return v / 1024
        if (v ~ /TB$/) return v * 1048576
        return v / 1048576
    }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    / requests in /   { req = $1 }
    /^Requests\/sec:/ { rps = $2 }
    /^Transfer\/sec:/ { mbs = mib($2) }
    /Non-2xx or 3xx responses:/ { non2xx = $NF }
    /Socket errors:/ { gsub(",", ""); serr = $4 + $6 + $8 + $10 }
    END {
        if (req == "") exit 1
        printf "%d %.0f %.3f %.3f %.2f %d %d\n", req, rps, p50, p99, mbs, non2xx, serr
    }' "$1"
}

na() {  # server file note
    RPS[$1/$2]=""; NOTE[$1/$2]="n/a: $3"; RANKABLE[$1/$2]=0
}

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
        local key=$s/$name got=$WORK/got-$s-$name
        rm -f "$got"
        if ! curl -fsS --max-time 20 -o "$got" "$url" || ! cmp -s "$got" "$WWW/$name"; then
            log "$s: WRONG BYTES for $name"
            na "$s" "$name" "wrong bytes"
            continue
        fi
        rm -f "$got"
        if [[ $WARMUP != 0 && $WARMUP != 0s ]]; then
            log "$s $name: warm-up $WARMUP"
            run_wrk "$WARMUP" "$url" "$LOGS/wrk-$s-$name-warmup.txt" || true
        fi
        local rep died=0
        na "$s" "$name" "wrk failed"
        for ((rep = 1; rep <= REPEAT; rep++)); do
            log "$s $name: measuring $DURATION (run $rep/$REPEAT)"
            local t0 t1 rc=0 out=$RUN_DIR/wrk-$s-$name-$rep.txt parsed
            local w0 w1 m0 m1
            m0=$(machine_ticks); t0=$(tree_ticks "$SERVER_PID"); children_cpu; w0=$CHILD_CPU
            run_wrk "$DURATION" "$url" "$out" || rc=$?
            t1=$(tree_ticks "$SERVER_PID"); children_cpu; w1=$CHILD_CPU; m1=$(machine_ticks)
            if ! kill -0 "$SERVER_PID" 2>/dev/null; then
                na "$s" "$name" "server died"; log "$s died"; died=1; break
            fi
            if ((rc != 0)) || ! parsed=$(parse_wrk "$out"); then
                log "$s $name: wrk failed ($rc), see $out"; continue
            fi
            local req rps p50 p99 mbs non2xx serr cpu_us other note
            read -r req rps p50 p99 mbs non2xx serr <<<"$parsed"
            cpu_us=$(awk -v d=$((t1 - t0)) -v hz="$CLK_TCK" -v n="$req" 'BEGIN { printf "%.1f", n ? d * 1e6 / hz / n : 0 }')
            # CPU used by anything but the server and wrk (other jobs on this machine)
            other=$(awk -v m=$((m1 - m0)) -v t=$((t1 - t0)) -v hz="$CLK_TCK" -v a="$w0" -v b="$w1" \
                -v s="$(dur_secs "$DURATION")" 'BEGIN { o = (m - t) / hz - (b - a); if (o < 0) o = 0; printf "%.0f", o / s * 100 }')
            note=""
            ((other < 10)) || note="NOISY: other processes used ${other}% of a CPU"
            log "$s $name: $rps req/s, p50 ${p50} ms, p99 ${p99} ms, $cpu_us µs/req $note"
            # keep the run with the most req/s (the least disturbed one when REPEAT > 1)
            [[ -z ${RPS[$key]} ]] || awk -v a="$rps" -v b="${RPS[$key]}" 'BEGIN { exit !(a > b) }' || continue
            RPS[$key]=$rps; P50[$key]=$p50; P99[$key]=$p99; MBS[$key]=$mbs; CPU_US[$key]=$cpu_us
            CPU_PCT[$key]=$(awk -v d=$((t1 - t0)) -v hz="$CLK_TCK" -v s="$(dur_secs "$DURATION")" 'BEGIN { printf "%.0f", d / hz / s * 100 }')
            # wrk's own utime+stime; near 100 = the client is the bottleneck
            WRK_PCT[$key]=$(awk -v a="$w0" -v b="$w1" -v s="$(dur_secs "$DURATION")" 'BEGIN { printf "%.0f", (b - a) / s * 100 }')
            RANKABLE[$key]=1
            if ((non2xx > 0)); then note="NON-2XX: $non2xx${note:+; $note}"; RANKABLE[$key]=0; fi
            if ((serr > 0)); then note="${note:+$note; }socket errors: $serr"; fi
            if ((req == 0)); then note="no requests"; RANKABLE[$key]=0; fi
            NOTE[$key]=$note
        done
        ((died == 0)) || break
    done
    stop_server
}

# ------------------------------------------------------------- reporting ----

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }

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
    ensure_tools
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
