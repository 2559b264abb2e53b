#!/bin/bash
# Quick start: a jabberd2 server on loopback plus one Palaver conference node connected to it, in
# the foreground.  Ctrl-C (or SIGTERM) stops both.
#
# Usage: scripts/quickstart.sh
#
# Builds the node jar if it is missing or older than the sources, installs what is missing as root
# (JDK 17, Maven, jabberd2, openssl), starts jabberd2 in its own directory (default
# run/quickstart/jabberd2 under the project; c2s offers STARTTLS with a generated self-signed
# certificate, and SASL SCRAM-SHA-1), starts the node with cluster-config/conference.xml (metrics
# and health on 127.0.0.1) and prints how to connect once the node is ready.  A port already in
# use, or a node that fails to start, ends it with a message and exit status 1 before anything is
# reported as running.
#
# Environment: PALAVER_RUN_DIR (run/quickstart), JD2_C2S_PORT (15222, clients), JD2_ROUTER_PORT
# (15347, components), PALAVER_HTTP_PORT (9090, metrics and health; 0 = off), QUICKSTART_SECRET
# (secret): the router's component secret, passed to the node with --secret.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
# shellcheck source=lib/prerequisites.sh
. "$ROOT/scripts/lib/prerequisites.sh"

RUN_DIR=${PALAVER_RUN_DIR:-$ROOT/run/quickstart}
ROUTER_PORT=${JD2_ROUTER_PORT:-15347}
C2S_PORT=${JD2_C2S_PORT:-15222}
HTTP_PORT=${PALAVER_HTTP_PORT:-9090}
SECRET=${QUICKSTART_SECRET:-secret}
SHIPPED_CONFIG=$ROOT/cluster-config/conference.xml
JAR=$ROOT/conference-node/target/conference-node.jar
JD2_DIR=$RUN_DIR/jabberd2
CONFIG=$RUN_DIR/conference.xml
NODE_LOG=$RUN_DIR/node.log

die() { echo "quickstart: $*" >&2; exit 1; }

# port_in_use PORT: some socket listens on PORT (on any address)
port_in_use() {
    local hex
    hex=$(printf '%04X' "$1")
    awk -v p=":$hex" 'toupper($2) ~ p"$" && $4 == "0A" {found=1} END {exit !found}' \
        /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# check_port PORT VARIABLE WHAT: a valid port number, and free unless 0
check_port() {
    [[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -le 65535 ] || die "$2 must be a port number 0..65535, got '$1'"
    if [ "$1" != 0 ] && port_in_use "$1"; then
        die "port $1 ($3) is already in use; choose another one, e.g. $2=$(( $1 % 60000 + 1000 )) $0"
    fi
}

check_port "$C2S_PORT" JD2_C2S_PORT "jabberd2's client port"
check_port "$ROUTER_PORT" JD2_ROUTER_PORT "jabberd2's component port"
check_port "$HTTP_PORT" PALAVER_HTTP_PORT "the node's metrics and health endpoints"
if [ "$C2S_PORT" = "$ROUTER_PORT" ] || [ "$HTTP_PORT" = "$C2S_PORT" ] || [ "$HTTP_PORT" = "$ROUTER_PORT" ]; then
    die "JD2_C2S_PORT ($C2S_PORT), JD2_ROUTER_PORT ($ROUTER_PORT) and PALAVER_HTTP_PORT ($HTTP_PORT) must differ"
fi

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
DOMAIN=$(sed -n 's:.*<domain>\(.*\)</domain>.*:\1:p' "$SHIPPED_CONFIG" | head -n 1)
HTTP_HOST=$(sed -n '/<http>/,/<\/http>/s:.*<host>\(.*\)</host>.*:\1:p' "$SHIPPED_CONFIG" | head -n 1)
# the shipped configuration with the endpoints' port from PALAVER_HTTP_PORT
sed '/<http>/,/<\/http>/s:<port>[0-9]*</port>:<port>'"$HTTP_PORT"'</port>:' "$SHIPPED_CONFIG" >"$CONFIG"
if [ "$HTTP_PORT" = 0 ]; then
    OPS="off (PALAVER_HTTP_PORT=0)"
else
    OPS="http://$HTTP_HOST:$HTTP_PORT/metrics, /health/live, /health/ready"
fi
LOG_OFFSET=$(stat -c %s "$JD2_DIR/log/router.log")

java -XX:+ExitOnOutOfMemoryError -jar "$JAR" --config "$CONFIG" --router "127.0.0.1:$ROUTER_PORT" --secret "$SECRET" >"$NODE_LOG" 2>&1 &
NODE_PID=$!

# Ready: the router has bound the domain and, with the endpoints on, /health/ready answers 200, so
# a port taken by someone else in the meantime ends the start here, not after "running".
router_bound() { tail -c +"$(( LOG_OFFSET + 1 ))" "$JD2_DIR/log/router.log" | grep -qF "[$DOMAIN] online"; }
node_ready() {
    [ "$HTTP_PORT" = 0 ] && return 0
    local status
    { exec 3<>"/dev/tcp/127.0.0.1/$HTTP_PORT"; } 2>/dev/null || return 1
    printf 'GET /health/ready HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
    status=$(head -n 1 <&3 || true)
    exec 3>&-
    [[ "$status" == "HTTP/1."?" 200"* ]]
}
deadline=$(( $(date +%s) + 60 ))
until router_bound && node_ready; do
    if ! kill -0 "$NODE_PID" 2>/dev/null; then
        status=0
        wait "$NODE_PID" || status=$?
        NODE_PID=
        cat "$NODE_LOG" >&2
        die "the node exited with status $status before it was ready (its log is above and in $NODE_LOG)"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
        cat "$NODE_LOG" >&2
        die "the node was not ready within 60 s (its log is above and in $NODE_LOG)"
    fi
    sleep 0.2
done
FINGERPRINT=$(openssl x509 -in "$JD2_DIR/etc/c2s.crt" -noout -fingerprint -sha256 | sed 's/^[^=]*=//')

cat <<EOF

Palaver is running.
  conference service  $DOMAIN  (node pid $NODE_PID, log $NODE_LOG)
  connect a client    server 127.0.0.1, port $C2S_PORT, account alice@localhost, password alice
                      (also bob, carol, dave, u01..u16; password = user name);
                      STARTTLS with a self-signed certificate for "localhost": accept it when the
                      client asks (SHA-256 $FINGERPRINT),
                      or trust the file $JD2_DIR/etc/c2s.crt;
                      SASL SCRAM-SHA-1 or PLAIN. Client settings: README.md, "Clients".
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
