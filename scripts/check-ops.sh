#!/bin/bash
# Checks the operator kit with the tools operators use:
#   - the Kubernetes manifests: k8s/ rendered as `kubectl kustomize` renders it, plus the
#     ServiceMonitor, validated against the Kubernetes schemas (npm: kubernetes-models and
#     @kubernetes-models/prometheus-operator, schemas shipped in the packages; unknown fields are
#     errors), see scripts/validators/validate-k8s.mjs;
#   - the Prometheus alerting rules: `promtool check rules` and their unit tests, `promtool test rules`;
#   - the Grafana dashboard: valid JSON whose panels all have queries;
#   - conference-node/Dockerfile: `dockerfile-utils lint` (npm).
#
# Usage: scripts/check-ops.sh       (scripts/test.sh runs it before the Maven build)
#
# Needs node and npm (the validator's packages are installed once with `npm ci` into
# scripts/validators/node_modules, from the npm registry) and promtool (Debian: prometheus).
# scripts/test.sh installs them as root.  Exit status 1 on the first failing check.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
VALIDATOR=$ROOT/scripts/validators
cd "$ROOT"

for tool in node npm promtool; do
    command -v "$tool" >/dev/null || { echo "check-ops: $tool not found (scripts/test.sh installs it as root)" >&2; exit 1; }
done

# npm ci again only when the lock file changed since the last install
if ! cmp -s "$VALIDATOR/package-lock.json" "$VALIDATOR/node_modules/.package-lock-installed.json" 2>/dev/null; then
    echo "check-ops: installing the manifest validator's npm packages"
    (cd "$VALIDATOR" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$VALIDATOR/package-lock.json" "$VALIDATOR/node_modules/.package-lock-installed.json"
fi
node "$VALIDATOR/validate-k8s.mjs" k8s k8s/monitoring/servicemonitor.yaml
"$VALIDATOR/node_modules/.bin/dockerfile-utils" lint conference-node/Dockerfile
echo "check-ops: conference-node/Dockerfile passes dockerfile-utils lint"

promtool check rules monitoring/alerts.yml
promtool test rules monitoring/alerts-test.yml

node -e '
const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const panels = d.panels.flatMap(p => p.panels ? [p, ...p.panels] : [p]).filter(p => p.type !== "row");
const empty = panels.filter(p => !(p.targets || []).length || p.targets.some(t => !t.expr));
if (!d.title || !d.uid || panels.length === 0 || empty.length) {
  console.error("check-ops: dashboard: title, uid and a query in every panel needed; without: " + empty.map(p => p.title));
  process.exit(1);
}
console.log("check-ops: dashboard \"" + d.title + "\": " + panels.length + " panels with queries");
' monitoring/grafana-dashboard.json
echo "check-ops: all checks passed"
