#!/usr/bin/env bash
# large-room-joins.sh -- what joining one large room costs: N users join one room through the real
# protocol core (no network); prints stanzas and bytes out (exact, machine-independent) and the
# core's time (machine-dependent), for MUC and gc-1.0 clients, with every role's presence broadcast
# and with visitors' presence not broadcast (muc#roomconfig_presencebroadcast).
#
# Usage: scripts/large-room-joins.sh [N ...]        default: 2000 10000
# Environment: MVN_FLAGS (e.g. -o for offline) [], JAVA_OPTS [-Xmx1g]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
CP_FILE=$(mktemp)
trap 'rm -f "$CP_FILE"' EXIT
# shellcheck disable=SC2086
mvn -q -B ${MVN_FLAGS:-} test-compile -pl conference-node
# shellcheck disable=SC2086
mvn -q -B ${MVN_FLAGS:-} dependency:build-classpath -pl conference-node -Dmdep.outputFile="$CP_FILE" >/dev/null
CP="conference-node/target/classes:conference-node/target/test-classes:$(cat "$CP_FILE")"
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:--Xmx1g} -cp "$CP" org.palaver.core.LargeRoomJoins "$@"
