#!/bin/bash
# Builds the project and runs every test: the operations checks (scripts/check-ops.sh: Kubernetes
# manifests, alerting rules, dashboard, Dockerfile), then unit tests, the container image's layers
# (Jib) and the integration tests against a real jabberd2 (started by the tests themselves on free
# loopback ports).
#
# Usage: scripts/test.sh [extra mvn arguments]
#
# Installs what is missing first (as root, with apt-get: JDK 17, Maven, jabberd2, openssl,
# prometheus, nodejs, npm, git, python3-slixmpp, iptables), so it runs on a fresh Debian 12 machine.  Exit status is that of the
# first step that fails.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
# shellcheck source=lib/prerequisites.sh
. "$ROOT/scripts/lib/prerequisites.sh"

ensure_prerequisites with-jabberd2 with-test-tools
cd "$ROOT"
scripts/check-ops.sh
# -Pimage -Dimage.base=scratch: Jib also builds the container image's layers and configuration
# (conference-node/target/conference-node-image.tar) on an empty base, since CI reaches no
# container registry to pull the real one from (README.md, "Container image")
exec mvn -B -Pimage -Dimage.base=scratch verify "$@"
