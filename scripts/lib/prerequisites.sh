# Shared by quickstart.sh and test.sh (sourced, not run): make sure the build tools and, when asked,
# jabberd2 (with openssl for its certificate) and the test tools (Prometheus with promtool, Node.js
# with npm for the Kubernetes manifest validator, iptables for the partition test) are installed.  As root on Debian they are installed with apt-get (no prompts); otherwise
# the missing packages are named and the script stops.

# java_ok: a JDK (javac) of version 17 or later
java_ok() {
    command -v javac >/dev/null 2>&1 || return 1
    local v
    v=$(javac -version 2>&1 | awk '{print $2}' | cut -d. -f1)
    [[ "$v" =~ ^[0-9]+$ ]] && [ "$v" -ge 17 ]
}

# slixmpp_ok: Debian's python3-slixmpp (the second client library of the end-to-end tests)
slixmpp_ok() {
    [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import slixmpp' >/dev/null 2>&1
}

# missing_packages [with-jabberd2] [with-test-tools]: Debian packages still needed, space-separated
missing_packages() {
    local pkgs=() what
    [ -s /etc/ssl/certs/ca-certificates.crt ] || pkgs+=(ca-certificates)
    java_ok || pkgs+=(openjdk-17-jdk-headless)
    command -v mvn >/dev/null 2>&1 || pkgs+=(maven)
    for what in "$@"; do
        case "$what" in
            with-jabberd2)
                [ -x /usr/sbin/jabberd2-router ] || pkgs+=(jabberd2)
                command -v openssl >/dev/null 2>&1 || pkgs+=(openssl)
                ;;
            with-test-tools)
                # promtool comes with the server; the service is not started in containers (policy-rc.d)
                [ -x /usr/bin/promtool ] && [ -x /usr/bin/prometheus ] || pkgs+=(prometheus)
                command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
                command -v npm >/dev/null 2>&1 || pkgs+=(npm)
                # the tests build the previous release's jar from its commit (RollingUpgradeIT)
                command -v git >/dev/null 2>&1 || pkgs+=(git)
                # the second client library of the end-to-end tests (SlixmppClientIT)
                slixmpp_ok || pkgs+=(python3-slixmpp)
                # the network partition of ClusterPartitionIT (loopback rules, as root)
                [ -x /usr/sbin/iptables ] || pkgs+=(iptables)
                ;;
        esac
    done
    echo "${pkgs[*]}"
}

# ensure_prerequisites [with-jabberd2] [with-test-tools]
ensure_prerequisites() {
    local pkgs
    pkgs=$(missing_packages "$@")
    [ -z "$pkgs" ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing: $pkgs" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q >&2
        # shellcheck disable=SC2086  # word splitting of the package list is intended
        apt-get install -y -q --no-install-recommends $pkgs </dev/null >&2
    else
        echo "missing: $pkgs" >&2
        echo "install them as root: apt-get install -y $pkgs" >&2
        return 1
    fi
    pkgs=$(missing_packages "$@")
    [ -z "$pkgs" ] || { echo "still missing after apt-get: $pkgs" >&2; return 1; }
}
