#!/usr/bin/env bash
# bench.sh -- measure a Palaver node under the router-side load driver (Driver.java), optionally
# side by side with MU-Conference 0.8 (Debian jabber-muc) in the same run.
#
# The driver stands in for the jabberd2 router: it listens, the component connects to it over
# XEP-0114, and it plays ROOMS x OCCUPANTS gc-1.0 users (join, saturating throughput, fixed-rate
# latency, leave), checking every copy (lost, duplicated, misrouted, reordered).
#
# Usage: scripts/bench.sh [--with-muc] [--nodes N[,N...]] [--repeat N] [ROOMSxOCCUPANTS ...]
#        default shapes: 10x10 100x10 10x100 1x500
#        --nodes N: Palaver as a cluster of N nodes on this machine (cluster-config/conference-cluster.xml,
#        Hazelcast on loopback); the driver accepts one connection per node and spreads the rooms
#        over them, so most stanzas reach a node that does not own their room and are forwarded.
#        --nodes 1,2,3: one node, then clusters of 2 and 3, back to back per shape; prints the
#        efficiency of each cluster (its deliveries per node-CPU-second / one node's)
#
# Every run also samples the CPU time (utime+stime) of ALL node processes over the driver's
# measured throughput interval (from the end of its warm-up to its "# throughput:" line) and
# reports deliveries per node-CPU-second.
#
# Environment (defaults in brackets):
#   BENCH_DRIVER   path of Driver.java                         [../shared/bench/Driver.java]
#   DURATION       throughput phase seconds                    [10]
#   LAT_DURATION   latency phase seconds                       [= DURATION]
#   WARMUP         seconds of throughput traffic sent before the measured interval (driver
#                  --warmup); neither its deliveries nor the nodes' CPU in it are counted.
#                  The JIT compiles the cluster path on the first seconds of live traffic:
#                  WARMUP=60 measures the steady state a long-running cluster node is in
#                  (one node settles sooner; docs/performance.md)                   [1]
#   PORT_BASE      first port tried (driver accepts 25000-25999) [25600]
#   PORT_MAX       last port tried                             [25999]
#   CLUSTER_NAME   Hazelcast cluster name prefix               [palaver-bench]
#   NODE_JAVA_OPTS JVM options of the node                     [as the launcher's defaults]
#   NODE_JAR       run this jar instead of building the node    []
#   BASELINE_JAR   also run this jar (e.g. the previous build), labelled "baseline", right before
#                  every palaver run of the same shape and node count: A/B in one invocation []
#   ACCEPT_TIMEOUT seconds the driver waits for the node(s) to connect [120]
#   NODE_START_TIMEOUT_MS how long a node may take to start (a cluster on a loaded machine) [120000]
#   NODE_WARMUP_MS the nodes' <warmup><duration-ms> (a start-up that must fit in the launcher's
#                  start timeout on a loaded machine)             [the shipped 1500]
#   JFR_DIR        record every node with JFR (settings=profile) and dump each recording there
#                  at the driver's "# throughput:" line (node<i>-<shape>-<nodes>.jfr; the
#                  measured interval's start and end, UTC, in window-<shape>-<nodes>.txt)   []
#   PROFILE_DIR    profile every node with async-profiler (CPU time of every thread, inlined Java
#                  frames and the kernel included: what JFR's Java samples miss) over the
#                  measured interval only, to <label>-node<i>-<shape>-<nodes>.collapsed there (one
#                  line per stack and thread, with its count of 1 ms samples); the profiler
#                  comes from Maven Central (tools.profiler:async-profiler)        []
#   BENCH_RATE_LIMITS on: keep the default rate limits          [off: <limits> rates 0]
#   BACKUPS        a cluster's <backups>, 0..2 (a second backup needs 3 nodes) [the shipped 1]
#   DRIVER_ARGS    extra driver options                        []
#   OUT            also append the report to this file         []
#   KEEP_TMP=1     keep the temp dir (configs, logs)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
WITH_MUC=0
NODE_LIST=1
REPEAT=1
SHAPES=()
while [ $# -gt 0 ]; do
    case "$1" in
        --with-muc) WITH_MUC=1 ;;
        --repeat) shift; REPEAT=${1:?--repeat needs a number} ;;
        --nodes) shift; NODE_LIST=${1:?--nodes needs a number or a list like 1,2,3} ;;
        -h|--help) sed -n '2,38p' "$0"; exit 0 ;;
        *x*) SHAPES+=("$1") ;;
        *) echo "bench: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done
[ ${#SHAPES[@]} -gt 0 ] || SHAPES=(10x10 100x10 10x100 1x500)
DRIVER=${BENCH_DRIVER:-$ROOT/../shared/bench/Driver.java}
DURATION=${DURATION:-10}
LAT_DURATION=${LAT_DURATION:-$DURATION}
WARMUP=${WARMUP:-1}
PORT_BASE=${PORT_BASE:-25600}
PORT_MAX=${PORT_MAX:-25999}
CLUSTER_NAME=${CLUSTER_NAME:-palaver-bench}
BACKUPS=${BACKUPS:-1}
DOMAIN=conference.localhost
SECRET=bench-secret-$RANDOM
BUILD_JAR=${NODE_JAR:-$ROOT/conference-node/target/conference-node.jar}
JAR=$BUILD_JAR
LABELS=(palaver); [ -n "${BASELINE_JAR:-}" ] && LABELS=(baseline palaver)

die() { echo "bench: $*" >&2; exit 1; }
[ -z "${BASELINE_JAR:-}" ] || [ -f "$BASELINE_JAR" ] || die "BASELINE_JAR $BASELINE_JAR not found"
case $BACKUPS in 0|1|2) ;; *) die "BACKUPS must be 0, 1 or 2, not '$BACKUPS'" ;; esac
[ -f "$DRIVER" ] || die "load driver not found at $DRIVER (set BENCH_DRIVER=/path/to/Driver.java)"
for s in "${SHAPES[@]}"; do [[ "$s" =~ ^[0-9]+x[0-9]+$ ]] || die "shape '$s' is not ROOMSxOCCUPANTS"; done
[[ "$REPEAT" =~ ^[1-9][0-9]?$ ]] || die "--repeat must be 1-99"
[[ "$NODE_LIST" =~ ^[1-9](,[1-9])*$ ]] || die "--nodes must be 1-9 or a list like 1,2,3"
IFS=, read -r -a NODE_COUNTS <<<"$NODE_LIST"
NODES=${NODE_COUNTS[0]}
if [ "$WITH_MUC" = 1 ] && [ ! -x /usr/sbin/mu-conference ]; then
    [ "$(id -u)" = 0 ] || die "MU-Conference missing: apt-get install jabber-muc"
    apt-get install -y -qq jabber-muc >/dev/null || die "could not install jabber-muc"
fi

TMP=$(mktemp -d -t palaver-bench.XXXXXX)
PROFILER_LIB=""  # async-profiler's library, when PROFILE_DIR is set
if [ -n "${PROFILE_DIR:-}" ]; then
    mkdir -p "$PROFILE_DIR"
    mvn -B -q dependency:copy -Dartifact=tools.profiler:async-profiler:4.0 -DoutputDirectory="$TMP" -Dmdep.stripVersion=true \
        || die "PROFILE_DIR: could not fetch tools.profiler:async-profiler from Maven Central"
    (cd "$TMP" && unzip -q -o -j async-profiler.jar linux-x64/libasyncProfiler.so) || die "PROFILE_DIR: no linux-x64 library in async-profiler.jar"
    PROFILER_LIB=$TMP/libasyncProfiler.so
fi
COMP_PID=""      # the component the driver measures (with --nodes: the first node)
OTHER_PIDS=()    # the other nodes of a cluster
alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
stop_pid() {
    local pid=$1
    if alive "$pid"; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 30); do alive "$pid" || break; sleep 0.1; done
        alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
    fi
    { wait "$pid"; } 2>/dev/null || true
}
stop_comp() {
    local pid
    # a cluster's nodes go at once: one by one, each would hand its rooms to the others first
    if [ ${#OTHER_PIDS[@]} -gt 0 ]; then
        for pid in $COMP_PID "${OTHER_PIDS[@]}"; do alive "$pid" && kill -KILL "$pid" 2>/dev/null || true; done
    fi
    for pid in $COMP_PID "${OTHER_PIDS[@]}"; do stop_pid "$pid"; done
    COMP_PID=""; OTHER_PIDS=()
}
cleanup() { stop_comp; if [ "${KEEP_TMP:-0}" = 1 ]; then echo "bench: kept $TMP" >&2; else rm -rf "$TMP"; fi; }
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() {
    local hex; hex=$(printf '%04X' "$1")
    ! awk -v p=":$hex" 'toupper($2) ~ p"$" || toupper($3) ~ p"$" {found=1} END {exit !found}' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
pick_port() { local p; for p in $(seq "$PORT_BASE" "$PORT_MAX"); do port_free "$p" && { echo "$p"; return 0; }; done; return 1; }
# NODES consecutive free ports above AFTER (Hazelcast members take consecutive ports)
pick_port_after() {
    local p i ok
    for p in $(seq $(($1 + 100)) "$PORT_MAX"); do
        ok=1; for i in $(seq 0 $((NODES - 1))); do port_free $((p + i)) || { ok=0; break; }; done
        [ "$ok" = 1 ] && { echo "$p"; return 0; }
    done
    return 1
}

if [ -z "${NODE_JAR:-}" ]; then
    echo "bench: building the node" >&2
    (cd "$ROOT" && mvn -B -q -DskipTests package) || die "build failed"
fi
mkdir -p "$TMP/classes"
javac -d "$TMP/classes" "$DRIVER"

node_java() {       # CONFIG PORT LOG: one node in the background
    local jfr=()
    [ -n "${JFR_DIR:-}" ] && jfr=(-XX:StartFlightRecording=settings=profile)
    # shellcheck disable=SC2086
    java -XX:+ExitOnOutOfMemoryError -Dpalaver.start-timeout-ms="${NODE_START_TIMEOUT_MS:-120000}" ${NODE_JAVA_OPTS:-} "${jfr[@]}" -jar "$JAR" --config "$1" \
        --router "127.0.0.1:$2" --secret "$SECRET" --domain "$DOMAIN" </dev/null >"$3" 2>&1 &
}

# The shipped configuration with the rate limits (<limits>) switched off: the driver floods by
# design, far beyond what the defaults let one user or room send. BENCH_RATE_LIMITS=on keeps the
# defaults, to measure their cost.
bench_config() {    # SRC DEST
    if [ "${BENCH_RATE_LIMITS:-off}" = on ]; then cp "$1" "$2"; return; fi
    sed 's|</conference-node>|  <limits><user-stanzas-per-second>0</user-stanzas-per-second><room-stanzas-per-second>0</room-stanzas-per-second></limits>\n</conference-node>|' "$1" >"$2"
}

start_palaver() {   # DIR PORT
    local dir=$1 port=$2
    if [ "$NODES" = 1 ]; then
        # the shipped configuration with the metrics endpoint off, as for a cluster (meters still count)
        bench_config "$ROOT/cluster-config/conference.xml" "$dir/shipped.xml"
        sed -e 's|<port>9090</port>|<port>0</port>|' \
            -e "s|<duration-ms>1500</duration-ms>|<duration-ms>${NODE_WARMUP_MS:-1500}</duration-ms>|" \
            "$dir/shipped.xml" >"$dir/node.xml"
        node_java "$dir/node.xml" "$port" "$dir/node.log"
        COMP_PID=$!
        return
    fi
    local hz i members=""
    hz=$(pick_port_after "$port") || die "no free port for Hazelcast"
    for i in $(seq 0 $((NODES - 1))); do members+="          - 127.0.0.1:$((hz + i))"$'\n'; done
    # the shipped cluster configuration with the metrics port off and a Hazelcast cluster of this run only
    bench_config "$ROOT/cluster-config/conference-cluster.xml" "$dir/shipped.xml"
    sed -e 's|<port>9090</port>|<port>0</port>|' \
        -e "s|<duration-ms>1500</duration-ms>|<duration-ms>${NODE_WARMUP_MS:-1500}</duration-ms>|" \
        -e "s|<backups>1</backups>|<backups>$BACKUPS</backups>|" \
        "$dir/shipped.xml" >"$dir/node.xml"
    grep -q "<backups>$BACKUPS</backups>" "$dir/node.xml" || die "could not set <backups>$BACKUPS</backups>"
    cat >"$dir/hazelcast.yaml" <<YAML
hazelcast:
  cluster-name: $CLUSTER_NAME-$port
  network:
    port: {port: $hz, auto-increment: true, port-count: $NODES}
    join:
      multicast: {enabled: false}
      tcp-ip:
        enabled: true
        member-list:
$members    interfaces: {enabled: true, interfaces: [127.0.0.1]}
  properties:
    hazelcast.logging.type: slf4j
    hazelcast.phone.home.enabled: false
YAML
    for i in $(seq 1 "$NODES"); do
        node_java "$dir/node.xml" "$port" "$dir/node$i.log"
        if [ "$i" = 1 ]; then COMP_PID=$!; else OTHER_PIDS+=($!); fi
    done
}

start_muc() {       # DIR PORT
    local dir=$1 port=$2
    mkdir -p "$dir/spool" "$dir/log"
    cat >"$dir/muc.xml" <<XML
<jcr>
  <name>$DOMAIN</name><host>$DOMAIN</host><ip>127.0.0.1</ip><port>$port</port>
  <secret>$SECRET</secret><spool>$dir/spool</spool><logdir>$dir/log</logdir>
  <pidfile>$dir/mu-conference.pid</pidfile><loglevel>124</loglevel>
  <conference xmlns="jabber:config:conference">
    <public/><vCard><FN>Benchmark chatrooms</FN></vCard><history>20</history>
    <notice><join>has become available</join><leave>has left</leave><rename>is now known as</rename></notice>
  </conference>
</jcr>
XML
    /usr/sbin/mu-conference -c "$dir/muc.xml" </dev/null >"$dir/log/stdout.txt" 2>&1 &
    COMP_PID=$!
}

declare -a ROWS=()
CLK_TCK=$(getconf CLK_TCK)
# utime+stime (clock ticks) summed over the given processes
# the node processes' CPU ticks in all, and in the kernel (stime): "ALL SYS"
cpu_ticks() {
    local pid all=0 sys=0 t
    for pid in "$@"; do
        t=$(awk '{sub(/^.*\) /, ""); print $12 + $13, $13}' "/proc/$pid/stat" 2>/dev/null || echo "0 0")
        all=$((all + ${t% *})); sys=$((sys + ${t#* }))
    done
    echo "$all $sys"
}
# Copies the driver's stdout to FILE and marks the node processes' CPU at the end of its warm-up
# (the first timeline line of the throughput phase at t >= WARMUP) and at its "# throughput: ...
# msgs/s" line: the interval whose deliveries the efficiency counts
mark_cpu() {        # FILE PID...
    local file=$1 line t started=0; shift
    while IFS= read -r line; do
        case "$line" in
            "#   throughput t="*) [ "$started" = 1 ] || {
                t=${line#*t=}; t=${t%%s *}
                if awk -v t="$t" -v w="$WARMUP" 'BEGIN {exit !(t + 0.05 >= w)}'; then
                    started=1
                    echo "start $(cpu_ticks "$@") $(date +%s.%N)" >>"$file.cpu"
                    [ -n "${JFR_DIR:-}" ] && mkdir -p "$JFR_DIR" && date -u +%H:%M:%S.%N >"$JFR_DIR/window-$SHAPE-$NODES.txt"
                    [ -n "${PROFILE_DIR:-}" ] && profile start "$@"
                fi
            }
                continue ;;
            "#   latency t="*) continue ;;
            "# throughput: "*" msgs/s"*) echo "throughput $(cpu_ticks "$@") $(date +%s.%N)" >>"$file.cpu"
                [ -n "${JFR_DIR:-}" ] && dump_jfr "$@"
                [ -n "${PROFILE_DIR:-}" ] && profile stop "$@" ;;
        esac
        printf '%s\n' "$line" >>"$file"
    done
}
# " node_cpu_s=.. node_cpu_pct=.. node_sys_pct=.. deliv_per_node_cpu_s=..": all nodes' CPU over the
# driver's measured interval, the share of it spent in the kernel (system calls, wake-ups: what
# JFR's Java samples do not see), and that interval's deliveries per CPU second (the driver's
# deliveries per second over the interval, divided by the node cores in use over it)
efficiency_fields() {   # DRIVER_OUT
    local out=$1 per_s
    [ -f "$out.cpu" ] && grep -q '^throughput ' "$out.cpu" && grep -q '^start ' "$out.cpu" || return 0
    # the driver's deliveries per second over its measured interval, the one the CPU marks bound
    per_s=$(grep -o '^# throughput: [0-9]* msgs/s, [0-9]* deliveries/s' "$out" | grep -o '[0-9]* deliveries' | grep -o '[0-9]*' | head -n 1)
    [ -n "$per_s" ] || return 0
    awk -v per_s="$per_s" -v hz="$CLK_TCK" '
        $1 == "start" {j = $2; js = $3; jt = $4} $1 == "throughput" {t = $2; ts = $3; tt = $4}
        END {cpu = (t - j) / hz; wall = tt - jt; if (cpu <= 0 || wall <= 0) exit;
             printf " node_cpu_s=%.2f node_cpu_pct=%.0f node_sys_pct=%.0f deliv_per_node_cpu_s=%.0f", cpu,
                 100 * cpu / wall, 100 * (ts - js) / hz / cpu, per_s * wall / cpu}' "$out.cpu"
}
dump_jfr() {        # PID...: node i's recording to $JFR_DIR/node<i>-<shape>-<nodes>.jfr
    local i=0 pid
    mkdir -p "$JFR_DIR"
    date -u +%H:%M:%S.%N >>"$JFR_DIR/window-$SHAPE-$NODES.txt"
    for pid in "$@"; do
        i=$((i + 1))
        jcmd "$pid" JFR.dump filename="$JFR_DIR/node$i-$SHAPE-$NODES.jfr" >/dev/null 2>&1 &
    done
    wait
}
profile() {         # start|stop PID...: async-profiler in every node, attached through jcmd
    local what=$1 i=0 pid opts; shift
    for pid in "$@"; do
        i=$((i + 1)); opts="start,event=cpu,interval=1ms,threads"
        [ "$what" = stop ] && opts="stop,collapsed,file=$PROFILE_DIR/$label-node$i-$SHAPE-$NODES.collapsed"
        jcmd "$pid" JVMTI.agent_load "$PROFILER_LIB" "\"$opts\"" >/dev/null 2>&1 &
    done
    wait
}
run_one() {         # LABEL SHAPE RUN
    local label=$1 shape=$2 run=$3 port dir rooms occ extra=()
    rooms=${shape%x*}; occ=${shape#*x}; SHAPE=$shape
    port=$(pick_port) || die "no free port in $PORT_BASE-$PORT_MAX"
    dir="$TMP/$label-$NODES-$shape-$run"; mkdir -p "$dir"
    if [ "$label" != mu-conference ]; then
        JAR=$BUILD_JAR; [ "$label" = baseline ] && JAR=$BASELINE_JAR
        start_palaver "$dir" "$port"; extra=(--connections "$NODES")
    else
        start_muc "$dir" "$port"; extra=(--room-config muc#roomconfig_maxusers=0)
    fi
    local args=(--port "$port" --domain "$DOMAIN" --secret "$SECRET" --rooms "$rooms" --occupants "$occ"
                --duration "$DURATION" --warmup "$WARMUP" --timeline yes --lat-duration "$LAT_DURATION" --pid "$COMP_PID" --label "$label"
                --accept-timeout "${ACCEPT_TIMEOUT:-120}" "${extra[@]}")
    # shellcheck disable=SC2206
    [ -n "${DRIVER_ARGS:-}" ] && args+=($DRIVER_ARGS)
    local nodes=1; [ "$label" != mu-conference ] && nodes=$NODES
    echo "### $label$([ "$nodes" = 1 ] || echo " x$nodes nodes") $shape run $run (port $port)"
    set +e
    timeout --kill-after=10 900 java -cp "$TMP/classes" Driver "${args[@]}" 2>&1 | mark_cpu "$dir/driver.out" $COMP_PID "${OTHER_PIDS[@]}"
    set -e
    grep '^#' "$dir/driver.out" | grep -E '^# (join|throughput|latency|leave|checks|component pid)' || true
    stop_comp
    local line; line=$(grep '^RESULT ' "$dir/driver.out" | tail -n 1 || true)
    [ -n "$line" ] || { line="RESULT status=no_result"; tail -n 20 "$dir/driver.out" >&2; for f in "$dir"/node*.log; do [ -f "$f" ] && tail -n 20 "$f" >&2; done; }
    line+=$(efficiency_fields "$dir/driver.out")
    echo "$line"
    ROWS+=("$label $nodes $shape $line")
}

{
    echo "# Palaver bench, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "# host: $(uname -srm), $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
    echo "# java: $(java -version 2>&1 | head -1); node config: cluster-config/conference.xml for one node, conference-cluster.xml for a cluster (the defaults a user runs, rate limits ${BENCH_RATE_LIMITS:-off})"
    echo "# driver and component share the cores; WARMUP=${WARMUP}s DURATION=${DURATION}s; palaver nodes: $NODE_LIST; a cluster's backups: $BACKUPS"
    echo "# node CPU = utime+stime of every node process over the driver's measured interval (after WARMUP=${WARMUP}s of unmeasured traffic); RSS and comp CPU % are node 1's"
} | tee "$TMP/report.txt"

for shape in "${SHAPES[@]}"; do
    for run in $(seq 1 "$REPEAT"); do
        for NODES in "${NODE_COUNTS[@]}"; do
            # not piped: run_one records its row in ROWS, which a pipeline's subshell would lose
            for label in "${LABELS[@]}"; do
                run_one "$label" "$shape" "$run" >"$TMP/run.txt"; cat "$TMP/run.txt" | tee -a "$TMP/report.txt"
            done
        done
        if [ "$WITH_MUC" = 1 ]; then
            NODES=1
            run_one mu-conference "$shape" "$run" >"$TMP/run.txt"; cat "$TMP/run.txt" | tee -a "$TMP/report.txt"
        fi
    done
done

get() { echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k {print $2; f=1} END {if (!f) print "-"}'; }
median() {          # LABEL NODES SHAPE KEY: median of KEY over the repeats (0 when none)
    local r l n s line
    for r in "${ROWS[@]}"; do
        read -r l n s line <<<"$r"
        if [ "$l $n $s" = "$1 $2 $3" ]; then get "$line" "$4"; fi
    done | grep -v '^-$' | sort -g | awk '{a[NR]=$1} END {print (NR ? a[int((NR+1)/2)] : 0)}'
}
{
    echo
    echo "| component | nodes | rooms x occ | deliveries/s | msgs/s | join s | latency rate msgs/s | p50 ms | p99 ms | max ms | leave s | peak RSS MB | comp CPU % | drv CPU % | node CPU s | deliveries / node-CPU-s | lost | errors | status |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    for r in "${ROWS[@]}"; do
        read -r label nodes shape line <<<"$r"
        rss=$(get "$line" rss_peak_kb); [ "$rss" != - ] && rss=$(awk -v k="$rss" 'BEGIN {printf "%.0f", k/1024}')
        echo "| $label | $nodes | $shape | $(get "$line" deliveries_per_s) | $(get "$line" msgs_per_s) | $(get "$line" join_s) | $(get "$line" lat_rate) | $(get "$line" p50_ms) | $(get "$line" p99_ms) | $(get "$line" max_ms) | $(get "$line" leave_s) | $rss | $(get "$line" comp_cpu_pct) | $(get "$line" drv_cpu_pct) | $(get "$line" node_cpu_s) | $(get "$line" deliv_per_node_cpu_s) | $(get "$line" lost) | $(get "$line" errors) | $(get "$line" status) |"
    done
    if [ "${NODE_COUNTS[0]}" = 1 ] && [ ${#NODE_COUNTS[@]} -gt 1 ]; then
        echo
        echo "| jar | rooms x occ | 1 node deliveries / node-CPU-s |$(for n in "${NODE_COUNTS[@]:1}"; do printf ' %s nodes | efficiency %s/1 |' "$n" "$n"; done)"
        echo "|---|---|---|$(for n in "${NODE_COUNTS[@]:1}"; do printf -- '---|---|'; done)"
        for shape in "${SHAPES[@]}"; do
            for label in "${LABELS[@]}"; do
                one=$(median "$label" 1 "$shape" deliv_per_node_cpu_s)
                printf '| %s | %s | %s |' "$label" "$shape" "$one"
                for n in "${NODE_COUNTS[@]:1}"; do
                    c=$(median "$label" "$n" "$shape" deliv_per_node_cpu_s)
                    printf ' %s | %s |' "$c" "$(awk -v c="$c" -v o="$one" 'BEGIN {if (o > 0) printf "%.0f %%", 100 * c / o; else print "-"}')"
                done
                echo
            done
        done
    fi
    if [ "$WITH_MUC" = 1 ]; then
        echo
        echo "| rooms x occ | palaver / mu-conference deliveries/s |"
        echo "|---|---|"
        for shape in "${SHAPES[@]}"; do
            p=$(median palaver "${NODE_COUNTS[0]}" "$shape" deliveries_per_s); m=$(median mu-conference 1 "$shape" deliveries_per_s)
            echo "| $shape | $(awk -v p="$p" -v m="$m" 'BEGIN {if (m > 0) printf "%.0fx", p/m; else print "-"}') |"
        done
    fi
} | tee -a "$TMP/report.txt"
[ -n "${OUT:-}" ] && cat "$TMP/report.txt" >>"$OUT"
exit 0
