# Shared by quickstart.sh and test.sh (sourced, not run): make sure the build tools and, when asked,
# jabberd2 are installed.  As root on Debian they are installed with apt-get (no prompts); otherwise
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

# missing_packages [with-jabberd2] [with-slixmpp]: Debian packages still needed, space-separated
missing_packages() {
    local pkgs=()
    [ -s /etc/ssl/certs/ca-certificates.crt ] || pkgs+=(ca-certificates)
    java_ok || pkgs+=(openjdk-17-jdk-headless)
    command -v mvn >/dev/null 2>&1 || pkgs+=(maven)
    if [ "${1:-}" = with-jabberd2 ]; then
        [ -x /usr/sbin/jabberd2-router ] || pkgs+=(jabberd2)
    fi
    if [ "${2:-}" = with-slixmpp ]; then
        slixmpp_ok || pkgs+=(python3-slixmpp)
    fi
    echo "${pkgs[*]}"
}

# ensure_prerequisites [with-jabberd2] [with-slixmpp]
ensure_prerequisites() {
    local pkgs
    pkgs=$(missing_packages "${1:-}" "${2:-}")
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
    pkgs=$(missing_packages "${1:-}" "${2:-}")
    [ -z "$pkgs" ] || { echo "still missing after apt-get: $pkgs" >&2; return 1; }
}
