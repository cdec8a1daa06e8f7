#!/usr/bin/env bash
# The language server in a second LSP client: Neovim's built-in client, headless (Debian's neovim).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v nvim >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends neovim >/dev/null
fi
[ -f dist/server.js ] || npm run --silent build
LSP_CMD="$(command -v node) bin/sidecar-pods-language-server.js --stdio" \
LSP_FILE=examples/pod-with-mistakes.yaml \
EXPECT=port-conflict,missing-volume,duplicate-container-name,schema \
  timeout 120 nvim --headless --clean -u NONE -c 'luafile test/nvim/lsp-smoke.lua'
