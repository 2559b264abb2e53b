#!/bin/bash
# Quick start: a jabberd2 server on loopback plus one Palaver conference node connected to it, in
# the foreground.  Ctrl-C (or SIGTERM) stops both.
#
# Usage: scripts/quickstart.sh
#
# Builds the node jar if it is missing or older than the sources, installs what is missing as root
# (JDK 17, Maven, jabberd2), starts jabberd2 in its own directory (default run/quickstart/jabberd2
# under the project), starts the node with cluster-config/conference.xml and prints how to connect.
#
# Environment: PALAVER_RUN_DIR (run/quickstart), JD2_ROUTER_PORT (15347), JD2_C2S_PORT (15222),
# QUICKSTART_SECRET (secret): the router's component secret, passed to the node with --secret.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
# shellcheck source=lib/prerequisites.sh
. "$ROOT/scripts/lib/prerequisites.sh"

RUN_DIR=${PALAVER_RUN_DIR:-$ROOT/run/quickstart}
ROUTER_PORT=${JD2_ROUTER_PORT:-15347}
C2S_PORT=${JD2_C2S_PORT:-15222}
SECRET=${QUICKSTART_SECRET:-secret}
CONFIG=$ROOT/cluster-config/conference.xml
JAR=$ROOT/conference-node/target/conference-node.jar
JD2_DIR=$RUN_DIR/jabberd2
NODE_LOG=$RUN_DIR/node.log

ensure_prerequisites with-jabberd2

# ---- build ------------------------------------------------------------------------------------
if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/pom.xml" "$ROOT/conference-node/pom.xml" "$ROOT/conference-node/src/main" \
        -newer "$JAR" -print -quit)" ]; then
    echo "building $JAR ..."
    (cd "$ROOT" && mvn -B -q -DskipTests package)
fi

# ---- start ------------------------------------------------------------------------------------
mkdir -p "$RUN_DIR"
NODE_PID=
TAIL_PID=
cleanup() {
    trap - EXIT INT TERM
    echo
    if [ -n "$NODE_PID" ] && kill -0 "$NODE_PID" 2>/dev/null; then
        echo "stopping the node (pid $NODE_PID) ..."
        kill -TERM "$NODE_PID" 2>/dev/null || true
        wait "$NODE_PID" 2>/dev/null || true
    fi
    [ -n "$TAIL_PID" ] && kill "$TAIL_PID" 2>/dev/null || true
    "$ROOT/scripts/jabberd2.sh" stop "$JD2_DIR" || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

JD2_ROUTER_PORT=$ROUTER_PORT JD2_C2S_PORT=$C2S_PORT "$ROOT/scripts/jabberd2.sh" start "$JD2_DIR" "$SECRET"
DOMAIN=$(sed -n 's:.*<domain>\(.*\)</domain>.*:\1:p' "$CONFIG" | head -n 1)
HTTP_PORT=$(sed -n '/<http>/,/<\/http>/s:.*<port>\(.*\)</port>.*:\1:p' "$CONFIG" | head -n 1)
if [ -z "$HTTP_PORT" ] || [ "$HTTP_PORT" = 0 ]; then
    OPS="off (<http><port> is 0)"
else
    OPS="http://127.0.0.1:$HTTP_PORT/metrics, /health/live, /health/ready"
fi
LOG_OFFSET=$(stat -c %s "$JD2_DIR/log/router.log")

java -XX:+ExitOnOutOfMemoryError -jar "$JAR" --config "$CONFIG" --router "127.0.0.1:$ROUTER_PORT" --secret "$SECRET" >"$NODE_LOG" 2>&1 &
NODE_PID=$!

deadline=$(( $(date +%s) + 30 ))
until tail -c +"$(( LOG_OFFSET + 1 ))" "$JD2_DIR/log/router.log" | grep -qF "[$DOMAIN] online"; do
    if ! kill -0 "$NODE_PID" 2>/dev/null; then
        cat "$NODE_LOG" >&2
        echo "quickstart: the node exited (log above)" >&2
        exit 1
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
        cat "$NODE_LOG" >&2
        echo "quickstart: the node did not come online within 30 s (log above)" >&2
        exit 1
    fi
    sleep 0.2
done

cat <<EOF

Palaver is running.
  conference service  $DOMAIN  (node pid $NODE_PID, log $NODE_LOG)
  connect a client    server 127.0.0.1, port $C2S_PORT, plain connection (no TLS), user alice / password alice
                      (also bob, carol, dave, u01..u16; password = user name), domain localhost
  then join a room    e.g. lounge@$DOMAIN, or browse $DOMAIN
  metrics and health  $OPS
  Ctrl-C stops the node and jabberd2.

---- node log ----
EOF
tail -n +1 -f "$NODE_LOG" &
TAIL_PID=$!
wait "$NODE_PID" || true
NODE_PID=
echo "quickstart: the node stopped" >&2
