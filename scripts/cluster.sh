#!/bin/bash
# A local cluster of Palaver nodes on this machine, and its rolling restart or upgrade.
#
#   scripts/cluster.sh start N [--jar JAR]      start N nodes, one at a time, each waiting for the last
#   scripts/cluster.sh status                   per node: pid, version, ready, members, epoch, rooms
#   scripts/cluster.sh rolling-restart [--jar JAR]
#                                               restart (or, with --jar, upgrade/roll back) every node,
#                                               one at a time; stops on the first problem
#   scripts/cluster.sh stop                     SIGTERM every node, one at a time
#
# (scripts/rolling-restart.sh is `cluster.sh rolling-restart`.)
#
# Every node lives in $PALAVER_CLUSTER_DIR/nodeK/ (default run/cluster): its configuration
# (cluster-config/conference-cluster.xml with its own ops port), the jar it runs, its pid and its
# log (node.log; the previous run's is node.log.1). The nodes share $PALAVER_CLUSTER_DIR/hazelcast.yaml
# (cluster-config/hazelcast.yaml with the name and ports below).
#
# A rolling restart takes one node at a time: SIGTERM (the node hands its rooms to the others,
# closes its router stream and leaves), wait until it has exited cleanly ("stopped" in its log)
# and the others are ready and agree on one ownership epoch; replace the jar (--jar); start it;
# wait until every node is ready (router connected, in a settled ownership view: the handoff has
# settled), all see N members, all route by one epoch; check that no node refused a message from
# another (palaver_cluster_messages_refused_total did not rise). Any failure stops the run with a
# message and status 1, leaving the cluster as it is.
#
# Environment for `start` (kept in $PALAVER_CLUSTER_DIR/env for the later commands):
#   ROUTER        router's component address, default 127.0.0.1:$JD2_ROUTER_PORT (15347, quickstart's)
#   SECRET        router secret, default $QUICKSTART_SECRET or "secret" (quickstart's)
#   DOMAIN        conference domain, default conference.localhost
#   HTTP_PORT     ops port of node1 (node K: HTTP_PORT+K-1), default 9091
#   HZ_PORT       first Hazelcast member port, default 5701
#   CLUSTER_NAME  Hazelcast cluster name, default palaver
#   JAVA_OPTS     extra JVM options
# And for every command: READY_TIMEOUT (s, default 120), STOP_TIMEOUT (s, default 60).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
DIR=${PALAVER_CLUSTER_DIR:-$ROOT/run/cluster}
READY_TIMEOUT=${READY_TIMEOUT:-120}
STOP_TIMEOUT=${STOP_TIMEOUT:-60}

die() { echo "cluster.sh: $*" >&2; exit 1; }
say() { echo "$(date +%H:%M:%S) $*"; }
usage() { sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2; }

nodes() { # node directories, in order
    local d
    for d in "$DIR"/node*/; do [ -d "$d" ] && basename "$d"; done | sort -V
}

http_port() { echo $((HTTP_PORT + ${1#node} - 1)); }

# the last lines of node $1's log that say something (no Hazelcast health reports)
log_tail() { grep -v 'HealthMonitor\|^$' "$DIR/$1/node.log" | tail -n 8 | cut -c1-240; }

pid_of() { cat "$DIR/$1/pid" 2>/dev/null || true; }

alive() { local p; p=$(pid_of "$1"); [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }

metrics() { curl -s --max-time 5 "http://127.0.0.1:$(http_port "$1")/metrics" 2>/dev/null || true; }

# the value of the first series whose name starts with $2 in node $1's metrics (empty if none)
sample() { metrics "$1" | awk -v n="$2" 'index($0, n) == 1 { print $NF; exit }'; }

# the sum of every series whose name starts with $2
total() { metrics "$1" | awk -v n="$2" 'index($0, n) == 1 { s += $NF } END { printf "%d\n", s }'; }

ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$(http_port "$1")/health/ready" 2>/dev/null)" = 200 ]; }

version() {
    local v
    v=$(metrics "$1" | sed -n 's/^palaver_build_info{.*version="\([^"]*\)".*/\1/p' | head -n 1)
    echo "${v:-before 0.2.0}"
}

# why the nodes $@ are not (yet) a settled cluster of exactly those nodes; empty when they are
unsettled() {
    local n=$# node epochs="" members epoch
    for node in "$@"; do
        alive "$node" || { echo "$node is not running"; return; }
        ready "$node" || { echo "$node is not ready"; return; }
        members=$(sample "$node" 'palaver_cluster_members{')
        [ "${members%.*}" = "$n" ] || { echo "$node sees ${members:-?} member(s), not $n"; return; }
        epoch=$(sample "$node" 'palaver_cluster_ownership_epoch{')
        epochs="$epochs ${epoch%.*}"
    done
    [ "$(echo $epochs | tr ' ' '\n' | sort -u | wc -l)" = 1 ] || echo "epochs differ:$epochs"
}

await_settled() { # what, nodes...
    local what=$1 why node deadline=$((SECONDS + READY_TIMEOUT))
    shift
    while why=$(unsettled "$@"); [ -n "$why" ]; do
        for node in "$@"; do
            alive "$node" || die "$what: $node exited:$(echo; log_tail "$node")"
        done
        [ $SECONDS -lt $deadline ] || die "$what: not settled after ${READY_TIMEOUT} s: $why"
        sleep 0.5
    done
}

launch() { # node
    local d="$DIR/$1"
    [ -f "$d/node.log" ] && mv "$d/node.log" "$d/node.log.1"
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
    setsid java $JAVA_OPTS -jar "$d/conference-node.jar" --config "$d/conference.xml" \
        --router "$ROUTER" --secret "$SECRET" --domain "$DOMAIN" </dev/null >"$d/node.log" 2>&1 &
    echo $! >"$d/pid"
}

stop_node() { # node
    local d="$DIR/$1" p deadline=$((SECONDS + STOP_TIMEOUT))
    p=$(pid_of "$1")
    alive "$1" || die "$1 is not running"
    kill -TERM "$p"
    while kill -0 "$p" 2>/dev/null; do
        [ $SECONDS -lt $deadline ] || die "$1 (pid $p) did not stop within ${STOP_TIMEOUT} s; it is still running"
        sleep 0.2
    done
    grep -q 'o.p.app.Launcher - stopped' "$d/node.log" \
        || die "$1 did not stop cleanly (no 'stopped' in $d/node.log):$(echo; log_tail "$1")"
    rm -f "$d/pid"
}

load_env() {
    [ -f "$DIR/env" ] || die "no cluster in $DIR (start one: scripts/cluster.sh start N)"
    # shellcheck source=/dev/null
    . "$DIR/env"
}

cmd_start() {
    local n=${1:-}
    shift || true
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || usage
    local jar=$ROOT/conference-node/target/conference-node.jar
    [ "${1:-}" = --jar ] && { jar=${2:?--jar needs a file}; shift 2; }
    [ $# = 0 ] || usage
    [ -f "$jar" ] || die "$jar is missing (build it: mvn -B -DskipTests package)"
    [ -z "$(nodes)" ] || die "$DIR already has nodes ($(nodes | xargs)); stop them and remove $DIR first"
    ROUTER=${ROUTER:-127.0.0.1:${JD2_ROUTER_PORT:-15347}}
    SECRET=${SECRET:-${QUICKSTART_SECRET:-secret}}
    DOMAIN=${DOMAIN:-conference.localhost}
    HTTP_PORT=${HTTP_PORT:-9091}
    HZ_PORT=${HZ_PORT:-5701}
    CLUSTER_NAME=${CLUSTER_NAME:-palaver}
    JAVA_OPTS=${JAVA_OPTS:-}
    mkdir -p "$DIR"
    declare -p ROUTER SECRET DOMAIN HTTP_PORT HZ_PORT CLUSTER_NAME JAVA_OPTS | sed -E 's/^declare -[-a-zA-Z]* //' >"$DIR/env"
    chmod 600 "$DIR/env"
    # the shipped Hazelcast file with this cluster's name, first port and member list
    awk -v name="$CLUSTER_NAME" -v port="$HZ_PORT" -v n="$n" '
        /cluster-name:/ { sub(/cluster-name: .*/, "cluster-name: " name) }
        /^ *port: [0-9]+/ { sub(/port: [0-9]+/, "port: " port) }
        /- 127\.0\.0\.1:[0-9]+/ { if (!listed) { for (i = 0; i < n + 2; i++) print "          - 127.0.0.1:" port + i; listed = 1 } next }
        { print }' "$ROOT/cluster-config/hazelcast.yaml" >"$DIR/hazelcast.yaml"
    local k node all=()
    for k in $(seq 1 "$n"); do
        node=node$k
        mkdir -p "$DIR/$node"
        sed -e "s|<port>9090</port>|<port>$(http_port "$node")</port>|" \
            -e "s|<hazelcast-config>hazelcast.yaml</hazelcast-config>|<hazelcast-config>../hazelcast.yaml</hazelcast-config>|" \
            "$ROOT/cluster-config/conference-cluster.xml" >"$DIR/$node/conference.xml"
        cp "$jar" "$DIR/$node/conference-node.jar"
        launch "$node"
        all+=("$node")
        say "$node: started (pid $(pid_of "$node"), ops port $(http_port "$node")); waiting until the cluster of ${#all[@]} settles"
        await_settled "starting $node" "${all[@]}"
    done
    say "cluster of $n node(s) ready in $DIR"
}

cmd_status() {
    load_env
    local node
    printf '%-7s %-8s %-16s %-6s %-8s %-6s %-6s %s\n' node pid version ready members epoch rooms refused
    for node in $(nodes); do
        if alive "$node"; then
            printf '%-7s %-8s %-16s %-6s %-8s %-6s %-6s %s\n' "$node" "$(pid_of "$node")" "$(version "$node")" \
                "$(ready "$node" && echo yes || echo no)" "$(sample "$node" 'palaver_cluster_members{' | cut -d. -f1)" \
                "$(sample "$node" 'palaver_cluster_ownership_epoch{' | cut -d. -f1)" \
                "$(sample "$node" 'palaver_rooms{' | cut -d. -f1)" "$(total "$node" 'palaver_cluster_messages_refused_total{')"
        else
            printf '%-7s %s\n' "$node" "not running"
        fi
    done
}

refused_total() {
    local node sum=0
    for node in "$@"; do sum=$((sum + $(total "$node" 'palaver_cluster_messages_refused_total{'))); done
    echo $sum
}

cmd_rolling_restart() {
    local jar=""
    [ "${1:-}" = --jar ] && { jar=${2:?--jar needs a file}; shift 2; }
    [ $# = 0 ] || usage
    [ -z "$jar" ] || [ -f "$jar" ] || die "$jar is missing"
    load_env
    local all node others before after started refused
    mapfile -t all < <(nodes)
    [ ${#all[@]} -gt 0 ] || die "no nodes in $DIR"
    [ ${#all[@]} -gt 1 ] || say "warning: a single node cannot hand its rooms to anyone; they are lost on restart"
    await_settled "before the rolling restart" "${all[@]}"
    refused=$(refused_total "${all[@]}")
    say "${jar:+installing $jar on }${#all[@]} node(s), one at a time"
    for node in "${all[@]}"; do
        started=$SECONDS
        before=$(version "$node")
        others=()
        for o in "${all[@]}"; do [ "$o" = "$node" ] || others+=("$o"); done
        say "$node: stopping (pid $(pid_of "$node"), version $before): handing its rooms to the others"
        stop_node "$node"
        [ ${#others[@]} = 0 ] || await_settled "after stopping $node" "${others[@]}"
        [ -z "$jar" ] || cp "$jar" "$DIR/$node/conference-node.jar"
        launch "$node"
        say "$node: started (pid $(pid_of "$node")); waiting for it and the handoff to settle"
        await_settled "after starting $node" "${all[@]}"
        after=$(refused_total "${all[@]}")
        [ "$after" -le "$refused" ] \
            || die "messages refused as unreadable rose from $refused to $after (palaver_cluster_messages_refused_total); stopping here"
        refused=$after
        say "$node: $before -> $(version "$node"), ready; ${#all[@]} node(s) settled at epoch $(sample "$node" \
            'palaver_cluster_ownership_epoch{' | cut -d. -f1) ($((SECONDS - started)) s)"
    done
    say "rolling restart done"
}

cmd_stop() {
    load_env
    local node
    for node in $(nodes | sort -rV); do
        if alive "$node"; then
            say "$node: stopping (pid $(pid_of "$node"))"
            stop_node "$node"
        fi
    done
    say "stopped"
}

command -v curl >/dev/null || die "curl is missing (apt-get install curl)"
command -v java >/dev/null || die "java is missing (scripts/quickstart.sh installs it)"
case "${1:-}" in
    start) shift; cmd_start "$@" ;;
    status) shift; cmd_status "$@" ;;
    rolling-restart) shift; cmd_rolling_restart "$@" ;;
    stop) shift; cmd_stop "$@" ;;
    *) usage ;;
esac
