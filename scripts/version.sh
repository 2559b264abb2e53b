#!/bin/bash
# Prints the project version: <revision> in the parent pom.xml, the one place it is written.
# The jar reports it (--version, start-up log line, palaver_build_info) and the image is tagged with it.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
sed -n 's|.*<revision>\(.*\)</revision>.*|\1|p' "$ROOT/pom.xml" | head -n 1
