#!/usr/bin/env bash
# Quick start on a fresh machine: install deps, build, lint the examples with the CLI, then serve a
# real VS Code (code-server) in the browser with the extension installed and examples/ open.
#   PORT      where code-server listens on 127.0.0.1 (default 8080)
#   E2E_ROOT  where code-server, Node 24 and the demo's editor state go (default <repo>/.e2e)
# Stays in the foreground until Ctrl-C, then stops code-server and everything it started.
set -euo pipefail
source "$(dirname "$0")/lib/e2e-env.sh"
cd "$REPO_ROOT"
PORT=${PORT:-8080}
DATA=$E2E_ROOT/demo
URL="http://127.0.0.1:$PORT/?folder=$REPO_ROOT/examples"

e2e_npm_deps
e2e_build

e2e_step "CLI: node dist/cli.js lint examples"
set +e
node dist/cli.js lint examples
cli_rc=$?
set -e
case $cli_rc in
  0) echo "(the CLI found nothing; the examples are meant to have mistakes: check examples/pod-with-mistakes.yaml)" ;;
  1) echo "(exit code 1, as expected: pod-with-mistakes.yaml and cronjob-old-api.yaml contain deliberate mistakes)" ;;
  *) echo "warning: the CLI exited with $cli_rc (not a lint result); continuing with the editor demo" >&2 ;;
esac

e2e_install_all
e2e_package
e2e_enter_env
if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null; then
  echo "error: something already listens on 127.0.0.1:$PORT; choose another port: PORT=8090 bash scripts/demo.sh" >&2
  exit 1
fi
e2e_step "install the .vsix into $DATA"
e2e_prep_data "$DATA"
e2e_install_vsix "$DATA"

trap e2e_cleanup EXIT
trap 'echo; echo "stopping code-server"; exit 130' INT TERM
e2e_start_cs "$PORT" "$DATA" "$REPO_ROOT/examples"
cat <<MSG

  Sidecar Pods demo is running. Open this URL in a browser:

      $URL

  Open pod-with-mistakes.yaml to see the diagnostics (Problems panel: Ctrl+Shift+M), and
  examples/README.md for what each file shows. code-server log: $DATA/cs.log
  Press Ctrl-C to stop.

MSG
wait "$CS_PID"
