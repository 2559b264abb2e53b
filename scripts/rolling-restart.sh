#!/bin/bash
# Rolling restart or upgrade of the local cluster that scripts/cluster.sh started, one node at a
# time: scripts/rolling-restart.sh [--jar JAR]. See scripts/cluster.sh for what it waits for.
exec "$(dirname "${BASH_SOURCE[0]}")/cluster.sh" rolling-restart "$@"
