#!/usr/bin/env bash
# Real-editor tests: installs code-server (a real VS Code 1.139) and headless chromium into .e2e/,
# builds and packages the extension, then runs
#   (a) the extension's mocha suite inside code-server's extension host (test/e2e/suite), and
#   (b) a UI script that drives the workbench with the installed .vsix (test/e2e/ui.ts),
#   (c) the pod diagram's SVG and webview page in headless chromium (test/e2e/render.ts),
#   (d) the browser language server (dist/browser/server.js) in a Worker of headless chromium
#       (test/e2e/web-worker.ts),
#   (e) the UI script again with the web extension (package.json `browser`) in code-server's web
#       worker extension host, as vscode.dev runs it (remote.extensionKind: web only),
# and prints `N passed, N failed` (exit 1 on any failure). Needs root for apt (first run only).
#   E2E_ROOT        installs and state (default <repo>/.e2e)
#   E2E_PORT        first of two free local ports (default 18080)
#   E2E_SKIP_BUILD  1 = use the existing dist/ and out/ (skip `node esbuild.mjs --tests`)
#   VERBOSE=1       print every extension-host log line
set -euo pipefail
source "$(dirname "$0")/lib/e2e-env.sh"
cd "$REPO_ROOT"
trap e2e_cleanup EXIT
trap 'exit 130' INT TERM
PORT_UI=${E2E_PORT:-18080}; PORT_INT=$((PORT_UI + 1))

e2e_step "prerequisites (skipped when present)"
e2e_install_all
e2e_npm_deps
if [ "${E2E_SKIP_BUILD:-}" != 1 ]; then e2e_build --tests; fi
e2e_package

e2e_enter_env
# the suite edits workspace settings: it gets a copy of examples/, never the repo's own folder
WS=$E2E_ROOT/ws; rm -rf "$WS"; cp -r "$REPO_ROOT/examples" "$WS"
rm -f "$E2E_ROOT"/results-*.json "$E2E_ROOT/shot.png"
RC=0

e2e_step "(a) extension tests inside code-server's extension host"
e2e_prep_data "$E2E_ROOT/cs-int"
E2E_RESULTS=$E2E_ROOT/results-int.json e2e_start_cs "$PORT_INT" "$E2E_ROOT/cs-int" "$WS" --vscode-option enable-smoke-test-driver
node out/test/e2e/run-ext-tests.js "$PORT_INT" "$REPO_ROOT" "$REPO_ROOT/out/test/e2e/suite/index.js" "$WS" || RC=1
e2e_stop_group "$CS_PID"

e2e_step "(b) UI: install the .vsix, drive the workbench in headless chromium"
rm -rf "$WS"; cp -r "$REPO_ROOT/examples" "$WS"
e2e_prep_data "$E2E_ROOT/cs-ui"
e2e_install_vsix "$E2E_ROOT/cs-ui"
e2e_start_cs "$PORT_UI" "$E2E_ROOT/cs-ui" "$WS"
CS_URL="http://127.0.0.1:$PORT_UI/?folder=$WS" SHOT=$E2E_ROOT/shot.png E2E_RESULTS=$E2E_ROOT/results-ui.json \
  node out/test/e2e/ui.js || RC=1
e2e_stop_group "$CS_PID"

e2e_step "(c) pod diagram rendering in headless chromium"
E2E_RESULTS=$E2E_ROOT/results-render.json node out/test/e2e/render.js || RC=1

e2e_step "(d) the web extension's language server in a browser worker"
E2E_RESULTS=$E2E_ROOT/results-web-worker.json node out/test/e2e/web-worker.js || RC=1

e2e_step "(e) UI: the web extension in code-server's web worker extension host"
rm -rf "$WS"; cp -r "$REPO_ROOT/examples" "$WS"
e2e_prep_data "$E2E_ROOT/cs-web"
e2e_web_only "$E2E_ROOT/cs-web"
e2e_install_vsix "$E2E_ROOT/cs-web"
e2e_start_cs "$PORT_UI" "$E2E_ROOT/cs-web" "$WS"
CS_URL="http://127.0.0.1:$PORT_UI/?folder=$WS" SHOT=$E2E_ROOT/shot-web.png WEB_HOST=1 \
  E2E_RESULTS=$E2E_ROOT/results-web-ui.json node out/test/e2e/ui.js || RC=1
e2e_stop_group "$CS_PID"

# A suite that crashed before writing its counts is one failure, not zero.
SUMMARY=$(node -e '
  const fs = require("fs"); let p = 0, f = 0;
  for (const file of process.argv.slice(1)) {
    try { const r = JSON.parse(fs.readFileSync(file, "utf8")); p += r.passed; f += r.failed;
      for (const x of r.failures || []) console.error("FAILED: " + x.title + "\n  " + String(x.error).split("\n").slice(0, 4).join("\n  "));
    } catch { console.error("no results in " + file); f += 1; }
  }
  console.log(p + " passed, " + f + " failed");
' "$E2E_ROOT/results-int.json" "$E2E_ROOT/results-ui.json" "$E2E_ROOT/results-render.json" \
  "$E2E_ROOT/results-web-worker.json" "$E2E_ROOT/results-web-ui.json")
case $SUMMARY in *" 0 failed") ;; *) RC=1 ;; esac
e2e_step "done; screenshot: $E2E_ROOT/shot.png"
echo "$SUMMARY"
exit $RC
