#!/bin/bash
# A loopback-only jabberd2 (router + sm + c2s) with every file in one directory: the XMPP server a
# Palaver node connects to in the quick start and in the integration tests.
#
# Usage: jabberd2.sh start DIR [component-secret]
#        jabberd2.sh stop DIR
#
#   DIR               created if missing; gets etc/ run/ log/ data/
#   component-secret  the router's <local><secret> for XEP-0114 components (default: secret)
#
# Environment (defaults in brackets):
#   JD2_DOMAIN       XMPP domain served by the sm               [localhost]
#   JD2_IP           address to listen on, must be 127.x.x.x    [127.0.0.1]
#   JD2_ROUTER_PORT  router port (XEP-0114 components, sm, c2s) [15347]
#   JD2_C2S_PORT     client port: STARTTLS offered, not required [15222]
#   JD2_ROUTER_USER / JD2_ROUTER_PASS  internal router login    [jabberd / internal-secret]
#   JD2_USERS        pre-created accounts, "name:password ..."
#                    [alice:alice bob:bob carol:carol dave:dave u01:u01 ... u16:u16]
#   JD2_TIMEOUT      seconds to wait for each daemon            [20]
#   JD2_STOP_TIMEOUT seconds to wait for a daemon to exit       [5]
#   JD2_SBIN         directory of the jabberd2-* binaries       [/usr/sbin]
#
# If the jabberd2 binaries are missing and this runs as root, the Debian package is installed with
# apt-get.  "start" exits 0 once the router and c2s listen and the sm has bound the domain; on
# failure it prints the log tails, stops what it started and exits 1.  Besides jabberd2 it needs
# bash, coreutils, grep, awk, /proc and openssl (installed like jabberd2 when missing): on the first
# start it writes a self-signed certificate for the domain with its key to DIR/etc/c2s.pem (kept
# on later starts; delete it to get a new one), which c2s offers with STARTTLS, and the certificate
# alone to DIR/etc/c2s.crt, for clients told to trust it.  Its SHA-256 fingerprint is printed,
# for clients that ask whether to trust it.  setsid (util-linux) is used when present.
set -euo pipefail
shopt -u patsub_replacement 2>/dev/null || true

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
TPL="$HERE/jabberd2"
DAEMONS=(router sm c2s)   # start order; stopped in reverse

usage() { echo "usage: $0 start DIR [component-secret] | stop DIR" >&2; exit 2; }
die() { echo "jabberd2.sh: $*" >&2; exit 1; }

# ---- process helpers --------------------------------------------------------------------------

# alive PID: process exists and is not a zombie
alive() {
    [ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 1
    [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

# pid of daemon NAME started from DIR: from DIR/run/NAME.pid, checked against its command line
# (guards against pid reuse)
running_pid() {
    local name=$1 pid
    [ -f "$DIR/run/$name.pid" ] || return 1
    pid=$(tr -dc '0-9' <"$DIR/run/$name.pid")
    alive "$pid" || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$DIR/etc/" || return 1
    echo "$pid"
}

# port_listening PORT: true if some socket is in LISTEN state on PORT
port_listening() {
    local hex
    hex=$(printf '%04X' "$1")
    awk -v p=":$hex" 'toupper($2) ~ p"$" && $4 == "0A" {found=1} END {exit !found}' \
        /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

ms() { echo $(( $(date +%s%N) / 1000000 )); }

# ---- stop -------------------------------------------------------------------------------------

stop_all() {
    local rc=0 i name pid t0 limit=$(( ${JD2_STOP_TIMEOUT:-5} * 1000 ))
    for (( i=${#DAEMONS[@]}-1; i>=0; i-- )); do
        name=${DAEMONS[$i]}
        [ -f "$DIR/run/$name.pid" ] || continue
        if ! pid=$(running_pid "$name"); then
            echo "$name: not running (pid file removed)"
            rm -f "$DIR/run/$name.pid"
            continue
        fi
        t0=$(ms)
        kill -TERM "$pid" 2>/dev/null || true
        while alive "$pid" && [ $(( $(ms) - t0 )) -lt "$limit" ]; do sleep 0.05; done
        if alive "$pid"; then
            kill -KILL "$pid" 2>/dev/null || true
            sleep 0.2
            echo "$name: pid $pid killed (no exit within ${JD2_STOP_TIMEOUT:-5}s of SIGTERM)"
        else
            echo "$name: pid $pid stopped"
        fi
        if alive "$pid"; then rc=1; else rm -f "$DIR/run/$name.pid"; fi
    done
    return $rc
}

# ---- start ------------------------------------------------------------------------------------

install_if_missing() {
    local b missing=
    for b in "${DAEMONS[@]}"; do [ -x "$SBIN/jabberd2-$b" ] || missing=1; done
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "jabberd2.sh: jabberd2 is not installed; installing the Debian package" >&2
        DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q jabberd2 >&2
    fi
    for b in "${DAEMONS[@]}"; do
        [ -x "$SBIN/jabberd2-$b" ] || die "$SBIN/jabberd2-$b not found; install it as root: apt-get install -y jabberd2"
    done
    if ! command -v openssl >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "jabberd2.sh: openssl is not installed; installing the Debian package" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q openssl >&2
    fi
    command -v openssl >/dev/null || die "openssl not found; install it as root: apt-get install -y openssl"
}

# write_certificate: a self-signed certificate for DOMAIN (RSA 2048, 10 years) with its key in
# DIR/etc/c2s.pem and alone in DIR/etc/c2s.crt, unless one for this domain is already there
write_certificate() {
    local pem=$DIR/etc/c2s.pem crt=$DIR/etc/c2s.crt
    if [ -s "$pem" ] && [ -s "$crt" ] \
            && openssl x509 -in "$crt" -noout -subject 2>/dev/null | grep -q "CN *= *$DOMAIN\$"; then
        return 0
    fi
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=$DOMAIN" \
        -addext "subjectAltName=DNS:$DOMAIN" -keyout "$pem.key" -out "$crt" 2>/dev/null \
        || die "openssl could not create a certificate for $DOMAIN"
    (umask 077 && cat "$crt" "$pem.key" >"$pem")
    rm -f "$pem.key"
    chmod 644 "$crt"
}

xml_escape() { local s=$1; s=${s//&/&amp;}; s=${s//</&lt;}; s=${s//>/&gt;}; printf '%s' "$s"; }

# render TEMPLATE OUTPUT: replace every @NAME@ by the value of shell variable NAME
render() {
    local text var
    text=$(<"$1")
    for var in DIR SECRET DOMAIN BIND_IP ROUTER_IP ROUTER_PORT C2S_PORT ROUTER_USER ROUTER_PASS USERS_SQL SM_USERS_SQL; do
        text=${text//"@$var@"/"${!var}"}
    done
    printf '%s\n' "$text" >"$2"
}

write_configs() {
    SECRET=$(xml_escape "$SECRET_RAW")
    ROUTER_PASS=$(xml_escape "$ROUTER_PASS_RAW")
    USERS_SQL=""
    SM_USERS_SQL=""
    local up u pw f
    for up in $JD2_USERS; do
        [[ "$up" == *:* ]] || die "JD2_USERS entry '$up' is not name:password"
        u=${up%%:*}; pw=${up#*:}
        [[ "$u" =~ ^[a-z0-9._-]+$ ]] || die "user name '$u': use lower-case letters, digits, '.', '_', '-'"
        pw=$(xml_escape "${pw//\'/\'\'}")
        USERS_SQL+="DELETE FROM \"authreg\" WHERE \"username\" = '$u' AND \"realm\" = '$DOMAIN';"$'\n'
        USERS_SQL+="INSERT INTO \"authreg\" (\"username\", \"realm\", \"password\") VALUES ('$u', '$DOMAIN', '$pw');"$'\n'
        SM_USERS_SQL+="INSERT INTO \"active\" (\"collection-owner\", \"time\") SELECT '$u@$DOMAIN', strftime('%s', 'now') WHERE NOT EXISTS (SELECT 1 FROM \"active\" WHERE \"collection-owner\" = '$u@$DOMAIN');"$'\n'
    done
    for f in router.xml router-users.xml router-filter.xml sm.xml c2s.xml; do
        render "$TPL/$f" "$DIR/etc/$f"
    done
    chmod 600 "$DIR/etc/router-users.xml"
    {
        echo "# written by jabberd2.sh start"
        printf 'JD2_DIR=%q\n' "$DIR"
        printf 'JD2_DOMAIN=%q\n' "$DOMAIN"
        printf 'JD2_IP=%q\n' "$BIND_IP"
        printf 'JD2_ROUTER_PORT=%q\n' "$ROUTER_PORT"
        printf 'JD2_C2S_PORT=%q\n' "$C2S_PORT"
        printf 'JD2_SECRET=%q\n' "$SECRET_RAW"
    } >"$DIR/etc/jabberd2.env"
}

STARTED=()
fail() {
    echo "jabberd2.sh: $*" >&2
    local n
    for n in c2s sm router; do
        if [ -f "$DIR/log/$n.log" ]; then
            echo "---- tail of $DIR/log/$n.log" >&2; tail -n 15 "$DIR/log/$n.log" >&2
        fi
        if [ -s "$DIR/log/$n.out" ]; then
            echo "---- tail of $DIR/log/$n.out" >&2; tail -n 15 "$DIR/log/$n.out" >&2
        fi
    done
    if [ ${#STARTED[@]} -gt 0 ]; then
        echo "jabberd2.sh: stopping what was started" >&2
        stop_all >&2 || true
    fi
    exit 1
}

# start_daemon NAME: jabberd2-NAME -c DIR/etc/NAME.xml in the background, in its own session,
# stdin closed, stdout/stderr appended to DIR/log/NAME.out
start_daemon() {
    local name=$1 pid
    local cmd=("$SBIN/jabberd2-$name" -c "$DIR/etc/$name.xml")
    if command -v setsid >/dev/null; then cmd=(setsid "${cmd[@]}"); fi
    # no job control here, so the child is not a process-group leader and setsid execs in
    # place: $! is the daemon's own pid (the daemon later writes the same pid itself)
    "${cmd[@]}" </dev/null >>"$DIR/log/$name.out" 2>&1 &
    pid=$!
    echo "$pid" >"$DIR/run/$name.pid"
    STARTED+=("$name")
    eval "PID_$name=$pid"
}

log_since() { tail -c +"$(( $2 + 1 ))" "$1" 2>/dev/null || true; }
fsize() { stat -c %s "$1" 2>/dev/null || echo 0; }

# wait_for DESCRIPTION NAME TEST...: poll TEST until true while NAME is alive
wait_for() {
    local what=$1 name=$2 pid deadline
    shift 2
    pid=$(tr -dc '0-9' <"$DIR/run/$name.pid")
    deadline=$(( $(date +%s) + TIMEOUT ))
    until "$@"; do
        alive "$pid" || fail "$name (pid $pid) exited while waiting for $what"
        [ "$(date +%s)" -lt "$deadline" ] || fail "timeout (${TIMEOUT}s) waiting for $what"
        sleep 0.05
    done
}

sm_bound() { log_since "$DIR/log/router.log" "$OFF_ROUTER" | grep -qF "[$DOMAIN] online"; }
c2s_ready() { port_listening "$C2S_PORT" && log_since "$DIR/log/c2s.log" "$OFF_C2S" | grep -qF "ready for connections"; }

start_all() {
    SECRET_RAW=${1:-secret}
    DOMAIN=${JD2_DOMAIN:-localhost}
    BIND_IP=${JD2_IP:-127.0.0.1}
    ROUTER_IP=$BIND_IP
    ROUTER_PORT=${JD2_ROUTER_PORT:-15347}
    C2S_PORT=${JD2_C2S_PORT:-15222}
    ROUTER_USER=${JD2_ROUTER_USER:-jabberd}
    ROUTER_PASS_RAW=${JD2_ROUTER_PASS:-internal-secret}
    TIMEOUT=${JD2_TIMEOUT:-20}
    SBIN=${JD2_SBIN:-/usr/sbin}
    if [ -z "${JD2_USERS:-}" ]; then
        JD2_USERS="alice:alice bob:bob carol:carol dave:dave"
        for i in $(seq -w 1 16); do JD2_USERS="$JD2_USERS u$i:u$i"; done
    fi

    case "$BIND_IP" in 127.*) ;; *) die "JD2_IP must be a loopback address (127.x.x.x), got '$BIND_IP'";; esac
    for p in "$ROUTER_PORT" "$C2S_PORT"; do
        [[ "$p" =~ ^[0-9]+$ ]] && [ "$p" -ge 1 ] && [ "$p" -le 65535 ] || die "bad port '$p'"
    done
    [[ "$DOMAIN" =~ ^[a-z0-9.-]+$ ]] || die "JD2_DOMAIN must be lower-case letters, digits, '.', '-'"
    [[ "$ROUTER_USER" =~ ^[A-Za-z0-9._-]+$ ]] || die "bad JD2_ROUTER_USER"

    install_if_missing
    local n p
    for n in "${DAEMONS[@]}"; do
        if p=$(running_pid "$n"); then die "$n already running from $DIR (pid $p); run: $0 stop $DIR"; fi
    done
    for p in "$ROUTER_PORT" "$C2S_PORT"; do
        port_listening "$p" && die "port $p is already in use (set JD2_ROUTER_PORT / JD2_C2S_PORT)"
    done
    mkdir -p "$DIR/etc" "$DIR/run" "$DIR/log" "$DIR/data"
    write_configs
    write_certificate

    local t0 t_router t_sm t_c2s
    t0=$(ms)
    OFF_ROUTER=$(fsize "$DIR/log/router.log")
    start_daemon router
    wait_for "router port $ROUTER_PORT" router port_listening "$ROUTER_PORT"
    t_router=$(( $(ms) - t0 ))
    start_daemon sm
    wait_for "sm to bind $DOMAIN on the router" sm sm_bound
    t_sm=$(( $(ms) - t0 ))
    OFF_C2S=$(fsize "$DIR/log/c2s.log")
    start_daemon c2s
    wait_for "c2s port $C2S_PORT" c2s c2s_ready
    t_c2s=$(( $(ms) - t0 ))

    cat <<EOF
jabberd2 running in $DIR
  domain          $DOMAIN
  c2s  (clients)  $BIND_IP:$C2S_PORT   STARTTLS offered (self-signed certificate, not required),
                  SASL SCRAM-SHA-1/PLAIN/DIGEST-MD5, in-band registration
  certificate     $DIR/etc/c2s.crt (self-signed, for "$DOMAIN")
                  $(openssl x509 -in "$DIR/etc/c2s.crt" -noout -fingerprint -sha256)
  router          $BIND_IP:$ROUTER_PORT   XEP-0114 components: stream to=<component domain>, secret '$SECRET_RAW'
  pids            router=$PID_router sm=$PID_sm c2s=$PID_c2s   (files in $DIR/run)
  logs            $DIR/log/{router,sm,c2s}.log
  users           $(set -- $JD2_USERS; echo "$# pre-created, e.g. ${1%%:*} / ${1#*:}")
  ready after     router ${t_router} ms, sm ${t_sm} ms, c2s ${t_c2s} ms
  stop with       $0 stop $DIR
EOF
}

# ---- main -------------------------------------------------------------------------------------

[ $# -ge 2 ] && [ -n "$2" ] || usage
CMD=$1
case "$CMD" in
    start)
        [ $# -le 3 ] || usage
        mkdir -p "$2"
        DIR=$(cd "$2" && pwd -P)
        start_all "${3:-}"
        ;;
    stop)
        [ $# -eq 2 ] || usage
        [ -d "$2" ] || die "no such directory: $2"
        DIR=$(cd "$2" && pwd -P)
        stop_all
        ;;
    *) usage ;;
esac
