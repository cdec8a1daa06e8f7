#!/usr/bin/env bash
# All the tests: static checks, unit + LSP + corpus (mocha), and the real-editor suite (code-server).
#   SKIP_E2E=1 npm test    everything but the real editor (for a quick local loop)
set -uo pipefail
cd "$(dirname "$0")/.."
T0=$SECONDS
step() { echo; echo "== [$((SECONDS - T0))s] $*"; }
PASSED=0 FAILED=0 SKIPPED=0 LOGDIR=$(mktemp -d)
trap 'rm -rf "$LOGDIR"' EXIT

check() { # NAME CMD...: a step that passes or fails as a whole
  local name=$1; shift
  step "$name"
  if "$@"; then PASSED=$((PASSED + 1)); else FAILED=$((FAILED + 1)); echo "FAILED: $name"; fi
}

# npm ci when the lock file's content differs from what was last installed (a content stamp, not
# file times: a git checkout or merge touches package-lock.json without changing what it pins)
LOCK_SUM=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -d node_modules ] || [ "$(cat node_modules/.sidecar-pods-lock 2>/dev/null)" != "$LOCK_SUM" ]; then
  step "npm ci"
  npm ci --no-audit --no-fund || exit 1
  echo "$LOCK_SUM" >node_modules/.sidecar-pods-lock
fi

step "build"
npm run --silent build || exit 1
node esbuild.mjs --tests || exit 1

check "typecheck (tsc -b)" npx tsc -b
check "eslint" npx eslint .
check "prettier" npx prettier --check .
check "generated schema is up to date" node schemas/generate.mjs --check
check "snippets/sidecars.json is up to date" node snippets/generate.mjs --check

mocha_counted() { # LOGNAME MOCHA-ARGS...: runs mocha, adds its passing, failing and pending tests to the counts
  local log="$LOGDIR/$1.log" rc p f s; shift
  npx mocha "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  p=$(grep -Eo '^ +[0-9]+ passing' "$log" | grep -Eo '[0-9]+' | tail -1)
  f=$(grep -Eo '^ +[0-9]+ failing' "$log" | grep -Eo '[0-9]+' | tail -1)
  s=$(grep -Eo '^ +[0-9]+ pending' "$log" | grep -Eo '[0-9]+' | tail -1)
  PASSED=$((PASSED + ${p:-0})); FAILED=$((FAILED + ${f:-0})); SKIPPED=$((SKIPPED + ${s:-0}))
  if [ "$rc" -ne 0 ] && [ -z "$f" ]; then FAILED=$((FAILED + 1)); fi
}

step "mocha: unit, LSP, corpus"
mocha_counted mocha

# not in .mocharc.json's spec: the pre-commit test installs the repository's dev dependencies
# from the npm registry (a minute or two), too slow for every `npx mocha`
step "mocha: the npm package and .vsix, the GitHub Action, the pre-commit hook (test/package)"
mocha_counted package --no-config --timeout 900000 'out/test/package/**/*.test.js'

check "neovim as a second LSP client" bash scripts/nvim-test.sh

if [ -z "${SKIP_E2E:-}" ]; then
  step "real editor (code-server + headless chromium)"
  bash scripts/e2e.sh 2>&1 | tee "$LOGDIR/e2e.log"
  E2E_RC=${PIPESTATUS[0]}
  counts=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$LOGDIR/e2e.log" | awk '{p+=$1; f+=$3} END {print p+0, f+0}')
  read -r ep ef <<<"$counts"
  PASSED=$((PASSED + ep)); FAILED=$((FAILED + ef))
  if [ "$E2E_RC" -ne 0 ] && [ "$ef" -eq 0 ]; then FAILED=$((FAILED + 1)); fi
fi

echo
echo "== [$((SECONDS - T0))s] done"
# skipped: mocha's pending tests (in a clone without a corpus, the corpus suites; mocha says why above)
SKIP_NOTE=""; if [ "$SKIPPED" -gt 0 ]; then SKIP_NOTE=", $SKIPPED skipped"; fi
echo "tests: $PASSED passed, $FAILED failed$SKIP_NOTE"
[ "$FAILED" -eq 0 ]
