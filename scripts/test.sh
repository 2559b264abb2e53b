#!/bin/bash
# Builds the project and runs every test: unit tests and the integration tests against a real
# jabberd2 (started by the tests themselves on free loopback ports).
#
# Usage: scripts/test.sh [extra mvn arguments]
#
# Installs what is missing first (as root, with apt-get: JDK 17, Maven, jabberd2), so it runs on a
# fresh Debian 12 machine.  Exit status is Maven's.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
# shellcheck source=lib/prerequisites.sh
. "$ROOT/scripts/lib/prerequisites.sh"

ensure_prerequisites with-jabberd2 with-slixmpp
cd "$ROOT"
exec mvn -B verify "$@"
