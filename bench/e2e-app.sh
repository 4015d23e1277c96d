#!/usr/bin/env bash
# e2e-app.sh: end-to-end application benchmark, container alone vs container + Ringside agent.
#
# Runs the same sample applications under Tomcat 11, Jetty 12.1 (ee10) and Spring Boot
# (embedded Tomcat), each once alone and once with -javaagent:ringside-agent.jar and the
# same JVM flags, one server at a time on 127.0.0.1, the server pinned to one CPU and wrk
# to another. Per endpoint (a servlet, a JSON endpoint, static files of 1 KiB, 64 KiB and
# 1 MiB) it prints a table: req/s, p50/p99 latency, MB/s, server CPU µs per request, and
# the ratios of each "+ringside" target to the container alone. Before measuring a target
# it checks that every endpoint answers 200 with the expected bytes (else it stops), and
# for "+ringside" targets it reports whether the agent started and took over the port.
# Results are also written as markdown to bench/out/.
#
# Environment knobs (defaults in brackets):
#   TARGETS       which targets, in order  ["nginx tomcat tomcat+ringside jetty jetty+ringside boot boot+ringside"]
#                 (nginx serves the exploded WAR's files only: the static rows' yardstick)
#   ENDPOINTS     which endpoints, in order  ["hello json 1k.bin 64k.bin 1m.bin"]
#   DURATION      measured wrk run               [10s]
#   WARMUP        wrk run before each measurement, 0 to skip   [5s]
#   REPEAT        measured runs per endpoint; the one with most req/s is kept [1]
#   CONNECTIONS   wrk connections                [50]
#   WRK_THREADS   wrk threads                    [1]
#   SERVER_CPU / CLIENT_CPU  taskset CPU lists   [0 / 1]
#   PORT_BASE     nginx=+10 tomcat=+11 tomcat+ringside=+12 jetty=+13 jetty+ringside=+14 boot=+15 boot+ringside=+16  [28080]
#   JVM_OPTS      JVM options of every target    [-Xms1g -Xmx1g]
#   JAVA_HOME     a JDK 25+ (else the newest 25+ under /usr/lib/jvm)
#   AGENT_JAR     [agent/target/ringside-agent.jar]
#   AGENT_JVM_OPTS  added after -javaagent for "+ringside" targets  [--enable-native-access=ALL-UNNAMED]
#   AGENT_TAKEOVER_RE  extended regex for the agent's "took over an address" log line
#                 ['ringside: .*(took over|taking over|takes over)']
#   WAR           [samples/servlet-app/target/servlet-app.war]
#   BOOT_JAR      [samples/spring-boot-app/target/spring-boot-app.jar]
#   BOOT_ARGS     extra Spring Boot arguments    [--server.tomcat.max-keep-alive-requests=-1]
#   BOOT_STATIC   1: Boot serves the static files too (file: static location), 0: skip them [1]
#   CHECK_ONLY    1: start each target, check its endpoints and the agent, measure nothing [0]
#   STARTUP_TIMEOUT  seconds to wait for a server to answer [90]
#   TOMCAT_VERSION / JETTY_VERSION   [11.0.24 / 12.1.12]
#   MAVEN_REPO    [https://repo.maven.apache.org/maven2]
#   MAVEN_LOCAL   a Maven local repository to take the tarballs from first   [~/.m2/repository]
# Missing artifacts (WAR, Boot jar, agent jar) are built with ./mvnw -q -DskipTests package.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")
WORK=$BENCH_DIR/work
OUT=$BENCH_DIR/out
WWW=$WORK/www
LOGS=$WORK/logs

ALL_TARGETS="nginx tomcat tomcat+ringside jetty jetty+ringside boot boot+ringside"
TARGETS=${TARGETS:-$ALL_TARGETS}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-90}
AGENT_JAR=${AGENT_JAR:-$REPO_DIR/agent/target/ringside-agent.jar}
AGENT_JVM_OPTS=${AGENT_JVM_OPTS-"--enable-native-access=ALL-UNNAMED"}
AGENT_TAKEOVER_RE=${AGENT_TAKEOVER_RE:-'ringside: .*(takes its place|took over)'}
WAR=${WAR:-$REPO_DIR/samples/servlet-app/target/servlet-app.war}
BOOT_JAR=${BOOT_JAR:-$REPO_DIR/samples/spring-boot-app/target/spring-boot-app.jar}
BOOT_ARGS=${BOOT_ARGS-"--server.tomcat.max-keep-alive-requests=-1"}
BOOT_STATIC=${BOOT_STATIC:-1}
CHECK_ONLY=${CHECK_ONLY:-0}

# The endpoints, in table order: two application endpoints, then the files.
read -r -a ENDPOINTS <<<"${ENDPOINTS:-hello json 1k.bin 64k.bin 1m.bin}"

# The WAR is deployed exploded, at the context path the ITs use (webapps/servlet-app → /servlet-app).
CONTEXT=/servlet-app
FORM_BODY='a=1&b=x+y'                                 # POST /form (FormServlet)
FORM_JSON='{"a":["1"],"b":["x y"]}'
BOOT_GREETING='/api/greeting?name=ringside'          # GET (ApiController)
BOOT_JSON='{"greeting":"hello, ringside"}'

RUN_ID=$(date +%Y%m%d-%H%M%S)
RUN_DIR=$OUT/e2e-app-$RUN_ID   # raw wrk outputs of this run
LOG_TAG=e2e-app
EXPLODED=$WORK/app-exploded/servlet-app   # the WAR unpacked, plus the files
NGINX_ROOT=$(dirname "$EXPLODED")          # nginx: GET /servlet-app/x is $EXPLODED/x
FORM_LUA=$WORK/app-form-post.lua

# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"

declare -A AGENT_STATUS AGENT_LINES URING_FDS

# ---------------------------------------------------------------- setup ----

has_target() { [[ " $TARGETS " == *" $1 "* ]]; }
kind_of() { echo "${1%+ringside}"; }              # tomcat+ringside -> tomcat
with_agent() { [[ $1 == *+ringside ]]; }

port_of() {
    case $1 in
        nginx) echo $((PORT_BASE + 10)) ;;
        tomcat) echo $((PORT_BASE + 11)) ;; tomcat+ringside) echo $((PORT_BASE + 12)) ;;
        jetty) echo $((PORT_BASE + 13)) ;; jetty+ringside) echo $((PORT_BASE + 14)) ;;
        boot) echo $((PORT_BASE + 15)) ;; boot+ringside) echo $((PORT_BASE + 16)) ;;
    esac
}

# Builds the sample WAR, the Boot jar and the agent jar if any of them is missing.
build_missing() {
    local mods=()
    if (has_target nginx || has_target tomcat || has_target tomcat+ringside || has_target jetty || has_target jetty+ringside) &&
        [[ ! -f $WAR ]]; then
        mods+=(samples/servlet-app)
    fi
    if (has_target boot || has_target boot+ringside) && [[ ! -f $BOOT_JAR ]]; then
        mods+=(samples/spring-boot-app)
    fi
    if [[ $TARGETS == *+ringside* && ! -f $AGENT_JAR ]]; then mods+=(agent); fi
    ((${#mods[@]})) || return 0
    local list
    list=$(IFS=,; echo "${mods[*]}")
    log "building $list (./mvnw -q -DskipTests package, log $LOGS/app-build.log)"
    (cd "$REPO_DIR" && JAVA_HOME=$JAVA_HOME_25 ./mvnw -B -q -DskipTests -pl "$list" -am package) \
        >"$LOGS/app-build.log" 2>&1 || die "build failed, see $LOGS/app-build.log"
}

check_artifacts() {
    if [[ $TARGETS == *tomcat* || $TARGETS == *jetty* || $TARGETS == *nginx* ]]; then
        [[ -f $WAR ]] || die "no sample WAR at $WAR"
    fi
    if [[ $TARGETS == *boot* ]]; then [[ -f $BOOT_JAR ]] || die "no Spring Boot jar at $BOOT_JAR"; fi
    if [[ $TARGETS == *+ringside* ]]; then [[ -f $AGENT_JAR ]] || die "no agent jar at $AGENT_JAR"; fi
    return 0
}

# The WAR unpacked once per run, with the three files added to its root (the
# webapp's static root, served by the container's default servlet through the
# application's filter).
explode_war() {
    rm -rf "$(dirname "$EXPLODED")"
    mkdir -p "$EXPLODED"
    (cd "$EXPLODED" && "$JAVA_HOME_25/bin/jar" xf "$WAR") || die "could not unpack $WAR"
    local entry
    for entry in "${FILES[@]}"; do cp "$WWW/${entry%%:*}" "$EXPLODED/"; done
}

write_form_lua() {
    cat >"$FORM_LUA" <<EOF
-- generated by bench/e2e-app.sh: POST $CONTEXT/form (FormServlet, a JSON answer)
wrk.method = "POST"
wrk.body = "$FORM_BODY"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
EOF
}

# -------------------------------------------------------------- endpoints ----
# endpoint_spec TARGET ENDPOINT prints "METHOD PATH", or "- reason" when the
# target has no such endpoint.

endpoint_spec() {
    local kind e=$2
    kind=$(kind_of "$1")
    case $kind/$e in
        nginx/hello | nginx/json) echo "- nginx serves the files only" ;;
        boot/hello) echo "- the Boot app has no servlet at /hello" ;;
        boot/json) echo "GET $BOOT_GREETING" ;;
        boot/*)
            if [[ $BOOT_STATIC == 1 ]]; then echo "GET /$e"; else echo "- static skipped for boot (BOOT_STATIC=0)"; fi ;;
        */hello) echo "GET $CONTEXT/hello" ;;
        */json) echo "POST $CONTEXT/form" ;;
        *) echo "GET $CONTEXT/$e" ;;
    esac
}

endpoint_title() {  # endpoint -> table title
    case $1 in
        hello) echo "Servlet: GET $CONTEXT/hello (HelloServlet, 5 bytes text/plain)" ;;
        json) echo "JSON: POST $CONTEXT/form '$FORM_BODY' (FormServlet, ${#FORM_JSON} bytes); boot: GET $BOOT_GREETING (${#BOOT_JSON} bytes)" ;;
        *) local entry; for entry in "${FILES[@]}"; do
               [[ ${entry%%:*} != "$1" ]] || echo "Static ${entry##*:} file: GET $CONTEXT/$1 (boot: /$1)"
           done ;;
    esac
}

# The bytes an endpoint must answer, into file $2.
expected_body() {
    local kind e=$3
    kind=$(kind_of "$1")
    case $kind/$e in
        */hello) printf 'hello' >"$2" ;;
        boot/json) printf '%s' "$BOOT_JSON" >"$2" ;;
        */json) printf '%s' "$FORM_JSON" >"$2" ;;
        *) cp "$WWW/$e" "$2" ;;
    esac
}

# Every endpoint of the target must answer 200 with the expected bytes; else stop here.
check_endpoints() {
    local t=$1 port=$2 e spec method path got=$WORK/app-got want=$WORK/app-want code size wsize
    for e in "${ENDPOINTS[@]}"; do
        spec=$(endpoint_spec "$t" "$e")
        read -r method path <<<"$spec"
        [[ $method != - ]] || continue
        local data=()
        [[ $method == POST ]] && data=(-H 'Content-Type: application/x-www-form-urlencoded' --data-raw "$FORM_BODY")
        rm -f "$got"
        code=$(curl -sS --max-time 20 -o "$got" -w '%{http_code}' "${data[@]}" "http://127.0.0.1:$port$path") || code="no answer"
        size=$(stat -c %s "$got" 2>/dev/null || echo 0)
        expected_body "$t" "$want" "$e"
        wsize=$(stat -c %s "$want")
        if [[ $code != 200 || $size != "$wsize" ]] || ! cmp -s "$got" "$want"; then
            local why="answered $code with $size bytes, expected 200 with $wsize bytes"
            [[ $code == 200 && $size == "$wsize" ]] && why="answered 200 with $size bytes but not the expected ones"
            log "$t: $method $path $why"
            [[ -s $got && $size -lt 400 ]] && log "  body: $(head -c 300 "$got" | tr -d '\r' | tr '\n' ' ')"
            fail_target "$t" "endpoint check failed: $method $path $why"
        fi
        log "$t: $method $path -> 200, $size bytes, as expected"
    done
    rm -f "$got" "$want"
}

# Stops the run: the server's log tail, then exit 1 (the EXIT trap stops the server).
fail_target() {
    local t=$1
    log "$t: server log $(server_log "$t"), last lines:"
    [[ -f $(server_log "$t") ]] && tail -15 "$(server_log "$t")" | sed 's/^/    /' >&2
    die "$t: $2; stopping the benchmark (nothing measured for $t and the targets after it)"
}

server_log() { echo "$LOGS/app-$1.log"; }

# ----------------------------------------------------------------- agent ----

# The JVM of the target: the first java in the server's process tree.
jvm_pid() {
    local p
    for p in $(pid_tree "$SERVER_PID"); do
        [[ $(cat "/proc/$p/comm" 2>/dev/null) == java ]] && { echo "$p"; return; }
    done
    echo "$SERVER_PID"
}

# io_uring instances the server's processes hold: descriptors whose link is anon_inode:[io_uring].
uring_fds() {
    local p f n=0
    for p in $(pid_tree "$SERVER_PID"); do
        for f in /proc/"$p"/fd/*; do
            [[ $(readlink "$f" 2>/dev/null) == 'anon_inode:[io_uring]' ]] && n=$((n + 1))
        done
    done
    echo "$n"
}

# The agent's own lines ("ringside: ...") from the console log and, for Tomcat, its log files.
agent_lines() {
    local t=$1 files
    files=("$(server_log "$t")")
    [[ $(kind_of "$t") == tomcat ]] && files+=("$WORK/app-tomcat-base/logs"/*.log)
    cat "${files[@]}" 2>/dev/null | grep -o 'ringside: .*' | awk '!seen[$0]++' || true
}

# Sets AGENT_STATUS[t] and prints it: did the agent start, did it take the port over.
agent_check() {
    local t=$1 lines fds started takeover status
    lines=$(agent_lines "$t")
    fds=$(uring_fds)
    URING_FDS[$t]=$fds
    AGENT_LINES[$t]=$lines
    started=$(grep -m1 'ringside: active' <<<"$lines" || true)
    takeover=$(grep -E -m1 "$AGENT_TAKEOVER_RE" <<<"$lines" || true)
    if ! with_agent "$t"; then
        if [[ -n $lines ]]; then status="UNEXPECTED agent lines without -javaagent"
        else status="none (container alone)"; fi
        ((fds == 0)) || status="$status; $fds io_uring fds"
    elif [[ -z $lines ]]; then
        status="NOT loaded (no 'ringside:' line in the log)"
    elif [[ -z $started ]]; then
        status="did NOT start: $(head -1 <<<"$lines")"
    elif [[ -n $takeover && $fds -gt 0 ]]; then
        status="started, port taken over ($fds io_uring fds; \"$takeover\")"
    elif [[ -z $takeover && $fds -eq 0 ]]; then
        status="started, port NOT taken over (no take-over line in the log, 0 io_uring fds)"
    else
        status="started, take-over UNCLEAR (take-over line: ${takeover:-none}; $fds io_uring fds)"
    fi
    AGENT_STATUS[$t]=$status
    log "$t: agent: $status"
    if [[ -n $lines ]]; then while IFS= read -r l; do log "    $l"; done <<<"$lines"; fi
}

# ---------------------------------------------------------------- servers ----
# prepare_KIND: a fresh base for the target. start_KIND TARGET PORT: launch().

agent_opts() {  # target -> the extra JVM options of a +ringside target
    with_agent "$1" && echo "-javaagent:$AGENT_JAR $AGENT_JVM_OPTS"
    return 0
}

prepare_tomcat() {
    ensure_tomcat_home || return 1
    # A fresh CATALINA_BASE: stock conf/ with our server.xml, the exploded WAR
    # at webapps/servlet-app (copied: Tomcat refuses symlinks by default).
    TOMCAT_BASE=$WORK/app-tomcat-base
    rm -rf "$TOMCAT_BASE"
    mkdir -p "$TOMCAT_BASE"/{logs,temp,work,webapps}
    cp -r "$TOMCAT_HOME/conf" "$TOMCAT_BASE/conf"
    cp -r "$EXPLODED" "$TOMCAT_BASE/webapps/"
}

start_tomcat() {
    local opts
    opts="$JVM_OPTS $(agent_opts "$1")"
    launch_tomcat "$(server_log "$1")" "$2" "${opts% }"
}

prepare_jetty() {
    ensure_jetty_home || return 1
    # A fresh Jetty base laid out as the ITs do (JettyDistribution, ee10): http,
    # deploy, annotations, JSP, WebSocket, security, and the sample realm the
    # WAR's BASIC login-config names. No requestlog module = no request log.
    JETTY_BASE=$WORK/app-jetty-base
    rm -rf "$JETTY_BASE"
    mkdir -p "$JETTY_BASE"/{etc,logs,webapps,work}
    env -C "$JETTY_BASE" JETTY_HOME="$JETTY_HOME" JETTY_BASE="$JETTY_BASE" "$JAVA" -jar "$JETTY_HOME/start.jar" \
        --add-modules=http,ee10-deploy,ee10-annotations,ee10-apache-jsp,ee10-websocket-jakarta,ee10-security \
        >"$LOGS/app-jetty-setup.log" 2>&1 || { log "jetty base setup failed, see $LOGS/app-jetty-setup.log"; return 1; }
    printf 'sample-user: sample-password,sample\n' >"$JETTY_BASE/etc/sample-realm.properties"
    cat >"$JETTY_BASE/etc/sample-realm.xml" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE Configure PUBLIC "-//Jetty//Configure//EN" "https://jetty.org/configure_10_0.dtd">
<Configure id="Server" class="org.eclipse.jetty.server.Server">
  <Call id="ResourceFactory" class="org.eclipse.jetty.util.resource.ResourceFactory" name="of">
    <Arg><Ref refid="Server"/></Arg>
    <Call id="sampleRealm" name="newResource">
      <Arg><Property name="jetty.base"/>/etc/sample-realm.properties</Arg>
    </Call>
  </Call>
  <Call name="addBean"><Arg>
    <New class="org.eclipse.jetty.security.HashLoginService">
      <Set name="name">sample</Set>
      <Set name="config"><Ref refid="sampleRealm"/></Set>
    </New>
  </Arg></Call>
</Configure>
EOF
    echo "etc/sample-realm.xml" >"$JETTY_BASE/start.d/sample-realm.ini"
    # The exploded WAR: webapps/servlet-app → /servlet-app (copied: Jetty refuses symlink aliases).
    cp -r "$EXPLODED" "$JETTY_BASE/webapps/"
}

start_jetty() {
    # start.jar runs the server in this JVM (these modules need no --exec).
    # shellcheck disable=SC2046,SC2086 # JVM_OPTS and the agent options are word lists
    launch "$(server_log "$1")" env -C "$JETTY_BASE" JETTY_HOME="$JETTY_HOME" JETTY_BASE="$JETTY_BASE" \
        "$JAVA" $JVM_OPTS $(agent_opts "$1") -jar "$JETTY_HOME/start.jar" \
        jetty.http.host=127.0.0.1 jetty.http.port="$2"
}

prepare_boot() {
    BOOT_DIR=$WORK/app-boot   # its working directory (nothing is read from it)
    rm -rf "$BOOT_DIR"
    mkdir -p "$BOOT_DIR"
}

start_boot() {
    # The jar's own static resources stay (classpath:/static/); the three files come
    # from $WWW through the same resource handler, as a file: static location.
    local static=()
    [[ $BOOT_STATIC == 1 ]] && static=("--spring.web.resources.static-locations=classpath:/static/,file:$WWW/")
    # shellcheck disable=SC2046,SC2086
    launch "$(server_log "$1")" env -C "$BOOT_DIR" "$JAVA" $JVM_OPTS $(agent_opts "$1") -jar "$BOOT_JAR" \
        --server.port="$2" --server.address=127.0.0.1 "${static[@]}" $BOOT_ARGS
}

# ------------------------------------------------------------ measuring ----

bench_target() {
    local t=$1 kind port e spec method path
    kind=$(kind_of "$t")
    port=$(port_of "$t")
    SERVER_NAME=$t
    log "=== $t on 127.0.0.1:$port (CPU $SERVER_CPU) ==="
    port_in_use "$port" && die "$t: port $port is busy (another server?); set PORT_BASE"
    "prepare_$kind" || die "$t: setup failed"
    "start_$kind" "$t" "$port" || fail_target "$t" "start failed"
    read -r method path <<<"$(endpoint_spec "$t" json)"
    local ready_path=$path
    [[ $method == GET ]] || ready_path=$CONTEXT/hello
    [[ $kind != nginx ]] || ready_path=$CONTEXT/index.html
    wait_ready "http://127.0.0.1:$port$ready_path" || fail_target "$t" "did not answer $ready_path"
    log "$t: JVM pid $(jvm_pid)"
    check_endpoints "$t" "$port"
    agent_check "$t"

    for e in "${ENDPOINTS[@]}"; do
        spec=$(endpoint_spec "$t" "$e")
        read -r method path <<<"$spec"
        if [[ $method == - ]]; then na "$t" "$e" "${spec#- }"; continue; fi
        if [[ $CHECK_ONLY == 1 ]]; then na "$t" "$e" "CHECK_ONLY"; continue; fi
        local post_lua="" rc=0
        [[ $method == POST ]] && post_lua=$FORM_LUA
        measure "$t" "$e" "http://127.0.0.1:$port$path" "$post_lua" || rc=$?
        if ((rc == 2)); then
            fail_target "$t" "the server died while measuring $e"
        fi
    done
    if [[ $CHECK_ONLY != 1 ]] && with_agent "$t"; then
        local after
        after=$(uring_fds)
        if [[ $after != "${URING_FDS[$t]}" ]]; then
            log "$t: io_uring fds: ${URING_FDS[$t]} at start, $after after measuring"
            AGENT_STATUS[$t]="${AGENT_STATUS[$t]}; $after io_uring fds after measuring"
        fi
    fi
    stop_server
}

# ------------------------------------------------------------- reporting ----

base_of() { kind_of "$1"; }   # the container alone a target is compared with

report() {
    local md=$1 e t key
    local best=""
    ((REPEAT <= 1)) || best=" best of $REPEAT,"
    local cfg="wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION, warm-up $WARMUP,$best server on CPU $SERVER_CPU, wrk on CPU $CLIENT_CPU"
    local boot_static="Boot serves the files from file:$WWW/ via spring.web.resources.static-locations (Spring MVC's resource handler), not from the jar"
    [[ $BOOT_STATIC == 1 ]] || boot_static="static files skipped for boot (BOOT_STATIC=0)"
    {
        echo "# Ringside e2e application benchmark, $(date -Is)"
        echo
        echo "- host: $(uname -srm), $(nproc) CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
        echo "- $cfg; JVM_OPTS=\`$JVM_OPTS\`; java: $( [[ -n $JAVA ]] && "$JAVA" -version 2>&1 | head -1)"
        echo "- targets: Tomcat $TOMCAT_VERSION and Jetty $JETTY_VERSION (ee10) with \`$(basename "$WAR")\` exploded at \`$CONTEXT\`; Spring Boot \`$(basename "$BOOT_JAR")\` (\`$BOOT_ARGS\`); $boot_static"
        echo "- \`+ringside\`: the same plus \`-javaagent:$(basename "$AGENT_JAR") $AGENT_JVM_OPTS\`"
        echo "- MB/s is wrk's Transfer/sec (MiB, headers included); CPU µs/req and server CPU % are the server's utime+stime over the measured run; wrk CPU % is wrk's own (near 100 = wrk-bound); ratios are \`X+ringside\` ÷ \`X\` (req/s: above 1 is faster; CPU: below 1 is cheaper); NOISY flags rows where other processes used ≥10 % of a CPU"
        echo
        echo "## Agent"
        echo
        echo "| target | agent | io_uring fds | agent log lines |"
        echo "|---|---|--:|---|"
        for t in $TARGETS; do
            local lines=${AGENT_LINES[$t]:-}
            echo "| $t | ${AGENT_STATUS[$t]:-n/a} | ${URING_FDS[$t]:--} | ${lines//$'\n'/<br>} |"
        done
        echo
    } >"$md"
    echo
    echo "Agent"
    for t in $TARGETS; do printf '%-16s %s\n' "$t" "${AGENT_STATUS[$t]:-n/a}"; done
    for e in "${ENDPOINTS[@]}"; do
        local title
        title=$(endpoint_title "$e")
        echo
        echo "$title  ($cfg)"
        echo "target           req/s     p50 ms   p99 ms   MB/s      CPU µs/req  req/s÷alone  CPU÷alone  req/s÷nginx  srv CPU%  wrk CPU%  notes"
        {
            echo "## $title"
            echo
            echo "| target | req/s | p50 ms | p99 ms | MB/s | CPU µs/req | req/s ÷ alone | CPU ÷ alone | req/s ÷ nginx | server CPU % | wrk CPU % | notes |"
            echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|"
        } >>"$md"
        for t in $TARGETS; do
            key=$t/$e
            local b row
            b=$(base_of "$t")/$e
            if [[ -z ${RPS[$key]:-} ]]; then
                row=("$t" n/a n/a n/a n/a n/a - - - - - "${NOTE[$key]:-}")
            else
                row=("$t" "${RPS[$key]}" "${P50[$key]}" "${P99[$key]}" "${MBS[$key]}" "${CPU_US[$key]}"
                    "$(ratio "${RPS[$key]}" "${RPS[$b]:-}")" "$(ratio "${CPU_US[$key]}" "${CPU_US[$b]:-}")"
                    "$(ratio "${RPS[$key]}" "${RPS[nginx/$e]:-}")" "${CPU_PCT[$key]}" "${WRK_PCT[$key]}" "${NOTE[$key]}")
            fi
            printf '%-16s %-9s %-8s %-8s %-9s %-11s %-12s %-10s %-12s %-9s %-9s %s\n' "${row[@]}"
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
    local t md
    for t in $TARGETS; do
        [[ " $ALL_TARGETS " == *" $t "* ]] || die "unknown target '$t' in TARGETS ($ALL_TARGETS)"
    done
    [[ $(nproc) -ge 2 ]] || log "WARNING: fewer than 2 CPUs; server and wrk will share a core"
    local extra=()
    if has_target nginx; then extra+=($(nginx_package_if_missing)); fi
    ensure_tools "${extra[@]}"
    find_jdk || die "no JDK 25+ found (set JAVA_HOME, e.g. /usr/lib/jvm/temurin-25-jdk-amd64)"
    log "JDK: $JAVA_HOME_25"
    make_files
    build_missing
    check_artifacts
    if [[ $TARGETS == *tomcat* || $TARGETS == *jetty* || $TARGETS == *nginx* ]]; then explode_war; fi
    write_form_lua
    md=$OUT/e2e-app-$RUN_ID.md
    for t in $TARGETS; do bench_target "$t"; done
    report "$md"
}

main "$@"
