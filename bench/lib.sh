# shellcheck shell=bash disable=SC2034
# (the variables set here are read by the sourcing script)
#
# lib.sh: shared by bench/e2e-static.sh and bench/e2e-app.sh (sourced, not run).
#
# The sourcing script sets, before calling anything here:
#   WORK LOGS RUN_DIR            directories (bench/work, its logs, this run's raw wrk outputs)
#   STARTUP_TIMEOUT              seconds a server may take to answer
#   LOG_TAG                      prefix of log lines, e.g. "e2e"
#   WWW                          where make_files writes FILES
# The knobs both benchmarks take get their defaults below, unless the environment sets them.
# This file declares the result arrays and the process state (SERVER_PID, SERVER_NAME, WRK_PID,
# CHILD_CPU), and find_jdk sets JAVA/JAVA_HOME_25.

# Knobs of both benchmarks (see their headers), defaults only where the environment has none.
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s}
REPEAT=${REPEAT:-1}
CONNECTIONS=${CONNECTIONS:-50}
WRK_THREADS=${WRK_THREADS:-1}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
PORT_BASE=${PORT_BASE:-28080}
JVM_OPTS=${JVM_OPTS:-"-Xms1g -Xmx1g"}
TOMCAT_VERSION=${TOMCAT_VERSION:-11.0.24}
JETTY_VERSION=${JETTY_VERSION:-12.1.12}
MAVEN_REPO=${MAVEN_REPO:-https://repo.maven.apache.org/maven2}
# The static files both measure, name:size in bytes:label.
FILES=("1k.bin:1024:1 KiB" "64k.bin:65536:64 KiB" "1m.bin:1048576:1 MiB")

# Results of measure(), keyed "server/what" (what: a file, an endpoint).
declare -A RPS P50 P99 MBS CPU_US CPU_PCT WRK_PCT NOTE RANKABLE

CLK_TCK=$(getconf CLK_TCK)
JAVA=""            # JDK 25+ java and its home, set by find_jdk
JAVA_HOME_25=""
SERVER_PID=""      # the server being measured
SERVER_NAME=""
WRK_PID=""
CHILD_CPU=0
# Maven's local repository: a Tomcat/Jetty tarball already there is copied, not downloaded.
MAVEN_LOCAL=${MAVEN_LOCAL:-$HOME/.m2/repository}

log() { printf '[%s] %s\n' "${LOG_TAG:-e2e}" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- setup ----

# Installs wrk, curl, taskset, cmp if missing, plus the packages given as arguments.
ensure_tools() {
    local missing=("$@")
    command -v wrk >/dev/null || missing+=(wrk)
    command -v curl >/dev/null || missing+=(curl)
    command -v taskset >/dev/null || missing+=(util-linux)
    command -v cmp >/dev/null || missing+=(diffutils)
    if ((${#missing[@]})); then
        [[ $EUID -eq 0 ]] || die "missing ${missing[*]}; run as root or: sudo apt-get install -y ${missing[*]}"
        log "installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

# The nginx package when nginx is not installed (for ensure_tools), else nothing.
nginx_package_if_missing() {
    command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || echo nginx-light
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

# Gets group/artifact/version/file into $WORK once: from Maven's local repository
# when it is there, else from $MAVEN_REPO; checks its sha1 either way.
fetch_maven() {
    local path=$1 file=$2 dest=$WORK/$2
    [[ -s $dest ]] && return 0
    local want got local_copy=$MAVEN_LOCAL/$path/$file
    if [[ -s $local_copy ]]; then
        log "copying $local_copy"
        cp "$local_copy" "$dest.part" || return 1
        want=$(awk '{print $1; exit}' "$local_copy.sha1" 2>/dev/null) || want=""
    else
        log "downloading $MAVEN_REPO/$path/$file"
        curl -fsSL --retry 3 --max-time 600 -o "$dest.part" "$MAVEN_REPO/$path/$file" || return 1
        want=$(curl -fsSL --max-time 60 "$MAVEN_REPO/$path/$file.sha1" | awk '{print $1}') || want=""
    fi
    got=$(sha1sum "$dest.part" | awk '{print $1}')
    if [[ -n $want && $want != "$got" ]]; then
        log "sha1 mismatch for $file: want $want got $got"; rm -f "$dest.part"; return 1
    fi
    mv "$dest.part" "$dest"
}

# The Tomcat distribution, unpacked once under $WORK; sets TOMCAT_HOME.
ensure_tomcat_home() {
    TOMCAT_HOME=$WORK/apache-tomcat-$TOMCAT_VERSION
    if [[ ! -x $TOMCAT_HOME/bin/catalina.sh ]]; then
        fetch_maven "org/apache/tomcat/tomcat/$TOMCAT_VERSION" "tomcat-$TOMCAT_VERSION.tar.gz" || return 1
        tar xzf "$WORK/tomcat-$TOMCAT_VERSION.tar.gz" -C "$WORK" || return 1
    fi
}

# Runs $TOMCAT_HOME on $TOMCAT_BASE as a launched job, with the stock server.xml
# replaced by a lean one: no comments, AJP/SSL examples, user database realm or
# AccessLogValve; shutdown port disabled; no limit of requests per connection.
# Arguments: logfile port CATALINA_OPTS.
launch_tomcat() {
    cat >"$TOMCAT_BASE/conf/server.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!-- generated by bench/lib.sh -->
<Server port="-1" shutdown="SHUTDOWN">
  <Listener className="org.apache.catalina.startup.VersionLoggerListener" />
  <Listener className="org.apache.catalina.core.AprLifecycleListener" />
  <Listener className="org.apache.catalina.core.JreMemoryLeakPreventionListener" />
  <Listener className="org.apache.catalina.mbeans.GlobalResourcesLifecycleListener" />
  <Listener className="org.apache.catalina.core.ThreadLocalLeakPreventionListener" />
  <Service name="Catalina">
    <Connector port="$2" address="127.0.0.1" protocol="HTTP/1.1"
               connectionTimeout="20000" maxKeepAliveRequests="-1" />
    <Engine name="Catalina" defaultHost="localhost">
      <Host name="localhost" appBase="webapps" unpackWARs="false" autoDeploy="false" />
    </Engine>
  </Service>
</Server>
EOF
    launch "$1" env JAVA_HOME="$JAVA_HOME_25" JRE_HOME="$JAVA_HOME_25" \
        CATALINA_HOME="$TOMCAT_HOME" CATALINA_BASE="$TOMCAT_BASE" CATALINA_PID="" \
        CATALINA_OPTS="$3" JAVA_OPTS="" JPDA_OPTS="" "$TOMCAT_HOME/bin/catalina.sh" run
}

# The Jetty distribution (jetty-home), unpacked once under $WORK; sets JETTY_HOME.
ensure_jetty_home() {
    JETTY_HOME=$WORK/jetty-home-$JETTY_VERSION
    if [[ ! -f $JETTY_HOME/start.jar ]]; then
        fetch_maven "org/eclipse/jetty/jetty-home/$JETTY_VERSION" "jetty-home-$JETTY_VERSION.tar.gz" || return 1
        tar xzf "$WORK/jetty-home-$JETTY_VERSION.tar.gz" -C "$WORK" || return 1
    fi
}

# The files to serve, FILES ("name:size:label" entries), under $WWW: random
# bytes, generated once and kept (both scripts serve the same files).
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

# ------------------------------------------------------------------ nginx ----
# One nginx worker with sendfile and an open-file cache, the same for both scripts: it serves
# NGINX_ROOT (default WWW), so that ROOT/x is GET /x.

prepare_nginx() {
    NGINX_BIN=$(command -v nginx || echo /usr/sbin/nginx)
    local d=$WORK/nginx
    mkdir -p "$d/logs" "$d/tmp"
    local user_line=""
    [[ $EUID -eq 0 ]] && user_line="user root;"
    # temp paths are set so nginx never touches /var/lib/nginx; -e keeps
    # startup errors away from /var/log/nginx.
    cat >"$d/nginx.conf" <<EOF
# generated by bench/lib.sh
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
        root ${NGINX_ROOT:-$WWW};
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

start_nginx() {  # [target] port: the port is the last argument, as each script calls it
    local d=$WORK/nginx port=${!#}
    sed "s/@PORT@/$port/" "$d/nginx.conf" >"$d/nginx-run.conf"
    "$NGINX_BIN" -t -q -p "$d" -e "$d/logs/error.log" -c "$d/nginx-run.conf" >"$LOGS/nginx-test.log" 2>&1 ||
        { log "nginx -t failed: $(tail -3 "$LOGS/nginx-test.log")"; return 1; }
    launch "$LOGS/nginx.log" "$NGINX_BIN" -p "$d" -e "$d/logs/error.log" -c "$d/nginx-run.conf"
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

# ------------------------------------------------------------ measuring ----

dur_secs() {  # wrk duration (10, 10s, 2m, 1h) -> seconds
    local d=$1
    case $d in
        *h) echo $((${d%h} * 3600)) ;; *m) echo $((${d%m} * 60)) ;;
        *s) echo "${d%s}" ;; *) echo "$d" ;;
    esac
}

run_wrk() {  # duration url outfile [lua script]
    local secs lua=()
    secs=$(dur_secs "$1")
    [[ -z ${4:-} ]] || lua=(-s "$4")
    timeout -k 5 $((secs + 30)) taskset -c "$CLIENT_CPU" \
        wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$1" --latency "${lua[@]}" "$2" >"$3" 2>&1 &
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

na() {  # server what note
    RPS[$1/$2]=""; NOTE[$1/$2]="n/a: $3"; RANKABLE[$1/$2]=0
}

# Warm-up (unless WARMUP is 0), then REPEAT measured wrk runs against url with
# the server's CPU, wrk's CPU and the machine's CPU read around each; the run
# with the most req/s fills RPS P50 P99 MBS CPU_US CPU_PCT WRK_PCT NOTE RANKABLE
# for "server/what". Returns 2 if the server died (the caller stops measuring it).
measure() {  # server what url [lua script]
    local s=$1 name=$2 url=$3 script=${4:-} key=$1/$2
    if [[ $WARMUP != 0 && $WARMUP != 0s ]]; then
        log "$s $name: warm-up $WARMUP"
        run_wrk "$WARMUP" "$url" "$LOGS/wrk-$s-$name-warmup.txt" "$script" || true
    fi
    local rep
    na "$s" "$name" "wrk failed"
    for ((rep = 1; rep <= REPEAT; rep++)); do
        log "$s $name: measuring $DURATION (run $rep/$REPEAT)"
        local t0 t1 rc=0 out=$RUN_DIR/wrk-$s-$name-$rep.txt parsed
        local w0 w1 m0 m1
        m0=$(machine_ticks); t0=$(tree_ticks "$SERVER_PID"); children_cpu; w0=$CHILD_CPU
        run_wrk "$DURATION" "$url" "$out" "$script" || rc=$?
        t1=$(tree_ticks "$SERVER_PID"); children_cpu; w1=$CHILD_CPU; m1=$(machine_ticks)
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            na "$s" "$name" "server died"; log "$s died"; return 2
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
    return 0
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
