#!/usr/bin/env bash
# heap-per-participant.sh -- heap retained per joined participant of one node with the shipped
# configuration (cluster-config/conference.xml).
#
# Usage: scripts/heap-per-participant.sh [ROOMSxOCCUPANTS ...]     default: 100x100 1000x10
#
# Method: start a node against the load driver (Driver.java, the router stand-in) with
# `--phases join`, so every simulated user joins its room and nobody leaves; the driver then closes
# the stream, which leaves the rooms and participants in the node. `jcmd PID GC.class_histogram`
# forces a full collection and totals the live heap; it is taken once after the handshake with an
# idle driver (baseline) and once after the joins. (retained after - baseline) / participants is
# the figure. Joined users also carry their cached presence and the join notices in history.
#
# Environment: BENCH_DRIVER (path of Driver.java, default ../shared/bench/Driver.java),
# PORT_BASE (25800), NODE_JAVA_OPTS (extra JVM options of the node).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
DRIVER=${BENCH_DRIVER:-$ROOT/../shared/bench/Driver.java}
PORT=${PORT_BASE:-25800}
JAR=$ROOT/conference-node/target/conference-node.jar
DOMAIN=conference.localhost
SECRET=heap-$RANDOM
[ -f "$DRIVER" ] || { echo "heap: load driver not found at $DRIVER (set BENCH_DRIVER)" >&2; exit 1; }
[ $# -gt 0 ] || set -- 100x100 1000x10
TMP=$(mktemp -d -t palaver-heap.XXXXXX)
PID=""
cleanup() { [ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
(cd "$ROOT" && mvn -B -q -DskipTests package) >&2
javac -d "$TMP" "$DRIVER"

live_bytes() { jcmd "$1" GC.class_histogram | awk '/^Total/ {print $3}'; }

printf '| rooms x occupants | participants | live heap before | live heap after joins | bytes per participant |\n|---|---|---|---|---|\n'
for shape in "$@"; do
    rooms=${shape%x*}; occ=${shape#*x}
    # shellcheck disable=SC2086
    java ${NODE_JAVA_OPTS:-} -jar "$JAR" --config "$ROOT/cluster-config/conference.xml" --router "127.0.0.1:$PORT" \
        --secret "$SECRET" --domain "$DOMAIN" </dev/null >"$TMP/node.log" 2>&1 &
    PID=$!
    # an idle driver first: the node's baseline after start-up and handshake
    timeout 60 java -cp "$TMP" Driver --port "$PORT" --domain "$DOMAIN" --secret "$SECRET" --rooms 1 --occupants 1 \
        --phases join --pid "$PID" >"$TMP/warm.out" 2>&1 || true
    sleep 1
    before=$(live_bytes "$PID")
    timeout 300 java -cp "$TMP" Driver --port "$PORT" --domain "$DOMAIN" --secret "$SECRET" --rooms "$rooms" \
        --occupants "$occ" --phases join --pid "$PID" >"$TMP/join.out" 2>&1 || { tail -5 "$TMP/join.out" >&2; }
    after=$(live_bytes "$PID")
    n=$((rooms * occ))
    printf '| %s | %d | %d | %d | %d |\n' "$shape" "$n" "$before" "$after" $(( (after - before) / n ))
    kill -TERM "$PID"; wait "$PID" 2>/dev/null || true; PID=""
done
