#!/usr/bin/env bash
# bench.sh -- measure a Palaver node under the router-side load driver (Driver.java), optionally
# side by side with MU-Conference 0.8 (Debian jabber-muc) in the same run.
#
# The driver stands in for the jabberd2 router: it listens, the component connects to it over
# XEP-0114, and it plays ROOMS x OCCUPANTS gc-1.0 users (join, saturating throughput, fixed-rate
# latency, leave), checking every copy (lost, duplicated, misrouted, reordered).
#
# Usage: scripts/bench.sh [--with-muc] [--nodes N] [--repeat N] [ROOMSxOCCUPANTS ...]
#        default shapes: 10x10 100x10 10x100 1x500
#        --nodes N: Palaver as a cluster of N nodes on this machine (cluster-config/conference-cluster.xml,
#        Hazelcast on loopback); the driver accepts one connection per node and spreads the rooms
#        over them, so most stanzas reach a node that does not own their room and are forwarded
#
# Environment (defaults in brackets):
#   BENCH_DRIVER   path of Driver.java                         [../shared/bench/Driver.java]
#   DURATION       throughput phase seconds                    [10]
#   LAT_DURATION   latency phase seconds                       [= DURATION]
#   PORT_BASE      first port tried (driver accepts 25000-25999) [25600]
#   NODE_JAVA_OPTS JVM options of the node                     [as the launcher's defaults]
#   BENCH_RATE_LIMITS on: keep the default rate limits          [off: <limits> rates 0]
#   DRIVER_ARGS    extra driver options                        []
#   OUT            also append the report to this file         []
#   KEEP_TMP=1     keep the temp dir (configs, logs)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
WITH_MUC=0
NODES=1
REPEAT=1
SHAPES=()
while [ $# -gt 0 ]; do
    case "$1" in
        --with-muc) WITH_MUC=1 ;;
        --repeat) shift; REPEAT=${1:?--repeat needs a number} ;;
        --nodes) shift; NODES=${1:?--nodes needs a number} ;;
        -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
        *x*) SHAPES+=("$1") ;;
        *) echo "bench: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done
[ ${#SHAPES[@]} -gt 0 ] || SHAPES=(10x10 100x10 10x100 1x500)
DRIVER=${BENCH_DRIVER:-$ROOT/../shared/bench/Driver.java}
DURATION=${DURATION:-10}
LAT_DURATION=${LAT_DURATION:-$DURATION}
PORT_BASE=${PORT_BASE:-25600}
DOMAIN=conference.localhost
SECRET=bench-secret-$RANDOM
JAR=$ROOT/conference-node/target/conference-node.jar

die() { echo "bench: $*" >&2; exit 1; }
[ -f "$DRIVER" ] || die "load driver not found at $DRIVER (set BENCH_DRIVER=/path/to/Driver.java)"
for s in "${SHAPES[@]}"; do [[ "$s" =~ ^[0-9]+x[0-9]+$ ]] || die "shape '$s' is not ROOMSxOCCUPANTS"; done
[[ "$REPEAT" =~ ^[1-9][0-9]?$ ]] || die "--repeat must be 1-99"
[[ "$NODES" =~ ^[1-9]$ ]] || die "--nodes must be 1-9"
if [ "$WITH_MUC" = 1 ] && [ ! -x /usr/sbin/mu-conference ]; then
    [ "$(id -u)" = 0 ] || die "MU-Conference missing: apt-get install jabber-muc"
    apt-get install -y -qq jabber-muc >/dev/null || die "could not install jabber-muc"
fi

TMP=$(mktemp -d -t palaver-bench.XXXXXX)
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
pick_port() { local p; for p in $(seq "$PORT_BASE" 25999); do port_free "$p" && { echo "$p"; return 0; }; done; return 1; }
# NODES consecutive free ports above AFTER (Hazelcast members take consecutive ports)
pick_port_after() {
    local p i ok
    for p in $(seq $(($1 + 100)) 25990); do
        ok=1; for i in $(seq 0 $((NODES - 1))); do port_free $((p + i)) || { ok=0; break; }; done
        [ "$ok" = 1 ] && { echo "$p"; return 0; }
    done
    return 1
}

echo "bench: building the node" >&2
(cd "$ROOT" && mvn -B -q -DskipTests package) || die "build failed"
mkdir -p "$TMP/classes"
javac -d "$TMP/classes" "$DRIVER"

node_java() {       # CONFIG PORT LOG: one node in the background
    # shellcheck disable=SC2086
    java -XX:+ExitOnOutOfMemoryError ${NODE_JAVA_OPTS:-} -jar "$JAR" --config "$1" \
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
        bench_config "$ROOT/cluster-config/conference.xml" "$dir/node.xml"
        node_java "$dir/node.xml" "$port" "$dir/node.log"
        COMP_PID=$!
        return
    fi
    local hz i members=""
    hz=$(pick_port_after "$port") || die "no free port for Hazelcast"
    for i in $(seq 0 $((NODES - 1))); do members+="          - 127.0.0.1:$((hz + i))"$'\n'; done
    # the shipped cluster configuration with the metrics port off and a Hazelcast cluster of this run only
    bench_config "$ROOT/cluster-config/conference-cluster.xml" "$dir/shipped.xml"
    sed 's|<port>9090</port>|<port>0</port>|' "$dir/shipped.xml" >"$dir/node.xml"
    cat >"$dir/hazelcast.yaml" <<YAML
hazelcast:
  cluster-name: palaver-bench-$port
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
run_one() {         # LABEL SHAPE RUN
    local label=$1 shape=$2 run=$3 port dir rooms occ extra=()
    rooms=${shape%x*}; occ=${shape#*x}
    port=$(pick_port) || die "no free port in $PORT_BASE-25999"
    dir="$TMP/$label-$shape-$run"; mkdir -p "$dir"
    if [ "$label" = palaver ]; then
        start_palaver "$dir" "$port"; extra=(--connections "$NODES")
    else
        start_muc "$dir" "$port"; extra=(--room-config muc#roomconfig_maxusers=0)
    fi
    local args=(--port "$port" --domain "$DOMAIN" --secret "$SECRET" --rooms "$rooms" --occupants "$occ"
                --duration "$DURATION" --lat-duration "$LAT_DURATION" --pid "$COMP_PID" --label "$label" "${extra[@]}")
    # shellcheck disable=SC2206
    [ -n "${DRIVER_ARGS:-}" ] && args+=($DRIVER_ARGS)
    echo "### $label $shape run $run (port $port)"
    set +e
    timeout --kill-after=10 900 java -cp "$TMP/classes" Driver "${args[@]}" >"$dir/driver.out" 2>&1
    set -e
    grep '^#' "$dir/driver.out" | grep -E '^# (join|throughput|latency|leave|checks|component pid)' || true
    stop_comp
    local line; line=$(grep '^RESULT ' "$dir/driver.out" | tail -n 1 || true)
    [ -n "$line" ] || { line="RESULT status=no_result"; tail -n 20 "$dir/driver.out" >&2; for f in "$dir"/node*.log; do [ -f "$f" ] && tail -n 20 "$f" >&2; done; }
    echo "$line"
    ROWS+=("$label $shape $line")
}

{
    echo "# Palaver bench, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "# host: $(uname -srm), $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
    echo "# java: $(java -version 2>&1 | head -1); node config: cluster-config/conference$([ "$NODES" = 1 ] || echo -cluster).xml (the defaults a user runs, rate limits ${BENCH_RATE_LIMITS:-off})"
    echo "# driver and component share the cores; DURATION=${DURATION}s"
    [ "$NODES" = 1 ] || echo "# palaver: a cluster of $NODES nodes (conference-cluster.xml) on these cores; RSS and CPU are node 1's"
} | tee "$TMP/report.txt"

for shape in "${SHAPES[@]}"; do
    for run in $(seq 1 "$REPEAT"); do
        # not piped: run_one records its row in ROWS, which a pipeline's subshell would lose
        run_one palaver "$shape" "$run" >"$TMP/run.txt"; cat "$TMP/run.txt" | tee -a "$TMP/report.txt"
        if [ "$WITH_MUC" = 1 ]; then
            run_one mu-conference "$shape" "$run" >"$TMP/run.txt"; cat "$TMP/run.txt" | tee -a "$TMP/report.txt"
        fi
    done
done

get() { echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k {print $2; f=1} END {if (!f) print "-"}'; }
median() {          # LABEL SHAPE: median deliveries/s over the repeats (0 when none)
    local r l s line
    for r in "${ROWS[@]}"; do
        read -r l s line <<<"$r"
        if [ "$l $s" = "$1 $2" ]; then get "$line" deliveries_per_s; fi
    done | sort -g | awk '{a[NR]=$1} END {print (NR ? a[int((NR+1)/2)] : 0)}'
}
{
    echo
    echo "| component | rooms x occ | deliveries/s | msgs/s | join s | latency rate msgs/s | p50 ms | p99 ms | max ms | leave s | peak RSS MB | comp CPU % | drv CPU % | lost | errors | status |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    for r in "${ROWS[@]}"; do
        read -r label shape line <<<"$r"
        rss=$(get "$line" rss_peak_kb); [ "$rss" != - ] && rss=$(awk -v k="$rss" 'BEGIN {printf "%.0f", k/1024}')
        echo "| $label | $shape | $(get "$line" deliveries_per_s) | $(get "$line" msgs_per_s) | $(get "$line" join_s) | $(get "$line" lat_rate) | $(get "$line" p50_ms) | $(get "$line" p99_ms) | $(get "$line" max_ms) | $(get "$line" leave_s) | $rss | $(get "$line" comp_cpu_pct) | $(get "$line" drv_cpu_pct) | $(get "$line" lost) | $(get "$line" errors) | $(get "$line" status) |"
    done
    if [ "$WITH_MUC" = 1 ]; then
        echo
        echo "| rooms x occ | palaver / mu-conference deliveries/s |"
        echo "|---|---|"
        for shape in "${SHAPES[@]}"; do
            p=$(median palaver "$shape"); m=$(median mu-conference "$shape")
            echo "| $shape | $(awk -v p="$p" -v m="$m" 'BEGIN {if (m > 0) printf "%.0fx", p/m; else print "-"}') |"
        done
    fi
} | tee -a "$TMP/report.txt"
[ -n "${OUT:-}" ] && cat "$TMP/report.txt" >>"$OUT"
exit 0
